import { describe, expect, test } from 'vitest';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('bucket access & tags', () => {
  test('a public-read policy from the editor opens downloads; a bad one shows the reason; tags; phone layout', async () => {
    const bucket = 'e2e-access';
    await e2e.admin.POST('/api/v1/buckets', { body: { name: bucket } });
    const login = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const put = await fetch(`${e2e.baseUrl}/api/v1/buckets/${bucket}/objects/site/index.html`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/html' },
      body: '<h1>hello</h1>',
    });
    expect(put.status).toBe(200);
    const anon = async () => (await fetch(`${e2e.baseUrl}/s3/${bucket}/site/index.html`)).status;
    expect(await anon()).toBe(403);

    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto(`${e2e.baseUrl}/storage/buckets/${bucket}`);
    await page.getByRole('button', { name: 'Access & tags' }).click();
    const dialog = page.getByRole('dialog', { name: `Access to ${bucket}` });
    await dialog.getByText('No policy yet.').waitFor();

    // a policy for another bucket is refused with S3's reason
    await dialog.getByLabel('Policy JSON').fill(
      JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::elsewhere/*' },
        ],
      }),
    );
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await dialog.getByText('Policy has invalid resource').waitFor();

    await dialog.getByRole('button', { name: 'Insert public-read example' }).click();
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await dialog.getByText('Public', { exact: true }).waitFor();
    expect(await dialog.getByText('Policy has invalid resource').count()).toBe(0);
    await expect.poll(anon).toBe(200);
    await screenshot(page, 'bucket-access-light');

    // the Public Access Block shuts it again
    await dialog.getByLabel('Restrict public buckets').check();
    await dialog.getByRole('button', { name: 'Save block' }).click();
    await expect.poll(anon).toBe(403);

    await dialog.getByLabel('Bucket tags').fill('team=web, env=prod');
    await dialog.getByRole('button', { name: 'Save tags' }).click();
    await expect
      .poll(
        async () =>
          (await e2e.admin.GET('/api/v1/buckets/{bucket}/tags', { params: { path: { bucket } } })).data?.tags,
      )
      .toEqual([
        { key: 'team', value: 'web' },
        { key: 'env', value: 'prod' },
      ]);
    await context.close();

    const phone = await newContext(e2e.browser, e2e.baseUrl, { viewport: { width: 390, height: 844 } });
    const p2 = await phone.newPage();
    await signIn(p2, 'admin', ADMIN_PASSWORD);
    await p2.goto(`${e2e.baseUrl}/storage/buckets/${bucket}`);
    await p2.getByRole('button', { name: 'Access & tags' }).click();
    await p2
      .getByRole('dialog', { name: `Access to ${bucket}` })
      .getByLabel('Policy JSON')
      .waitFor();
    await assertNoHorizontalOverflow(p2);
    await screenshot(p2, 'bucket-access-phone-light');
    await phone.close();
  });
});
