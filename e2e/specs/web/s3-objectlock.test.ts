import { describe, expect, test } from 'vitest';
import { putTextObject } from '../../lib/api.ts';
import { createBucketInConsole, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('bucket object lock', () => {
  test('create a bucket with object lock, set the default retention, see and hold an object', async () => {
    const bucket = 'e2e-object-lock';
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await createBucketInConsole(page, e2e.baseUrl, bucket, { objectLock: true });
    await page.getByText('Object lock: no default retention').waitFor();

    await page.getByRole('button', { name: 'Default retention' }).click();
    const dlg = page.getByRole('dialog', { name: `Default retention of ${bucket}` });
    await dlg.getByLabel('Mode').selectOption('COMPLIANCE');
    await dlg.getByLabel('Keep for').fill('3');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Object lock: compliance, 3 days').waitFor();
    const cfg = await e2e.admin.GET('/api/v1/buckets/{bucket}/object-lock', { params: { path: { bucket } } });
    expect(cfg.data?.defaultRetention).toEqual({ mode: 'COMPLIANCE', days: 3 });

    // an object uploaded through the API gets the default retention; its details show it
    const res = await putTextObject(
      e2e.baseUrl,
      { username: 'admin', password: ADMIN_PASSWORD },
      bucket,
      'report.txt',
      'locked report',
    );
    expect(res.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'report.txt', exact: true }).click();
    const details = page.getByRole('dialog', { name: 'report.txt' });
    await details.getByText('No — this version is locked').waitFor();
    await details.getByText('COMPLIANCE', { exact: true }).waitFor();
    // the locked version's Delete is disabled and says why (COMPLIANCE: even for an admin)
    const versions = details.getByRole('list', { name: 'Versions' });
    await versions.getByText(/^Locked until .+ \(COMPLIANCE\)$/).waitFor();
    const del = versions.getByRole('button', { name: 'Delete', exact: true });
    await expect.poll(() => del.isDisabled()).toBe(true);
    await details.getByRole('button', { name: 'Place legal hold' }).click();
    await details.getByRole('button', { name: 'Release legal hold' }).waitFor();
    await versions.getByText('Legal hold', { exact: true }).waitFor();
    expect(await del.isDisabled()).toBe(true);
    await screenshot(page, 'bucket-object-lock-light');
    const lock = await e2e.admin.GET('/api/v1/buckets/{bucket}/object-lock/objects/{key}', {
      params: { path: { bucket, key: 'report.txt' } },
    });
    expect(lock.data?.legalHold).toBe(true);
    await context.close();
  });
});
