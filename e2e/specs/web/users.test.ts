import { describe, expect, test } from 'vitest';
import { apiAs, eventually } from '../../lib/api.ts';
import { newContext, screenshot, signIn, signOut } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

describe('IAM users', () => {
  test('admin creates a user who then signs in and sees the shell without admin navigation', async () => {
    const admin = await newContext(e2e.browser, e2e.baseUrl);
    const page = await admin.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('cell', { name: /^admin/ }).waitFor();
    await screenshot(page, 'users-light');

    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create user' });
    await dialog.getByLabel('Username').fill('olivia');
    await dialog.getByLabel('Full name (optional)').fill('Olivia Operator');
    await dialog.getByLabel('Role').selectOption('operator');
    await dialog.getByLabel('Password', { exact: true }).fill('olivia-password-1');
    await screenshot(page, 'users-create-dialog-light');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User olivia created').waitFor();
    await page
      .getByRole('cell', { name: /olivia/ })
      .first()
      .waitFor();

    // Asserted through the API, not only the screen.
    const created = await eventually(async () => {
      const { data } = await e2e.admin.GET('/api/v1/users', { params: { query: { q: 'olivia' } } });
      return data?.items.find((u) => u.username === 'olivia');
    }, 'olivia in GET /users');
    expect(created.role).toBe('operator');
    expect(created.fullName).toBe('Olivia Operator');
    expect(created.status).toBe('active');

    // A second browser: olivia signs in and sees the shell, without the admin-only Users page.
    const other = await newContext(e2e.browser, e2e.baseUrl);
    const op = await other.newPage();
    await signIn(op, 'olivia', 'olivia-password-1');
    await op.getByRole('heading', { name: 'Welcome, Olivia Operator' }).waitFor();
    const nav = op.getByRole('navigation', { name: 'Services' });
    await nav.getByRole('link', { name: 'Access keys' }).waitFor();
    await nav.getByRole('link', { name: 'Audit log' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    await screenshot(op, 'dashboard-operator-light');
    // Typing the URL shows a clear refusal, not a broken page.
    await op.goto('/iam/users');
    await op.getByText('You do not have access to this page').waitFor();
    await signOut(op, 'olivia');
    await other.close();
    await admin.close();
  });

  test('admin edits, disables, enables, resets the password of and deletes a user', async () => {
    const id = await seedUser(e2e.admin, { username: 'pat', password: 'pat-password-01', role: 'operator' });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/iam/users?q=pat');
    await page.getByRole('cell', { name: /^pat/ }).waitFor();

    // Edit role and name.
    await page.getByRole('button', { name: 'Actions for pat' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit pat' });
    await edit.getByLabel('Full name').fill('Pat Reader');
    await edit.getByLabel('Role').selectOption('readonly');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => {
      const { data } = await e2e.admin.GET('/api/v1/users/{id}', { params: { path: { id } } });
      return data?.role === 'readonly' && data.fullName === 'Pat Reader' ? data : undefined;
    }, 'pat to be a ReadOnly user named Pat Reader');

    // Disable, then enable.
    await page.getByRole('button', { name: 'Actions for pat' }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await page.getByText('User pat disabled').waitFor();
    await eventually(async () => {
      const { data } = await e2e.admin.GET('/api/v1/users/{id}', { params: { path: { id } } });
      return data?.status === 'disabled' ? data : undefined;
    }, 'pat disabled');
    await page.getByRole('button', { name: 'Actions for pat' }).click();
    await page.getByRole('menuitem', { name: 'Enable' }).click();
    await page.getByText('User pat enabled').waitFor();

    // Reset the password: the new one works through the API.
    await page.getByRole('button', { name: 'Actions for pat' }).click();
    await page.getByRole('menuitem', { name: 'Reset password' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset password of pat' });
    await reset.getByLabel('New password').fill('pat-new-password-2');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('Password of pat reset').waitFor();
    await apiAs(e2e.baseUrl, 'pat', 'pat-new-password-2');

    // Delete: the confirmation names the user; Escape cancels without deleting.
    await page.getByRole('button', { name: 'Actions for pat' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete user pat?' });
    await confirm.waitFor();
    await screenshot(page, 'users-delete-dialog-light');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect((await e2e.admin.GET('/api/v1/users/{id}', { params: { path: { id } } })).response.status).toBe(
      200,
    );

    await page.getByRole('button', { name: 'Actions for pat' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete pat' }).click();
    await page.getByText('User pat deleted').waitFor();
    await eventually(async () => {
      const { response } = await e2e.admin.GET('/api/v1/users/{id}', { params: { path: { id } } });
      return response.status === 404 ? true : undefined;
    }, 'pat to be gone');
    await context.close();
  });

  test('a ReadOnly user sees no buttons that change anything', async () => {
    await seedUser(e2e.admin, {
      username: 'rita',
      password: 'rita-password-01',
      role: 'readonly',
      fullName: 'Rita Reader',
    });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'rita', 'rita-password-01');
    await page.getByRole('heading', { name: 'Welcome, Rita Reader' }).waitFor();
    await page.getByText('You can look at your resources but not change them.').waitFor();
    expect(await page.getByRole('link', { name: 'Create an access key for the CLI' }).count()).toBe(0);
    const nav = page.getByRole('navigation', { name: 'Services' });
    expect(await nav.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    await screenshot(page, 'dashboard-readonly-light');

    await nav.getByRole('link', { name: 'Access keys' }).click();
    await page.getByText('No access keys yet').waitFor();
    expect(await page.getByRole('button', { name: /create/i }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /delete/i }).count()).toBe(0);

    await nav.getByRole('link', { name: 'Audit log' }).click();
    await page
      .getByRole('table', { name: 'Audit log entries' })
      .getByRole('cell', { name: 'auth.login' })
      .first()
      .waitFor();
    expect(await page.getByRole('region', { name: 'Audit chain verification' }).count()).toBe(0);

    // The API refuses the same actions anyway.
    const rita = await apiAs(e2e.baseUrl, 'rita', 'rita-password-01');
    expect((await rita.POST('/api/v1/access-keys', { body: {} })).response.status).toBe(403);
    expect((await rita.GET('/api/v1/users')).response.status).toBe(403);
    await context.close();
  });
});
