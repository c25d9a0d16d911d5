import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { apiAs } from './api.ts';
import { launchBrowser } from './browser.ts';
import { ADMIN_PASSWORD } from './env.ts';

/** Per test file: the server URL, one browser, and an admin SDK client. */
export function useE2e() {
  const ctx = {} as { baseUrl: string; browser: Browser; admin: Awaited<ReturnType<typeof apiAs>> };
  beforeAll(async () => {
    ctx.baseUrl = inject('baseUrl');
    ctx.browser = await launchBrowser();
    ctx.admin = await apiAs(ctx.baseUrl, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await ctx.browser?.close();
  });
  return ctx;
}

/** Creates a user through the API (as admin) and returns its id. */
export async function seedUser(
  admin: Awaited<ReturnType<typeof apiAs>>,
  user: { username: string; password: string; role: 'admin' | 'operator' | 'readonly'; fullName?: string },
): Promise<string> {
  const { data, response } = await admin.POST('/api/v1/users', { body: user });
  if (!data) throw new Error(`seeding ${user.username} failed: HTTP ${response.status}`);
  return data.id;
}
