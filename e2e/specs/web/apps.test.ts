import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('apps: catalog and one-click deploy', () => {
  test('deploy Netdata from the catalog, watch the steps, see it ready with its URL; then remove it', async () => {
    await seedUser(e2e.admin, { username: 'ada', password: 'ada-password-0001', role: 'operator' });
    const ada = await apiAs(e2e.baseUrl, 'ada', 'ada-password-0001');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'ada', 'ada-password-0001');
    await page.goto('/apps');
    await page.getByRole('heading', { name: 'No apps deployed yet' }).waitFor();
    // the catalog grid: logos are served by ProxiCloud (no hot-linking)
    const card = page.getByTestId('template-netdata');
    await card.waitFor();
    const logo = await card.locator('img').getAttribute('src');
    expect(logo).toBe('/api/v1/app-templates/netdata/logo');
    expect(await page.getByTestId(/^template-/).count()).toBeGreaterThanOrEqual(12);
    // search and category filter
    await page.getByLabel('Search apps').fill('jelly');
    await page.getByTestId('template-jellyfin').waitFor();
    expect(await page.getByTestId(/^template-/).count()).toBe(1);
    await page.getByLabel('Search apps').fill('');
    await page.getByLabel('Category').selectOption('monitoring');
    await page.getByTestId('template-uptime-kuma').waitFor();
    expect(await page.getByTestId('template-jellyfin').count()).toBe(0);
    await screenshot(page, 'apps-catalog-light');

    // the deploy dialog is generated from the parameters, defaults filled, checked as you type
    await page.getByRole('button', { name: 'Deploy Netdata' }).click();
    const dialog = page.getByRole('dialog', { name: /Deploy Netdata/ });
    await expect.poll(() => dialog.getByLabel('History kept (hours)').inputValue()).toBe('24');
    await dialog.getByLabel('History kept (hours)').fill('100000');
    await dialog.getByText('At most 720').waitFor();
    await dialog.getByLabel('History kept (hours)').fill('48');
    await dialog.getByLabel('Name').fill('stats');
    await screenshot(page, 'apps-deploy-light');
    await dialog.getByRole('button', { name: 'Deploy' }).click();

    // the app page: steps, live log, then ready with its URL and notes
    await page.waitForURL(/\/apps\/app-/);
    await page.getByRole('list', { name: 'Progress' }).waitFor();
    await expect
      .poll(() => page.getByTestId('app-status').textContent(), { timeout: 60_000, interval: 500 })
      .toBe('ready');
    await page.locator('[data-step="health-check"][data-status="succeeded"]').waitFor();
    const url = await page.getByTestId('app-url').textContent();
    expect(url).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:19999$/);
    await expect
      .poll(() => page.getByTestId('app-notes').textContent(), { timeout: 60_000, interval: 500 })
      .toContain(url!);
    await expect
      .poll(() => page.getByTestId('app-log').textContent(), { timeout: 60_000, interval: 500 })
      .toContain('[installing]');
    await screenshot(page, 'apps-ready-light');
    const apps = await ada.GET('/api/v1/apps');
    expect(apps.data?.items.map((a) => [a.name, a.status, a.health.status])).toEqual([
      ['stats', 'ready', 'healthy'],
    ]);

    // phone layout
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await page.goto('/apps');
    await page.getByRole('link', { name: 'stats' }).waitFor();
    await assertNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // remove (type the name to confirm)
    await page.getByRole('link', { name: 'stats' }).click();
    await page.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove app stats?' });
    await confirm.getByRole('textbox').fill('stats');
    await confirm.getByRole('button', { name: 'Remove app' }).click();
    await page.waitForURL(/\/apps$/);
    await eventually(
      async () => {
        const { data } = await ada.GET('/api/v1/apps');
        return data?.items.length === 0 ? true : undefined;
      },
      'app removed',
      60_000,
    );
    await context.close();
  }, 180_000);
});
