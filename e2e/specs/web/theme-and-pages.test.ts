import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

const isDark = (page: Page) => page.locator('html').evaluate((el) => el.classList.contains('dark'));
/** Runs in the page (a string, so this Node-typed file needs no DOM lib). */
const inPage = <T>(page: Page, expression: string) => page.evaluate<T>(expression);

/** Visits every console page and saves a screenshot of each (the design review material). */
async function screenshotEveryPage(page: Page, suffix: string) {
  const pages: Array<[string, string | RegExp, string]> = [
    ['/', /^Welcome/, 'dashboard'],
    ['/iam/users', 'Users', 'users'],
    ['/iam/access-keys', 'Access keys', 'access-keys'],
    ['/profile', 'Profile', 'profile'],
    ['/monitoring/audit', 'Audit log', 'audit'],
    ['/compute/instances', 'Instances', 'instances'],
    ['/compute/volumes', 'Volumes', 'volumes'],
    ['/compute/key-pairs', 'Key pairs', 'key-pairs'],
    ['/iam/quotas', 'Quotas', 'quotas'],
    ['/networking/networks', 'Networks', 'networks'],
    ['/no/such/page', 'Page not found', 'not-found'],
  ];
  for (const [path, heading, name] of pages) {
    await page.goto(path);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await screenshot(page, `${name}-${suffix}`);
  }
}

describe('theme and page design', () => {
  test('dark mode: follows the system by default, the toggle persists across reloads', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl, { colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in to ProxiCloud' }).waitFor();
    expect(await isDark(page)).toBe(true); // system preference
    await screenshot(page, 'login-dark');
    await signIn(page, 'admin', ADMIN_PASSWORD);

    // Choose Light in the account menu: overrides the dark system preference and survives a reload.
    await page.getByRole('button', { name: 'Account menu for admin' }).click();
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await isDark(page)).toBe(false);
    await page.reload();
    await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
    expect(await isDark(page)).toBe(false);

    // The header toggle switches back to dark, also persisted.
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    expect(await isDark(page)).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: 'Switch to light mode' }).waitFor();
    expect(await isDark(page)).toBe(true);
    await page.getByRole('button', { name: 'Account menu for admin' }).click();
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    await screenshot(page, 'account-menu-dark');
    await page.keyboard.press('Escape');
    await context.close();
  });

  test('every page, light and dark, desktop and phone', async () => {
    // Some content for the tables.
    await e2e.admin.POST('/api/v1/access-keys', { body: { description: 'screenshot key' } });
    for (const scheme of ['light', 'dark'] as const) {
      const context = await newContext(e2e.browser, e2e.baseUrl, { colorScheme: scheme });
      const page = await context.newPage();
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await screenshotEveryPage(page, scheme);

      // The one-time secret dialog.
      await page.goto('/iam/access-keys');
      await page.getByRole('button', { name: 'Create access key' }).click();
      await page.getByLabel('Description (optional)').fill(`${scheme} screenshot`);
      await page.getByRole('dialog').getByRole('button', { name: 'Create access key' }).click();
      await page.getByRole('heading', { name: 'Access key created' }).waitFor();
      const secret = (await page.getByRole('dialog').locator('dd').nth(1).textContent()) ?? '';
      expect(secret.trim()).toMatch(/^\S{40}$/);
      await screenshot(page, `access-key-secret-${scheme}`);
      await page.getByRole('button', { name: 'Done' }).click();
      // The new key is listed (through the API too) and the secret is nowhere on the page any more.
      await eventually(async () => {
        const { data } = await e2e.admin.GET('/api/v1/access-keys', { params: { query: { limit: 100 } } });
        return data?.items.find((k) => k.description === `${scheme} screenshot`);
      }, 'the new access key in GET /access-keys');
      expect(await page.content()).not.toContain(secret.trim());
      await context.close();

      // Phone: the navigation collapses into a drawer.
      const phone = await newContext(e2e.browser, e2e.baseUrl, {
        colorScheme: scheme,
        viewport: { width: 390, height: 844 },
      });
      const mobile = await phone.newPage();
      await signIn(mobile, 'admin', ADMIN_PASSWORD);
      expect(await mobile.getByRole('navigation', { name: 'Services' }).count()).toBe(0);
      await screenshot(mobile, `phone-dashboard-${scheme}`);
      await mobile.getByRole('button', { name: 'Open navigation' }).click();
      const drawer = mobile.getByRole('dialog', { name: 'Navigation' });
      await drawer.getByRole('link', { name: 'Users' }).waitFor();
      await screenshot(mobile, `phone-nav-${scheme}`, { fullPage: false });
      await mobile.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      await mobile.getByRole('button', { name: 'Open navigation' }).click();
      await drawer.getByRole('link', { name: 'Users' }).click();
      await mobile.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await drawer.waitFor({ state: 'hidden' });
      await screenshot(mobile, `phone-users-${scheme}`);
      for (const path of ['/', '/iam/users', '/iam/access-keys', '/profile', '/monitoring/audit']) {
        await mobile.goto(path);
        await mobile.getByRole('heading', { level: 1 }).waitFor();
        await mobile.waitForLoadState('networkidle');
        await assertNoHorizontalOverflow(mobile);
      }
      await screenshot(mobile, `phone-audit-${scheme}`);
      await phone.close();
    }
    // Every page twice (light, dark) plus the phone: two shared cores need more than a minute.
  }, 150_000);

  test('keyboard: skip link, focusable controls, dialogs trap focus and close on Escape', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/iam/users');
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await inPage(page, 'document.activeElement?.id')).toBe('main');

    const opener = page.getByRole('button', { name: 'Create user' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.waitFor();
    // Tab many times: focus never leaves the dialog.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      const inside = await inPage<boolean>(page, "!!document.activeElement?.closest('dialog[open]')");
      const onPage = await inPage<boolean>(page, 'document.activeElement !== document.body');
      if (onPage) expect(inside).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await opener.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await context.close();
  });

  test('pages do not shift while they load (cumulative layout shift)', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    // Sum every layout shift not caused by user input, from the first paint on.
    await context.addInitScript(`
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    `);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    for (const [path, heading] of [
      ['/', /^Welcome/],
      ['/iam/users', 'Users'],
      ['/iam/access-keys', 'Access keys'],
      ['/monitoring/audit', 'Audit log'],
      ['/profile', 'Profile'],
    ] as const) {
      await page.goto(path); // a full load: session check, skeletons, then data
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const cls = await inPage<number>(page, 'window.__cls');
      expect(cls, `layout shift on ${path}`).toBeLessThan(0.05);
    }
    // Control: the observer does see a real shift (so the numbers above mean something).
    const before = await inPage<number>(page, 'window.__cls');
    await inPage(
      page,
      `(() => { const d = document.createElement('div'); d.style.height = '300px';
        document.querySelector('main').prepend(d); })()`,
    );
    await inPage(page, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await inPage<number>(page, 'window.__cls')).toBeGreaterThan(before);
    await context.close();
  });
});
