import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { ADMIN_PASSWORD, ARTIFACTS_DIR } from '../lib/env.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** `vite build` the console when dist is missing or older than its sources (or the SDK it uses). */
function buildWebIfStale(): void {
  const web = join(root, 'apps', 'web');
  const dist = join(web, 'dist', 'index.html');
  const sources = Math.max(newestMtime(web), newestMtime(join(root, 'packages', 'sdk', 'src')));
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return;
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: web,
      stdio: 'inherit',
      // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
}

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

async function waitForReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The server did not become ready within ${timeoutMs} ms (last: ${last})`);
}

/** The caller's environment minus anything that would point the server at other data or a real host. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('PROXICLOUD_') || k.startsWith('PROXMOX_') || k === 'DATABASE_URL') delete env[k];
  }
  return env;
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  buildWebIfStale();

  const dataDir = mkdtempSync(join(tmpdir(), 'proxicloud-e2e-'));
  const [port, s3Port] = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(ARTIFACTS_DIR, 'server.log'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps', 'server', 'src', 'main.ts')], {
    cwd: root,
    env: {
      ...inheritedEnv(),
      NODE_ENV: 'production',
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_PORT: String(port),
      PROXICLOUD_S3_PORT: String(s3Port),
      PROXICLOUD_DATA_DIR: dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXICLOUD_LOG_LEVEL: 'info',
      // the compute-launch spec launches as an operator on vmbr1 with a static address
      PROXICLOUD_BRIDGE_LAUNCH: 'all',
      // NAT gateways of kind natVm take their public address from here (networking-nat-vm spec)
      PROXICLOUD_NAT_PUBLIC_CIDR: '203.0.113.0/24',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(baseUrl, child, 180_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}; see e2e/artifacts/server.log`);
  }
  project.provide('baseUrl', baseUrl);
  return stop;
}
