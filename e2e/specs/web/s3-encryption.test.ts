import { describe, expect, test } from 'vitest';
import { putTextObject } from '../../lib/api.ts';
import {
  assertNoHorizontalOverflow,
  createBucketInConsole,
  newContext,
  screenshot,
  signIn,
} from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('bucket default encryption', () => {
  test('turn on "Encrypt new objects", upload, see the encryption in the details, turn it off after confirming', async () => {
    const bucket = 'e2e-encrypted';
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await createBucketInConsole(page, e2e.baseUrl, bucket);
    await page.getByText('Default encryption off').waitFor();

    await page.getByRole('button', { name: 'Encrypt new objects' }).click();
    await page.getByText('Encrypted by default (AES256)').waitFor();
    const cfg = await e2e.admin.GET('/api/v1/buckets/{bucket}/encryption', { params: { path: { bucket } } });
    expect(cfg.data?.algorithm).toBe('AES256');

    // an object uploaded through the API after that is encrypted at rest; its details say so
    const res = await putTextObject(
      e2e.baseUrl,
      { username: 'admin', password: ADMIN_PASSWORD },
      bucket,
      'secret.txt',
      'encrypted at rest',
    );
    expect(res.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'secret.txt', exact: true }).click();
    const details = page.getByRole('dialog', { name: 'secret.txt' });
    await details.getByText('AES256 (SSE-S3, encrypted at rest)').waitFor();
    await screenshot(page, 'bucket-encryption-light');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1366, height: 860 });
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Stop encrypting' }).click();
    const confirm = page.getByRole('dialog', { name: `Stop encrypting new objects in ${bucket}?` });
    await confirm.getByText(/Objects already encrypted stay encrypted/).waitFor();
    await confirm.getByRole('button', { name: 'Stop encrypting' }).click();
    await page.getByText('Default encryption off').waitFor();
    await context.close();
  });
});
