import { describe, expect, test } from 'vitest';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
const PHONE = { width: 390, height: 844 };

/** Things a first-time user tripped over in the walk-through of the week's new pages. */
describe('walk-through fixes', () => {
  test('a function page with a long line of code fits a phone', async () => {
    const created = await e2e.admin.POST('/api/v1/functions', {
      body: {
        name: 'long-line',
        runtime: 'nodejs',
        handler: 'index.handler',
        memoryMb: 128,
        timeoutSeconds: 10,
        code: {
          files: {
            'index.mjs': `export const handler = async (event) => ({ greeting: 'hello', name: event?.name ?? 'a rather long default name that does not wrap' });`,
          },
        },
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const context = await newContext(e2e.browser, e2e.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto(`/functions/${created.data!.id}`);
    await page.getByRole('heading', { name: 'long-line' }).waitFor();
    await page.getByRole('button', { name: 'Test', exact: true }).waitFor();
    await page.getByText('a rather long default name', { exact: false }).first().waitFor();
    await assertNoHorizontalOverflow(page);
    await screenshot(page, 'walk-function-phone');
    await context.close();
  });

  test('quotas on a phone: the user and the Edit button stay in sight', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/iam/quotas');
    const edit = page.getByRole('button', { name: 'Edit quota of admin' });
    await edit.waitFor();
    await expect.poll(() => edit.boundingBox().then((b) => (b ? b.x + b.width : 9999))).toBeLessThan(390);
    await assertNoHorizontalOverflow(page);
    // scrolled sideways to the last limit, the user column stays put
    await page.locator('table').evaluate((t) => {
      (t.parentElement as HTMLElement).scrollLeft = 10_000;
    });
    await expect.poll(() => edit.boundingBox().then((b) => (b ? b.x + b.width : 9999))).toBeLessThan(390);
    await page.getByRole('columnheader', { name: 'Function memory running' }).waitFor();
    await screenshot(page, 'walk-quotas-phone', { fullPage: false });
    await edit.click();
    await page.getByRole('dialog', { name: 'Quota for admin' }).waitFor();
    await context.close();
  });

  test('a bucket with object lock does not offer to suspend versioning (S3 refuses it)', async () => {
    const bucket = 'walk-locked';
    const res = await e2e.admin.POST('/api/v1/buckets', { body: { name: bucket, objectLockEnabled: true } });
    expect(res.response.status).toBe(201);
    await e2e.admin.POST('/api/v1/buckets', { body: { name: 'walk-plain' } });
    await e2e.admin.PUT('/api/v1/buckets/{bucket}/versioning', {
      params: { path: { bucket: 'walk-plain' } },
      body: { status: 'Enabled' },
    });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    // a plain versioned bucket still offers it
    await page.goto('/storage/buckets/walk-plain');
    await page.getByRole('button', { name: 'Suspend versioning' }).waitFor();
    await page.goto(`/storage/buckets/${bucket}`);
    await page.getByText('Object lock: no default retention').waitFor();
    await page.getByText('Versioning on').waitFor();
    expect(await page.getByRole('button', { name: 'Suspend versioning' }).count()).toBe(0);
    await context.close();
  });

  test('app cards clamp their description to three whole lines', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl, { viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/apps');
    const card = page.getByTestId('template-authentik');
    await card.waitFor();
    const { height, lineHeight } = await card.locator('p').evaluate((p) => ({
      height: p.getBoundingClientRect().height,
      lineHeight: Number.parseFloat(getComputedStyle(p).lineHeight),
    }));
    expect(height).toBeLessThanOrEqual(3 * lineHeight + 1);
    await context.close();
  });
});
