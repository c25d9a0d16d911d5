import { describe, expect, test } from 'vitest';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('bucket lifecycle rules', () => {
  test('add a rule, see it described, switch it off, remove it; phone layout', async () => {
    const bucket = 'e2e-lifecycle';
    await e2e.admin.POST('/api/v1/buckets', { body: { name: bucket } });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto(`${e2e.baseUrl}/storage/buckets/${bucket}`);
    await page.getByRole('button', { name: 'Lifecycle rules' }).click();
    const dialog = page.getByRole('dialog', { name: `Lifecycle rules of ${bucket}` });
    await dialog.getByText('No rules yet').waitFor();

    // a rule without an action is refused in the form, before anything is sent
    await dialog.getByLabel('Only keys starting with').fill('logs/');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByText('Give at least one action').waitFor();
    // old versions need versioning
    await dialog.getByLabel('Delete old versions after (days)').fill('7');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByText('Old versions exist only with versioning on').waitFor();
    await dialog.getByLabel('Delete old versions after (days)').fill('');

    await dialog.getByLabel('Rule name').fill('old-logs');
    await dialog.getByLabel('Expire objects after (days)').fill('30');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    const rules = dialog.getByRole('list', { name: 'Lifecycle rules' });
    await rules.getByText('Expire 30 days after upload').waitFor();
    await rules.getByText('logs/…').waitFor();
    await screenshot(page, 'bucket-lifecycle-light');

    const { data } = await e2e.admin.GET('/api/v1/buckets/{bucket}/lifecycle', {
      params: { path: { bucket } },
    });
    expect(data?.rules).toMatchObject([
      { id: 'old-logs', status: 'Enabled', filter: { prefix: 'logs/' }, expiration: { days: 30 } },
    ]);

    await rules.getByRole('button', { name: 'Switch off' }).click();
    await rules.getByRole('button', { name: 'Switch on' }).waitFor();
    await rules.getByRole('button', { name: 'Remove rule' }).click();
    await dialog.getByText('No rules yet').waitFor();
    const after = await e2e.admin.GET('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } } });
    expect(after.data?.rules).toEqual([]);
    await context.close();

    const phone = await newContext(e2e.browser, e2e.baseUrl, { viewport: { width: 390, height: 844 } });
    const p2 = await phone.newPage();
    await signIn(p2, 'admin', ADMIN_PASSWORD);
    await p2.goto(`${e2e.baseUrl}/storage/buckets/${bucket}`);
    await p2.getByRole('button', { name: 'Lifecycle rules' }).click();
    await p2
      .getByRole('dialog', { name: `Lifecycle rules of ${bucket}` })
      .getByText('No rules yet')
      .waitFor();
    await assertNoHorizontalOverflow(p2);
    await screenshot(p2, 'bucket-lifecycle-phone-light');
    await phone.close();
  });
});
