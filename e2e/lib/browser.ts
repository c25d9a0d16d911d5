import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './env.ts';

/**
 * Debian's chromium through playwright-core (Playwright cannot download browsers here). launch()
 * gives every browser a fresh temporary profile (user-data dir), removed on close.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ContextOptions {
  colorScheme?: 'light' | 'dark';
  /** Defaults to a laptop screen; pass { width: 390, height: 844 } for a phone. */
  viewport?: { width: number; height: number };
}

/** A new isolated context (own cookies and localStorage) pointed at the e2e server. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  opts: ContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.viewport ?? { width: 1366, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * Screenshot into e2e/artifacts/<name>.png (look at them: they are the design review). Full page by
 * default; `fullPage: false` for overlays that cover the viewport (the phone navigation drawer).
 */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  // Let pending requests settle so skeletons do not end up in the picture.
  await page.waitForLoadState('networkidle');
  // A full-page shot of a scrolled page paints the sticky header and sidebar mid-picture.
  if (opts.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: join(ARTIFACTS_DIR, `${name}.png`),
    fullPage: opts.fullPage ?? true,
    animations: 'disabled',
  });
}

/** Fails when the page is wider than the viewport (content overflowing sideways on a phone). */
export async function assertNoHorizontalOverflow(page: Page): Promise<void> {
  const { scroll, client } = await page
    .locator('html')
    .evaluate((el) => ({ scroll: el.scrollWidth as number, client: el.clientWidth as number }));
  if (scroll > client) throw new Error(`${page.url()} is ${scroll}px wide in a ${client}px viewport`);
}

/** Signs in through the login form and waits for the shell. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: `Account menu for ${username}` }).waitFor();
}

/** Opens the account menu and signs out; waits for the login page. */
export async function signOut(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: `Account menu for ${username}` }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to ProxiCloud' }).waitFor();
}

/** Creates a bucket through the Buckets page's dialog and waits on the new bucket's page. */
export async function createBucketInConsole(
  page: Page,
  baseUrl: string,
  bucket: string,
  opts: { objectLock?: boolean } = {},
): Promise<void> {
  await page.goto(`${baseUrl}/storage/buckets`);
  await page.getByRole('button', { name: 'Create bucket' }).first().click();
  const create = page.getByRole('dialog', { name: 'Create bucket' });
  await create.getByLabel('Bucket name').fill(bucket);
  if (opts.objectLock) await create.getByLabel(/Object lock/).check();
  await create.getByRole('button', { name: 'Create bucket' }).click();
  await page.getByRole('heading', { name: bucket }).waitFor();
}
