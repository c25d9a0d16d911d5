import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();
const USER = 'sabine-secrets';
const PASSWORD = 'sabine-password-01';
const VALUE = 'e2e-s3cret-value-4411';

describe('secrets console', () => {
  test('folders, audited reveal and copy, a new version and a policy grant', async () => {
    await seedUser(e2e.admin, { username: USER, password: PASSWORD, role: 'operator' });
    const sabine = await apiAs(e2e.baseUrl, USER, PASSWORD);
    const seeded = await sabine.POST('/api/v1/secrets', {
      body: { name: 'e2esec/db/password', value: VALUE, description: 'e2e database' },
    });
    expect(seeded.response.status, JSON.stringify(seeded.error)).toBe(201);

    const context = await newContext(e2e.browser, e2e.baseUrl);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    await signIn(page, USER, PASSWORD);
    await page.goto('/secrets');
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    // folders by path
    await page.getByRole('button', { name: /e2esec\// }).click();
    await page.getByRole('button', { name: /db\// }).click();
    await page.getByRole('button', { name: 'password', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'e2esec/db/password' }).waitFor();
    expect(await dialog.textContent()).not.toContain(VALUE);

    // reveal is an audited click
    await dialog.getByRole('button', { name: 'Reveal value' }).click();
    await expect.poll(() => dialog.getByRole('region', { name: 'Secret value' }).textContent()).toBe(VALUE);
    await dialog.getByRole('button', { name: 'Copy value' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(VALUE);
    const audit = await e2e.admin.GET('/api/v1/logs/audit', {
      params: { query: { action: 'secrets.read_value', limit: 50 } },
    });
    expect(audit.data?.items.some((e) => e.resourceId === seeded.data!.id && e.username === USER)).toBe(true);
    expect(JSON.stringify(audit.data)).not.toContain(VALUE);
    await screenshot(page, 'secrets-revealed-light');

    // a new version
    await dialog.getByLabel('New version').fill('e2e-s3cret-value-v2');
    await dialog.getByRole('button', { name: 'Save as version 2' }).click();
    await expect
      .poll(
        async () =>
          (
            await sabine.GET('/api/v1/secrets/{name}/metadata', {
              params: { path: { name: seeded.data!.id } },
            })
          ).data?.currentVersion,
      )
      .toBe(2);

    // policy editor
    await dialog.getByRole('tab', { name: 'Access policy' }).click();
    await dialog.getByLabel('Principal').fill('role:readonly');
    await dialog.getByRole('button', { name: 'Add grant' }).click();
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await expect
      .poll(
        async () =>
          (await sabine.GET('/api/v1/secrets/{name}/policy', { params: { path: { name: seeded.data!.id } } }))
            .data?.grants,
      )
      .toEqual([{ principal: 'role:readonly', access: 'read' }]);
    await context.close();
  }, 120_000);

  test('create through the console; the launch wizard offers secrets by name; phone layout', async () => {
    const sabine = await apiAs(e2e.baseUrl, USER, PASSWORD);
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, USER, PASSWORD);
    await page.goto('/secrets');
    await page.getByRole('button', { name: 'Create secret' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('e2esec/api/token');
    await create.getByRole('textbox', { name: 'Value' }).fill('e2e-token-998');
    await create.getByRole('button', { name: 'Create secret' }).click();
    await expect
      .poll(
        async () =>
          (await sabine.GET('/api/v1/secrets/{name}', { params: { path: { name: 'e2esec/api/token' } } }))
            .data?.value,
      )
      .toBe('e2e-token-998');

    // the launch wizard offers the secrets by name
    await page.goto('/compute/instances/launch');
    await page.getByRole('heading', { name: 'Launch instance', level: 1 }).waitFor();
    const picker = page.getByLabel('Secret', { exact: true });
    await picker.locator('option', { hasText: 'e2esec/db/password' }).waitFor({ state: 'attached' });
    await context.close();

    // phone layout
    const phone = await newContext(e2e.browser, e2e.baseUrl, { viewport: { width: 390, height: 844 } });
    const p2 = await phone.newPage();
    await signIn(p2, USER, PASSWORD);
    await p2.goto('/secrets?prefix=e2esec%2F');
    await p2.getByRole('button', { name: /db\// }).waitFor();
    await assertNoHorizontalOverflow(p2);
    await screenshot(p2, 'secrets-phone-light');
    await phone.close();
  }, 120_000);
  test('the instance page shows its secrets and refreshes a running container', async () => {
    const sabine = await apiAs(e2e.baseUrl, USER, PASSWORD);
    const catalog = await sabine.GET('/api/v1/catalog', { params: { query: { type: 'lxc' } } });
    const template = catalog.data?.items.find((c) => c.launchable)?.id;
    const launched = await sabine.POST('/api/v1/instances', {
      body: {
        name: 'e2esec-ct',
        type: 'lxc',
        template: template!,
        instanceType: 't.micro',
        secretEnv: { DB_PASSWORD: 'e2esec/db/password' },
      },
    });
    expect(launched.response.status, JSON.stringify(launched.error)).toBe(202);
    const id = launched.data!.instance.id;
    await eventually(
      async () => {
        const { data } = await sabine.GET('/api/v1/instances/{id}', { params: { path: { id } } });
        return data?.status === 'running' && !data.activeOperationId ? data : undefined;
      },
      'e2esec-ct running',
      40_000,
    );
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, USER, PASSWORD);
    await page.goto(`/compute/instances/${id}`);
    const list = page.getByRole('list', { name: 'Secret environment' });
    await list.getByText('DB_PASSWORD').waitFor();
    const link = list.getByRole('link', { name: 'e2esec/db/password' });
    expect(await link.getAttribute('href')).toBe('/secrets?prefix=e2esec%2Fdb%2F');
    expect(await page.textContent('body')).not.toContain(VALUE);
    await page.getByRole('button', { name: 'Refresh secrets now' }).click();
    await page.getByText('Secrets refreshed').waitFor();
    const audit = await e2e.admin.GET('/api/v1/logs/audit', {
      params: { query: { action: 'secrets.inject', limit: 50 } },
    });
    expect(audit.data?.items.some((e) => e.resourceId === id && e.username === USER)).toBe(true);
    await context.close();
  });
});
