/**
 * `npm run bench:web [-- --runs 20] [-- --instances 1000] [-- --no-build]`
 *
 * 1. Production build of the console (`vite build --manifest` in apps/web) and, from Vite's manifest, the
 *    initial JS + CSS (gzip level 9) per route: the entry chunk and its static imports, plus the route's
 *    lazy chunk and its static imports (not already in the entry), plus every CSS file those chunks
 *    carry. Login and the dashboard are part of the entry.
 * 2. The real server in demo mode (scripts/bench-web-server.ts: `startServer`, simulator at zero task
 *    latency, temp data dir, free port, serving the build) with 1,000 instances owned by user `bench`.
 * 3. Headless Chromium (playwright-core, /usr/bin/chromium) opens /compute/instances signed in as
 *    `bench`: `--runs` cold loads (a new browser context each: empty HTTP cache, cookies only) and
 *    `--runs` warm loads (one context, after one unmeasured load). Per load: First Contentful Paint
 *    (the `paint` entry) and time to interactive (`performance.mark('pc:instances:interactive')`, set
 *    by the page in the effect after the first commit with the table's rows), both from navigation
 *    start, and the duration of the `GET /api/v1/instances` call.
 * Prints markdown tables (p50 / p95) and a JSON line. Stops the server and removes the data dir.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'apps', 'web');
const dist = join(web, 'dist');

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = opt('runs', 20);
const INSTANCES = opt('instances', 1000);
const BUILD = !args.includes('--no-build');
const ROUTE = '/compute/instances';
const MARK = 'pc:instances:interactive';

/* ------------------------------------------------------------------ 1. bundle sizes */

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

function closure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const k of manifest[key]?.imports ?? []) closure(manifest, k, into);
  return into;
}

function sizeOf(manifest: Manifest, keys: Iterable<string>) {
  let js = 0;
  const css = new Set<string>();
  for (const k of keys) {
    const chunk = manifest[k]!;
    js += gz(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
  }
  let cssBytes = 0;
  for (const c of css) cssBytes += gz(c);
  return { js, css: cssBytes };
}

/** Route path → page module, read from the router's lazy routes. */
function lazyRoutes(): Array<{ path: string; module: string }> {
  const src = readFileSync(join(web, 'src', 'app', 'router.tsx'), 'utf8');
  const out: Array<{ path: string; module: string }> = [];
  for (const m of src.matchAll(
    /path: '([^']+)',(?:(?!path: ')[\s\S])*?lazy: page\(\(\) => import\('\.\.\/([^']+)'\)\)/g,
  ))
    out.push({ path: `/${m[1]}`, module: `src/${m[2]}` });
  return out;
}

function bundleSizes() {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error('no entry in the Vite manifest');
  const initial = closure(manifest, entryKey);
  // index.html loads public/theme-init.js before the first paint: it belongs to every route.
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const extraJs = [...html.matchAll(/<script[^>]*src="\/([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((f) => !Object.values(manifest).some((c) => c.file === f))
    .reduce((sum, f) => sum + gz(f), 0);
  const base = sizeOf(manifest, initial);
  const rows = [
    { route: '/login, / (dashboard)', js: base.js + extraJs, css: base.css },
    ...lazyRoutes().map(({ path, module }) => {
      if (!manifest[module]) throw new Error(`${module} (route ${path}) is not in the manifest`);
      const keys = closure(manifest, module, new Set(initial));
      const s = sizeOf(manifest, keys);
      return { route: path, js: s.js + extraJs, css: s.css };
    }),
  ];
  return { rows, html: gz('index.html') };
}

/* ------------------------------------------------------------------ 2. server */

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Seeded {
  url: string;
  username: string;
  password: string;
  instances: number;
}

async function startBenchServer(dataDir: string): Promise<{ child: ChildProcess; seeded: Seeded }> {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith('PROXICLOUD_') || k.startsWith('PROXMOX_') || k === 'DATABASE_URL') delete env[k];
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench-web-server.ts')], {
    cwd: root,
    env: {
      ...env,
      NODE_ENV: 'production',
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_PORT: String(port),
      PROXICLOUD_S3_PORT: 'off',
      PROXICLOUD_DATA_DIR: dataDir,
      PROXICLOUD_WEB_DIR: dist,
      PROXICLOUD_ADMIN_PASSWORD: 'bench-web-admin-password-0001',
      PROXICLOUD_LOG_LEVEL: 'error',
      BENCH_WEB_INSTANCES: String(INSTANCES),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seeded = await new Promise<Seeded>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('the bench server did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`the bench server exited with code ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n').slice(0, -1)) {
        try {
          const v = JSON.parse(line) as Partial<Seeded>;
          if (v.url && v.username) {
            clearTimeout(timer);
            resolve(v as Seeded);
          }
        } catch {
          // a log line
        }
      }
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
  });
  child.stdout!.resume();
  return { child, seeded };
}

/* ------------------------------------------------------------------ 3. browser */

interface Sample {
  fcp: number;
  tti: number;
  api: number;
  /** Where the time goes (ms from navigation start): DOMContentLoaded, `/auth/me` answered, the page's lazy chunk loaded, the list answered. */
  dcl: number;
  me: number;
  chunk: number;
  listEnd: number;
}

// The page's timing entries (this file is type-checked without the DOM library).
interface ResourceEntry {
  name: string;
  duration: number;
  responseEnd: number;
}
interface NavEntry {
  domContentLoadedEventEnd: number;
}

async function measure(page: Page, url: string): Promise<Sample> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, MARK, {
    polling: 'raf',
    timeout: 30_000,
  });
  const rows = await page.locator('table tbody tr').count();
  if (rows < 20) throw new Error(`the instances table shows ${rows} rows, expected a full page (20)`);
  const s = await page.evaluate((mark) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const tti = performance.getEntriesByName(mark)[0]!;
    const res = performance.getEntriesByType('resource') as unknown as ResourceEntry[];
    // (no named helper functions in here: tsx's __name wrapper does not exist in the page)
    const api = res.find((e) => /\/api\/v1\/instances\?/.test(e.name));
    const nav = performance.getEntriesByType('navigation' as 'resource')[0] as unknown as
      | NavEntry
      | undefined;
    return {
      fcp: fcp?.startTime ?? Number.NaN,
      tti: tti.startTime,
      api: api?.duration ?? Number.NaN,
      dcl: nav?.domContentLoadedEventEnd ?? Number.NaN,
      me: res.find((e) => /\/api\/v1\/auth\/me/.test(e.name))?.responseEnd ?? Number.NaN,
      chunk: res.find((e) => /\/assets\/InstancesPage-/.test(e.name))?.responseEnd ?? Number.NaN,
      listEnd: api?.responseEnd ?? Number.NaN,
    };
  }, MARK);
  return s;
}

async function signedInContext(browser: Browser, baseURL: string, seeded: Seeded): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1366, height: 860 },
    locale: 'en-GB',
  });
  const res = await context.request.post('/api/v1/auth/login', {
    data: { username: seeded.username, password: seeded.password },
  });
  if (!res.ok()) throw new Error(`login as ${seeded.username}: HTTP ${res.status()}`);
  return context;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const load = loadavg()[0]!.toFixed(2);
  if (BUILD) {
    const t = Date.now();
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--manifest', '--logLevel', 'warn'],
      { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
    console.error(`vite build: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const sizes = bundleSizes();

  const dataDir = mkdtempSync(join(tmpdir(), 'pc-bench-web-'));
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const t = Date.now();
    const started = await startBenchServer(dataDir);
    child = started.child;
    const { seeded } = started;
    console.error(
      `server up with ${seeded.instances} instances in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });

    const cold: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await signedInContext(browser, seeded.url, seeded);
      cold.push(await measure(await context.newPage(), ROUTE));
      await context.close();
    }
    const warm: Sample[] = [];
    const context = await signedInContext(browser, seeded.url, seeded);
    const page = await context.newPage();
    await measure(page, ROUTE); // fills the HTTP cache, not measured
    for (let i = 0; i < RUNS; i++) warm.push(await measure(page, ROUTE));
    await context.close();

    const fmt = (n: number) => `${Math.round(n)} ms`;
    const line = (name: string, s: Sample[]) =>
      `| ${name} | ${s.length} | ${fmt(
        pct(
          s.map((x) => x.fcp),
          50,
        ),
      )} | ${fmt(
        pct(
          s.map((x) => x.fcp),
          95,
        ),
      )} | ` +
      `${fmt(
        pct(
          s.map((x) => x.tti),
          50,
        ),
      )} | ${fmt(
        pct(
          s.map((x) => x.tti),
          95,
        ),
      )} | ` +
      `${fmt(
        pct(
          s.map((x) => x.api),
          50,
        ),
      )} | ${fmt(
        pct(
          s.map((x) => x.api),
          95,
        ),
      )} |`;

    const out = [
      `Web console bench (load average ${load} at the start; ${seeded.instances} instances, page size 20)`,
      '',
      '| route | initial JS (gzip) | CSS (gzip) | total |',
      '| --- | ---: | ---: | ---: |',
      ...sizes.rows.map((r) => `| \`${r.route}\` | ${kb(r.js)} | ${kb(r.css)} | ${kb(r.js + r.css)} |`),
      '',
      `\`index.html\`: ${kb(sizes.html)} gzip.`,
      '',
      `| \`${ROUTE}\` | loads | FCP p50 | FCP p95 | TTI p50 | TTI p95 | list API p50 | list API p95 |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      line('cold (new context)', cold),
      line('warm (HTTP cache)', warm),
      '',
      'Where the time goes (p50, ms from navigation start):',
      '',
      '| load | DOMContentLoaded | `/auth/me` answered | page chunk loaded | list answered | FCP | TTI |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...(
        [
          ['cold', cold],
          ['warm', warm],
        ] as const
      ).map(
        ([name, s]) =>
          `| ${name} | ${(['dcl', 'me', 'chunk', 'listEnd', 'fcp', 'tti'] as const)
            .map((k) =>
              fmt(
                pct(
                  s.map((x) => x[k]),
                  50,
                ),
              ),
            )
            .join(' | ')} |`,
      ),
    ];
    console.log(out.join('\n'));
    console.log(
      JSON.stringify({
        load: Number(load),
        instances: seeded.instances,
        sizes: sizes.rows,
        cold: {
          fcp: pct(
            cold.map((x) => x.fcp),
            50,
          ),
          tti: pct(
            cold.map((x) => x.tti),
            50,
          ),
        },
        warm: {
          fcp: pct(
            warm.map((x) => x.fcp),
            50,
          ),
          tti: pct(
            warm.map((x) => x.tti),
            50,
          ),
        },
      }),
    );
  } finally {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
