import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { eventually } from '../../lib/api.ts';
import { newContext, screenshot, signIn, signOut } from '../../lib/browser.ts';
import { ADMIN_PASSWORD } from '../../lib/env.ts';
import { seedUser, useE2e } from '../../lib/fixtures.ts';

const e2e = useE2e();

/** Fills and submits the login form; resolves with the HTTP status of POST /auth/login. */
async function submitLogin(page: Page, username: string, password: string): Promise<number> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return response.status();
}

describe('sign-in, shell, sign-out', () => {
  test('admin signs in, sees the shell, signs out', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();

    // Signed out, the console sends you to the login page.
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in to ProxiCloud' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByText('DEMO — simulated Proxmox node').waitFor();
    await screenshot(page, 'login-light');

    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Services' });
    for (const name of [
      'Dashboard',
      'Instances',
      'Volumes',
      'Buckets',
      'Audit log',
      'Users',
      'Access keys',
    ]) {
      // Pages not built yet carry a "soon" tag in their name.
      await nav.getByRole('link', { name: new RegExp(`^${name}( soon)?$`) }).waitFor();
    }
    await page.getByText('DEMO — simulated Proxmox node').waitFor();
    await screenshot(page, 'dashboard-admin-light');

    // The sign-in is in the audit trail (asserted through the API).
    const login = await eventually(async () => {
      const { data } = await e2e.admin.GET('/api/v1/logs/audit', {
        params: { query: { username: 'admin', action: 'auth.login', limit: 5 } },
      });
      return data && data.total >= 2 ? data : undefined; // the API client's own login + this one
    }, 'auth.login audit entries');
    expect(login.items[0]?.result).toBe('success');

    await signOut(page, 'admin');
    await page.getByText('You have signed out.').waitFor();
    // The session is really gone: the console's API calls are refused.
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(status).toBe(401);
    await context.close();
  });

  test('a deep link survives the login page', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await page.goto('/monitoring/audit?result=success');
    await page.getByRole('heading', { name: 'Sign in to ProxiCloud' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/monitoring/audit?result=success');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
      '/monitoring/audit?result=success',
    );
    await context.close();
  });

  test('a wrong password gives a clear error and no session', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await seedUser(e2e.admin, { username: 'wrongpw', password: 'right-password-1', role: 'operator' });
    await page.goto('/login');
    expect(await submitLogin(page, 'wrongpw', 'not-the-password')).toBe(401);
    await page.getByRole('alert').getByText('Incorrect username or password.').waitFor();
    expect((await context.cookies()).some((c) => c.name === 'pc_access')).toBe(false);
    await context.close();
  });

  test('an expired access token is renewed silently, also before a mutating call', async () => {
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'admin', ADMIN_PASSWORD);
    const before = (await context.cookies()).find((c) => c.name === 'pc_csrf')?.value;

    // The access cookie expires (15 min): the next API call gets 401, refreshes, retries.
    await context.clearCookies({ name: 'pc_access' });
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('cell', { name: /admin/ }).first().waitFor();
    const cookies = await context.cookies();
    expect(cookies.some((c) => c.name === 'pc_access')).toBe(true);
    // The CSRF token is bound to the session (an HMAC of its id), so the refresh keeps it.
    expect(before).toBeTruthy();
    expect(cookies.find((c) => c.name === 'pc_csrf')?.value).toBe(before);

    // A mutating call right after a refresh still carries a valid CSRF token.
    await context.clearCookies({ name: 'pc_access' });
    await page
      .getByRole('navigation', { name: 'Services' })
      .getByRole('link', { name: 'Access keys' })
      .click();
    await page.getByRole('button', { name: 'Create access key' }).click();
    await page.getByLabel('Description (optional)').fill('after refresh');
    await page.getByRole('dialog').getByRole('button', { name: 'Create access key' }).click();
    await page.getByRole('heading', { name: 'Access key created' }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    await context.close();
  });

  test('a revoked session goes to the login page and back to where the user was', async () => {
    const id = await seedUser(e2e.admin, {
      username: 'revoked',
      password: 'revoked-password-1',
      role: 'operator',
    });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'revoked', 'revoked-password-1');
    // An admin resets the password (revokes every session); then the access cookie expires.
    const reset = await e2e.admin.POST('/api/v1/users/{id}/password', {
      params: { path: { id } },
      body: { password: 'revoked-password-2' },
    });
    expect(reset.response.status).toBe(204);
    await context.clearCookies({ name: 'pc_access' });
    await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('Your session ended. Sign in again to continue.').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/monitoring/audit');
    await signIn(page, 'revoked', 'revoked-password-2');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();

    // Signed out and no cookies at all: the login page, without a "session ended" note.
    await context.clearCookies();
    await page.goto('/profile');
    await page.getByRole('heading', { name: 'Sign in to ProxiCloud' }).waitFor();
    expect(await page.getByText('Your session ended.').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/profile');
    await context.close();
  });

  test('repeated failures lock the account and the message says when to retry', async () => {
    await seedUser(e2e.admin, { username: 'lockme', password: 'lockme-password-1', role: 'operator' });
    const context = await newContext(e2e.browser, e2e.baseUrl);
    const page = await context.newPage();
    await page.goto('/login');
    const locked = page.getByText('Too many failed sign-in attempts.');
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 7 && statuses.at(-1) !== 429; attempt++) {
      statuses.push(await submitLogin(page, 'lockme', `wrong-${attempt}`));
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    await locked.waitFor();
    await page.getByText(/Try again in \d+ minutes? \(at \d\d:\d\d\)/).waitFor();
    await screenshot(page, 'login-locked-light');
    // The right password does not help while locked.
    expect(await submitLogin(page, 'lockme', 'lockme-password-1')).toBe(429);
    await locked.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });
});
