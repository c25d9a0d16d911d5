import { describe, expect, test } from 'vitest';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('functions: managed runners (admin)', () => {
  test('create a runner container from the console, see it healthy, delete it after confirming', async () => {
    await seedUser(e2e.admin, { username: 'runa', password: 'runa-password-01', role: 'admin' });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'runa', 'runa-password-01');
    await page.goto('/functions/runners');
    await page.getByRole('heading', { name: 'No managed runners' }).waitFor();

    await page.getByRole('button', { name: 'Create runner' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create function runner' });
    await dialog.getByLabel('Name').fill('Runner 1');
    await dialog.getByText('Lower-case letters, digits and dashes (a hostname)').waitFor();
    await dialog.getByLabel('Name').fill('runner-e2e');
    // the node is a picker of the cluster's nodes, "any" first
    await dialog
      .getByLabel('Node')
      .locator('option', { hasText: 'pve-' })
      .first()
      .waitFor({ state: 'attached' });
    const nodes = await dialog.getByLabel('Node').locator('option').allTextContents();
    expect(nodes[0]).toContain('Any node');
    expect(nodes.length).toBeGreaterThan(1);
    await dialog.getByRole('button', { name: 'Create runner' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /runner-e2e/ });
    await row.waitFor();
    // the container is created, the runner installed and health-checked: ready and healthy
    await row.getByText('healthy', { exact: true }).waitFor({ timeout: 120_000 });
    await expect(row.textContent()).resolves.toContain('ready');
    await expect(row.textContent()).resolves.toMatch(/CT \d+/);
    await screenshot(page, 'function-runners-light');

    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await screenshot(page, 'function-runners-phone');
    await page.setViewportSize({ width: 1366, height: 860 });

    await page.getByRole('button', { name: 'Actions for runner-e2e' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete runner runner-e2e?' });
    await confirm.getByText(/is stopped and destroyed/).waitFor();
    await confirm.getByRole('button', { name: 'Delete runner' }).click();
    await page.getByRole('heading', { name: 'No managed runners' }).waitFor({ timeout: 120_000 });
    const left = await e2e.admin.GET('/api/v1/functions/runners');
    expect(left.data?.items ?? []).toEqual([]);
    await context.close();
  }, 300_000);
});
