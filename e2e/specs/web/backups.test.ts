import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('backups', () => {
  test('create a policy in the console, run it, see the run succeed and the recovery point appear', async () => {
    await seedUser(e2e.admin, { username: 'bkuser', password: 'bkuser-password-1', role: 'operator' });
    const bk = await apiAs(e2e.baseUrl, 'bkuser', 'bkuser-password-1');
    const catalog = await bk.GET('/api/v1/catalog', { params: { query: { type: 'lxc' } } });
    const template = catalog.data!.items.find((c) => c.launchable)!.id;
    const launched = await bk.POST('/api/v1/instances', {
      body: { name: 'bk-app', type: 'lxc', template, instanceType: 't.micro' },
    });
    expect(launched.response.status).toBe(202);
    const instanceId = launched.data!.instance.id;
    await eventually(
      async () => {
        const { data } = await bk.GET('/api/v1/instances/{id}', { params: { path: { id: instanceId } } });
        return data?.status === 'running' ? data : undefined;
      },
      'bk-app running',
      45_000,
    );

    const ctx = await newContext(e2e.browser, e2e.baseUrl);
    const page = await ctx.newPage();
    await signIn(page, 'bkuser', 'bkuser-password-1');
    await page.goto('/backups');
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    await page.getByText('No backup policies').waitFor();
    await page.getByRole('button', { name: 'New policy' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New backup policy' });
    await dialog.getByLabel('Name').fill('bk-nightly');
    await dialog.getByLabel('Time zone').fill('Europe/Berlin');
    await dialog.getByTestId('schedule-preview').getByText('At 03:00 (Europe/Berlin)').waitFor();
    await dialog.getByLabel(/Instance bk-app/).check();
    await dialog.getByLabel('Last').fill('3');
    // a new notification channel, added right in the policy form and selected at once
    const channels = dialog.getByTestId('channel-picker');
    await channels.getByText('You have no notification channels yet').waitFor();
    await channels.getByRole('button', { name: '+ New channel' }).click();
    await channels.getByLabel('Channel name').fill('bk-mail');
    await channels.getByLabel('Recipients').fill('ops@example.test');
    await channels.getByRole('button', { name: 'Add channel' }).click();
    await expect.poll(() => channels.getByLabel('bk-mail').isChecked(), { timeout: 10_000 }).toBe(true);
    await dialog.getByLabel('missed').check();
    await screenshot(page, 'backups-policy-editor-light');
    await dialog.getByRole('button', { name: 'Create policy' }).click();
    await page.getByText('Policy created').waitFor();
    await page.getByRole('cell', { name: /^bk-nightly/ }).waitFor();
    await page.getByText('never run').waitFor();
    const { data: policies } = await bk.GET('/api/v1/backup-policies');
    const { data: chans } = await bk.GET('/api/v1/notification-channels');
    const mail = chans!.items.find((c) => c.name === 'bk-mail')!;
    expect(policies!.items[0]).toMatchObject({
      name: 'bk-nightly',
      notifyChannelIds: [mail.id],
      notifyOn: ['failure', 'missed'],
    });

    await page.getByRole('button', { name: 'Actions for bk-nightly' }).click();
    await page.getByRole('menuitem', { name: 'Run now' }).click();
    await page.getByText('Backup started').waitFor();
    const run = await eventually(
      async () => {
        const { data } = await bk.GET('/api/v1/backup-runs', { params: { query: { limit: 1 } } });
        const r = data?.items[0];
        return r && r.status !== 'queued' && r.status !== 'running' ? r : undefined;
      },
      'the backup run to finish',
      45_000,
    );
    expect(run.status).toBe('succeeded');
    // the policy shows its last result; the runs tab and the recovery points tab show the backup
    await page.getByText('succeeded').first().waitFor({ timeout: 15_000 });
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('cell', { name: /bk-app: succeeded/ }).waitFor();
    await page.getByRole('tab', { name: 'Recovery points' }).click();
    await page
      .getByRole('cell', { name: /bk-app/ })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Restore' }).first().waitFor();
    await screenshot(page, 'backups-points-light');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await ctx.close();
  }, 150_000);
});
