import { describe, expect, test } from 'vitest';
import { apiAs } from '../../lib/api.ts';
import { assertNoHorizontalOverflow, newContext, screenshot, signIn } from '../../lib/browser.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('functions: list, editor, test panel, URL', () => {
  test('create a Node function, edit it in the editor, deploy, test it and call its URL', async () => {
    await seedUser(e2e.admin, { username: 'fern', password: 'fern-password-01', role: 'operator' });
    const fern = await apiAs(e2e.baseUrl, 'fern', 'fern-password-01');
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'fern', 'fern-password-01');
    await page.goto('/functions');
    await page.getByRole('heading', { name: 'No functions yet' }).waitFor();

    await page.getByRole('button', { name: 'Create function' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create function' });
    await dialog.getByLabel('Name').fill('greeter');
    await dialog.getByRole('button', { name: 'Create function' }).click();
    await page.getByRole('heading', { name: 'greeter' }).waitFor();

    // the editor (CodeMirror, lazily loaded) shows the starter code; replace it and deploy
    const editor = page.getByRole('textbox', { name: 'Code of index.mjs' });
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(
      "export const handler = async (event) => { console.log('hi from the browser'); return { statusCode: 200, body: 'Hello, ' + (event.name ?? event.rawPath) }; };",
    );
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Deployed version 2').waitFor();

    await page.getByLabel('Event (JSON)').fill('{"name":"Ada"}');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const result = page.getByTestId('test-result');
    await result.getByText('success').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('test-output').textContent()).resolves.toContain('Hello, Ada');
    await expect(page.getByTestId('test-logs').textContent()).resolves.toContain('hi from the browser');
    await screenshot(page, 'functions-editor-light');

    await page.getByRole('tab', { name: 'Triggers' }).click();
    await page.getByLabel('Auth').selectOption('none');
    await page.getByRole('button', { name: 'Create URL' }).click();
    await page.getByRole('button', { name: 'Save URL' }).waitFor();
    const fns = await fern.GET('/api/v1/functions');
    const fn = fns.data!.items[0]!;
    expect(fn.url?.auth).toBe('none');
    const res = await fetch(`${e2e.baseUrl}${fn.url!.url}world`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Hello, /world');

    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalOverflow(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto('/functions');
    await page.getByRole('link', { name: 'greeter' }).waitFor();
    await context.close();
  });

  test('create a Go function from the starter, test it; a deploy that does not build shows the compiler output', async () => {
    const rt = await e2e.admin.GET('/api/v1/functions/runtimes');
    if (!rt.data?.runtimes.find((r) => r.name === 'go')?.available) {
      console.warn('[e2e functions] Go test skipped: no Go toolchain on the runner (golang-go)');
      return;
    }
    await seedUser(e2e.admin, { username: 'gopher', password: 'gopher-password-01', role: 'operator' });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'gopher', 'gopher-password-01');
    await page.goto('/functions');
    await page.getByRole('button', { name: 'Create function' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create function' });
    await dialog.getByLabel('Name').fill('hello-go');
    await dialog.getByLabel('Runtime').selectOption('go');
    await dialog.getByRole('button', { name: 'Create function' }).click();
    await page.getByRole('heading', { name: 'hello-go' }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Code of main.go' });
    await editor.waitFor();
    await expect(editor.textContent()).resolves.toContain('func Handler(ctx context.Context, event Event)');

    await page.getByLabel('Event (JSON)').fill('{"name":"Ada"}');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByTestId('test-result').getByText('success').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('test-output').textContent()).resolves.toContain('Ada');
    await expect(page.getByTestId('test-logs').textContent()).resolves.toContain('event {Name:Ada}');

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('package main\n\nfunc Handler() string {\n\treturn notDefined\n}\n');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('The Go code does not build:').waitFor();
    await expect(page.textContent('body')).resolves.toContain('undefined: notDefined');
    await screenshot(page, 'functions-go-build-error');
    await context.close();
  });

  test('the configuration tab picks secrets by name; an invocation gets the value', async () => {
    await seedUser(e2e.admin, { username: 'fiona', password: 'fiona-password-01', role: 'operator' });
    const fiona = await apiAs(e2e.baseUrl, 'fiona', 'fiona-password-01');
    const secret = await fiona.POST('/api/v1/secrets', {
      body: { name: 'fnapp/db/password', value: 'fn-e2e-s3cret' },
    });
    expect(secret.response.status, JSON.stringify(secret.error)).toBe(201);
    const created = await fiona.POST('/api/v1/functions', {
      body: {
        name: 'reader',
        runtime: 'nodejs',
        handler: 'index.handler',
        memoryMb: 128,
        timeoutSeconds: 10,
        code: {
          files: {
            'index.mjs': 'export const handler = async () => ({ pw: process.env.DB_PASSWORD ?? null });',
          },
        },
      },
    });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const id = created.data!.id;
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'fiona', 'fiona-password-01');
    await page.goto(`/functions/${id}`);
    await page.getByRole('tab', { name: 'Configuration' }).click();
    await page.getByLabel('Variable').fill('DB_PASSWORD');
    const picker = page.getByLabel('Secret', { exact: true });
    await picker.locator('option', { hasText: 'fnapp/db/password' }).waitFor({ state: 'attached' });
    await picker.selectOption({ label: 'fnapp/db/password' });
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('button', { name: 'Save (new version)' }).click();
    await expect
      .poll(
        async () => (await fiona.GET('/api/v1/functions/{id}', { params: { path: { id } } })).data?.secretEnv,
      )
      .toEqual({ DB_PASSWORD: 'fnapp/db/password' });
    const invoked = await fiona.POST('/api/v1/functions/{id}/invoke', {
      params: { path: { id } },
      body: { payload: {} },
    });
    expect(invoked.data?.result).toEqual({ pw: 'fn-e2e-s3cret' });
    expect(await page.textContent('body')).not.toContain('fn-e2e-s3cret');
    await context.close();
  });
});
