import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD, ARTIFACTS_DIR } from '../../lib/env.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

/** Drop files onto the bucket page the way a browser does: a `drop` event carrying a DataTransfer. */
async function dropFiles(
  page: Page,
  selector: string,
  files: { name: string; type: string; text: string }[],
) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    return dt;
  }, files);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

async function listKeys(bucket: string, prefix = '') {
  const { data } = await e2e.admin.GET('/api/v1/buckets/{bucket}/objects', {
    params: { path: { bucket }, query: { prefix, limit: 1000 } },
  });
  return data?.items.map((i) => i.key) ?? [];
}

/** A raw API call as admin (the SDK cannot fill the wildcard `{*}` of object paths). */
async function adminFetch(path: string, init: RequestInit = {}) {
  const login = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${e2e.baseUrl}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${accessToken}` },
  });
  return (await res.json()) as { size: number; etag: string };
}

describe('bucket browser', () => {
  test('create a bucket, drop files, navigate a folder, download, share, delete', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Buckets' }).click();
    await page.getByRole('heading', { name: 'Buckets', exact: true }).waitFor();
    await page.getByText('No buckets yet').waitFor();
    await screenshot(page, 'buckets-empty-light');

    // Create: the name is checked live with S3's rules before anything is sent.
    await page.getByRole('button', { name: 'Create bucket' }).first().click();
    const create = page.getByRole('dialog', { name: 'Create bucket' });
    await create.getByLabel('Bucket name').fill('Bad_Name');
    await create.getByText('Use lowercase letters only.').waitFor();
    await create.getByLabel('Bucket name').fill('my..bucket');
    await create.getByText('No two dots in a row.').waitFor();
    await create.getByLabel('Bucket name').fill('e2e-photos');
    await create.getByRole('button', { name: 'Create bucket' }).click();
    // Lands in the new, empty bucket, which explains how to fill it.
    await page.getByRole('heading', { name: 'e2e-photos' }).waitFor();
    await page.getByText('This bucket is empty').waitFor();
    await screenshot(page, 'bucket-empty-light');

    // Drag and drop two files.
    await dropFiles(page, 'table', [
      { name: 'cat.txt', type: 'text/plain', text: 'meow\n' },
      { name: 'dog.json', type: 'application/json', text: '{"woof":true}\n' },
    ]);
    await page.getByRole('heading', { name: 'Uploads finished' }).waitFor();
    await eventually(
      async () => ((await listKeys('e2e-photos')).length === 2 ? true : undefined),
      'two objects in e2e-photos',
    );
    await page.getByRole('button', { name: 'cat.txt', exact: true }).waitFor();
    await page.getByRole('button', { name: 'dog.json', exact: true }).waitFor();

    // Create a folder (a zero-byte "docs/" marker) and go into it.
    await page.getByRole('button', { name: 'Create folder' }).click();
    const folder = page.getByRole('dialog', { name: 'Create folder' });
    await folder.getByLabel('Folder name').fill('docs');
    await folder.getByRole('button', { name: 'Create folder' }).click();
    await page.getByRole('link', { name: 'docs/' }).click();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('docs').waitFor();
    await page.getByText('This folder is empty').waitFor();
    expect(await listKeys('e2e-photos', 'docs/')).toEqual(['docs/']);

    // Upload with the file picker (hidden input), one small and one multipart file (> 16 MiB).
    const report = 'quarterly report\n'.repeat(100);
    const big = randomBytes(17 * 1024 * 1024 + 5);
    await page.getByTestId('upload-input').setInputFiles(
      [
        { name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.from(report) },
        { name: 'big.bin', mimeType: 'application/octet-stream', buffer: big },
      ],
      { timeout: 120_000 },
    ); // 17 MiB cross into the browser as base64 over CDP: slow on a busy machine
    await page.getByRole('progressbar', { name: 'Upload of big.bin' }).waitFor();
    await page.getByRole('heading', { name: 'Uploads finished' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'report.txt', exact: true }).waitFor();
    await screenshot(page, 'bucket-folder-light');
    const bigInfo = { data: await adminFetch('/api/v1/buckets/e2e-photos/metadata/docs/big.bin') };
    expect(bigInfo.data?.size).toBe(big.length);
    expect(bigInfo.data?.etag).toMatch(/-2$/); // two parts: 16 MiB + the rest

    // Metadata panel.
    await page.getByRole('button', { name: 'report.txt', exact: true }).click();
    const details = page.getByRole('dialog', { name: 'report.txt' });
    await details.getByText('text/plain').waitFor();
    await details.getByText(createHash('md5').update(report).digest('hex')).waitFor();
    await details.getByText(`${report.length.toLocaleString()} bytes`, { exact: false }).waitFor();
    await screenshot(page, 'bucket-object-details-light');
    await details.getByRole('button', { name: 'Close', exact: true }).click();

    // Download.
    await page.getByRole('button', { name: 'Actions for report.txt' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('report.txt');
    expect(await readFile((await download.path()) as string, 'utf8')).toBe(report);

    // Share link: works without any session.
    await page.getByRole('button', { name: 'Actions for report.txt' }).click();
    await page.getByRole('menuitem', { name: 'Share link' }).click();
    const share = page.getByRole('dialog', { name: 'Share link' });
    await share.getByLabel('Expires after').selectOption({ label: '1 day' });
    await share.getByRole('button', { name: 'Create link' }).click();
    const url = (await share.locator('span.break-all').first().textContent()) ?? '';
    expect(url).toContain('/s3/e2e-photos/docs/report.txt?');
    expect(url).toContain('X-Amz-Expires=86400');
    await screenshot(page, 'bucket-share-light');
    const shared = await fetch(url);
    expect(shared.status).toBe(200);
    expect(await shared.text()).toBe(report);
    await share.getByRole('button', { name: 'Close', exact: true }).click();

    // Back to the bucket root by the breadcrumb; select two files and delete them.
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'e2e-photos' })
      .click();
    await page.getByRole('button', { name: 'cat.txt', exact: true }).waitFor();
    await page.getByLabel('Select cat.txt').check();
    await page.getByLabel('Select dog.json').check();
    await page.getByRole('button', { name: 'Delete (2)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 2 items?' });
    await screenshot(page, 'bucket-delete-dialog-light');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => {
      const keys = await listKeys('e2e-photos');
      return keys.includes('cat.txt') || keys.includes('dog.json') ? undefined : keys;
    }, 'cat.txt and dog.json deleted');
    await page.getByRole('button', { name: 'cat.txt', exact: true }).waitFor({ state: 'detached' });

    // A bucket with objects cannot be deleted: the dialog explains why.
    await page.goto('/storage/buckets');
    await page.getByRole('cell', { name: 'e2e-photos', exact: true }).waitFor();
    await screenshot(page, 'buckets-light');
    await page.getByRole('button', { name: 'Delete bucket e2e-photos' }).click();
    const delBucket = page.getByRole('dialog', { name: 'Delete bucket e2e-photos?' });
    await delBucket.getByRole('button', { name: 'Delete bucket' }).click();
    await delBucket.getByText('The bucket is not empty').waitFor();
    await page.keyboard.press('Escape');

    // Delete the folder with everything in it, then the bucket.
    await page.getByRole('link', { name: 'e2e-photos' }).click();
    await page.getByRole('button', { name: 'Actions for folder docs/' }).click();
    await page.getByRole('menuitem', { name: 'Delete folder' }).click();
    await page
      .getByRole('dialog', { name: 'Delete 1 item?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('This bucket is empty').waitFor();
    expect(await listKeys('e2e-photos')).toEqual([]);
    await page.getByRole('link', { name: 'Buckets', exact: true }).first().click();
    await page.getByRole('button', { name: 'Delete bucket e2e-photos' }).click();
    await delBucket.getByRole('button', { name: 'Delete bucket' }).click();
    await page.getByText('No buckets yet').waitFor();
    await context.close();
    // the longest journey of the suite (two uploads, one of them multipart)
  }, 240_000);

  test('dark mode, phone layout and a ReadOnly user without mutating controls', async () => {
    await e2e.admin.POST('/api/v1/buckets', { body: { name: 'e2e-shots' } });
    const login = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    for (const key of ['notes/a.txt', 'notes/b.md', 'readme.txt']) {
      await fetch(`${e2e.baseUrl}/api/v1/buckets/e2e-shots/objects/${key}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/plain' },
        body: `content of ${key}\n`,
      });
    }
    await eventually(async () => ((await listKeys('e2e-shots')).length === 3 ? true : undefined), 'seeded');

    for (const [scheme, viewport, suffix] of [
      ['dark', { width: 1366, height: 860 }, 'dark'],
      ['light', { width: 390, height: 844 }, 'phone-light'],
      ['dark', { width: 390, height: 844 }, 'phone-dark'],
    ] as const) {
      const context = await newContext(e2e.browser, e2e.baseUrl, { colorScheme: scheme, viewport });
      const page = await context.newPage();
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.goto('/storage/buckets');
      await page.getByRole('cell', { name: 'e2e-shots', exact: true }).waitFor();
      await screenshot(page, `buckets-${suffix}`);
      await page.goto('/storage/buckets/e2e-shots/');
      await page.getByRole('link', { name: 'notes/' }).waitFor();
      await screenshot(page, `bucket-${suffix}`);
      if (viewport.width < 500) await assertNoHorizontalOverflow(page);
      await context.close();
    }

    await seedUser(e2e.admin, { username: 'rhea', password: 'rhea-password-1', role: 'readonly' });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'rhea', 'rhea-password-1');
    await page.goto('/storage/buckets');
    await page.getByText('No buckets yet').waitFor();
    await page.getByText('Your role can look at buckets but not create them').waitFor();
    expect(await page.getByRole('button', { name: /Create/ }).count()).toBe(0);
    // Another user's bucket is not there for her.
    await page.goto('/storage/buckets/e2e-shots/');
    await page.getByText('Bucket not found').waitFor();
    await screenshot(page, 'bucket-readonly-light');
    await context.close();
  });
  test('cancelling a large upload aborts the multipart upload on the server', async () => {
    await e2e.admin.POST('/api/v1/buckets', { body: { name: 'e2e-cancel' } });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/storage/buckets/e2e-cancel/');
    await page.getByText('This bucket is empty').waitFor();
    // A slow uplink (2 MiB/s) so the upload is still running when we cancel it.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 2 * 1024 * 1024,
    });
    // A file on disk: the browser reads it itself (a 40 MiB buffer over the protocol would be slow).
    const dir = await mkdtemp(join(tmpdir(), 'pc-e2e-upload-'));
    const huge = join(dir, 'huge.bin');
    await writeFile(huge, randomBytes(40 * 1024 * 1024));
    let uploadId = '';
    page.on('request', (req) => {
      const m = /\/uploads\/([^/]+)\/parts\//.exec(req.url());
      if (m) uploadId = decodeURIComponent(m[1]!);
    });
    await page.getByTestId('upload-input').setInputFiles(huge);
    const bar = page.getByRole('progressbar', { name: 'Upload of huge.bin' });
    await bar.waitFor();
    await page.waitForFunction(() =>
      /^Part \d+ of 3/.test(
        document.querySelector('[role=progressbar]')?.getAttribute('aria-valuetext') ?? '',
      ),
    );
    // (not screenshot(): it waits for the network to go idle, which a running upload never does)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'bucket-uploading-light.png') });
    await page.getByRole('button', { name: 'Cancel upload of huge.bin' }).click();
    await page.getByText('Cancelled', { exact: true }).waitFor();
    // The multipart upload is gone on the server (aborting it again: 404), and no object appeared.
    expect(uploadId).toBeTruthy();
    await eventually(async () => {
      const { response } = await e2e.admin.DELETE('/api/v1/buckets/{bucket}/uploads/{uploadId}', {
        params: { path: { bucket: 'e2e-cancel', uploadId } },
      });
      return response.status === 404 ? true : undefined;
    }, 'the multipart upload to be aborted');
    expect(await listKeys('e2e-cancel')).toEqual([]);
    await rm(dir, { recursive: true, force: true });
    await context.close();
  });
  test('pages through a large folder with the listing cursor and sorts by size', async () => {
    await e2e.admin.POST('/api/v1/buckets', { body: { name: 'e2e-many' } });
    const login = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const keys = Array.from({ length: 105 }, (_, i) => `item-${String(i).padStart(3, '0')}.txt`);
    for (let i = 0; i < keys.length; i += 15)
      await Promise.all(
        keys.slice(i, i + 15).map((key, j) =>
          fetch(`${e2e.baseUrl}/api/v1/buckets/e2e-many/objects/${key}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/plain' },
            body: 'x'.repeat(i + j + 1),
          }),
        ),
      );
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/storage/buckets/e2e-many/');
    await page.getByRole('button', { name: 'item-000.txt', exact: true }).waitFor();
    await page.getByText('Page 1 · 0 folders, 100 objects').waitFor();
    expect(await page.getByRole('button', { name: 'item-100.txt', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('button', { name: 'item-104.txt', exact: true }).waitFor();
    await page.getByText('Page 2 · 0 folders, 5 objects').waitFor();
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    // Sort this page by size, largest first (a second click flips the order).
    await page.getByRole('button', { name: 'Size' }).click();
    await page.getByRole('button', { name: 'Size' }).click();
    const first = page.locator('tbody tr').first();
    await first.getByRole('button', { name: 'item-104.txt', exact: true }).waitFor();
    expect(await page.getByRole('columnheader', { name: /Size/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1 · 0 folders, 100 objects').waitFor();
    await context.close();
  });
});
