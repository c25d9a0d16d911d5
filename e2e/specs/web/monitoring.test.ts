import { describe, expect, test } from 'vitest';
import { apiAs } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
const USER = 'mon-operator';
const PASSWORD = 'mon-password-0001';

describe('monitoring console', () => {
  test('alarms page creates a channel and an alarm; metrics page charts a node and switches period', async () => {
    await seedUser(e2e.admin, { username: USER, password: PASSWORD, role: 'operator' });
    const mon = await apiAs(e2e.baseUrl, USER, PASSWORD);
    const node = (await mon.GET('/api/v1/nodes')).data!.items[0]!.node;

    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, USER, PASSWORD);

    // on a phone the empty-table messages are inside the screen (not centred across a wider table)
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/monitoring/alarms');
    await page.getByRole('heading', { name: 'Alarms', level: 1 }).waitFor();
    for (const text of ['No alarms yet', 'No channels.']) {
      const box = (await page.getByText(text).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await assertNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // channel
    await page.getByRole('button', { name: 'Create channel' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('mon-mail');
    await dialog.getByLabel('Recipients').fill('ops@example.com');
    await dialog.getByRole('button', { name: 'Create channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'ops@example.com' }).waitFor();

    // alarm on the node, notifying the channel
    await page.getByRole('button', { name: 'Create alarm' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('mon-node-cpu');
    await dialog.getByLabel('Resource').selectOption(`node:${node}`);
    await dialog.getByLabel('Threshold (%)').fill('95');
    await dialog.getByLabel('Duration (minutes)').fill('2');
    await dialog.getByLabel('mon-mail').check();
    await dialog.getByRole('button', { name: 'Create alarm' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /mon-node-cpu/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('cpu > 95 % for 120 s');
    expect(await row.textContent()).toMatch(/OK|ALARM|Insufficient data/);
    const alarms = await mon.GET('/api/v1/alarms');
    const channels = await mon.GET('/api/v1/notification-channels');
    expect(alarms.data!.items[0]).toMatchObject({
      name: 'mon-node-cpu',
      resourceType: 'node',
      resourceId: node,
    });
    expect(alarms.data!.items[0]!.channelIds).toEqual([channels.data!.items[0]!.id]);

    // edit: a higher threshold, and a second channel made from the alarm dialog
    await row.getByRole('button', { name: 'Edit' }).click();
    dialog = page
      .getByRole('dialog')
      .filter({ has: page.getByRole('heading', { name: 'Edit alarm mon-node-cpu' }) });
    await dialog.getByLabel('Threshold (%)').fill('97');
    await dialog.getByRole('button', { name: 'New channel…' }).click();
    const channelDialog = page
      .getByRole('dialog')
      .filter({ has: page.getByRole('heading', { name: 'Create notification channel' }) });
    await channelDialog.getByLabel('Name').fill('mon-mail-2');
    await channelDialog.getByLabel('Recipients').fill('oncall@example.com');
    await channelDialog.getByRole('button', { name: 'Create channel' }).click();
    await channelDialog.waitFor({ state: 'detached' });
    await expect.poll(() => dialog.getByLabel('mon-mail-2').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Save alarm' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => row.textContent()).toContain('cpu > 97 % for 120 s');
    expect((await mon.GET('/api/v1/alarms')).data!.items[0]!.channelIds).toHaveLength(2);

    // silence, history
    await row.getByRole('button', { name: 'Silence 1 h' }).click();
    await row.getByText('Silenced', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Unsilence' }).waitFor();
    await row.getByRole('button', { name: 'History' }).click();
    await page.getByRole('dialog').getByRole('heading', { name: 'History of mon-node-cpu' }).waitFor();
    await page.keyboard.press('Escape');

    // metrics: node charts with data, then another period
    await page.goto('/monitoring/metrics');
    await page.getByRole('heading', { name: 'Metrics', level: 1 }).waitFor();
    const cpu = page.getByRole('figure', { name: 'CPU over the last hour' }).first();
    await cpu.waitFor();
    await expect.poll(() => cpu.locator('.recharts-line path').first().getAttribute('d')).toMatch(/^M[\d.]+/);
    const periodAnswer = page.waitForResponse(
      (r) => r.url().includes(`/api/v1/nodes/${node}/metrics`) && r.url().includes('period=1d'),
    );
    await page.getByText('1 day', { exact: true }).click();
    expect((await periodAnswer).status()).toBe(200);
    expect(page.url()).toContain('period=1d');
    await page.getByRole('figure', { name: 'CPU over the last day' }).first().waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await context.close();
  }, 180_000);
});
