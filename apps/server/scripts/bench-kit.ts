/**
 * Shared setup for the server benchmarks (bench-*.ts): command-line numbers, percentiles, and one
 * in-process bench stack — the PVE simulator, the server on a fresh data dir (optionally listening on
 * real HTTP at 127.0.0.1) and an admin login.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimulatorOptions, startSimulator } from '@proxicloud/proxmox-sim';
import { buildApp } from '../src/app.ts';
import { migrate } from '../src/migrate.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { createLogger } from '../src/platform/logger.ts';
import { connectSimulator } from '../src/platform/proxmox.ts';

export const ADMIN_PASSWORD = 'bench-admin-password';

/** `--name N` from the command line, or `def`. */
export function numberOpt(name: string, def: number): number {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export interface BenchStackOptions {
  /** Temp dir prefix, e.g. `pc-bench-iac-`. */
  prefix: string;
  /** Extra simulator options (port 0 and zero task latency are always set). */
  sim?: Omit<SimulatorOptions, 'port'>;
  /** Listen on real HTTP (127.0.0.1, ephemeral port); otherwise only `app.ready()` (use inject). */
  listen?: boolean;
  /** Extra environment for loadConfig. */
  env?: Record<string, string>;
}

/** Simulator + migrated database + server; `close()` tears everything down and removes the data dir. */
export async function startBenchStack(o: BenchStackOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), o.prefix));
  const sim = await startSimulator({ taskDurationMs: 0, ...o.sim, port: 0 });
  const proxmox = connectSimulator(sim);
  let config = loadConfig({
    env: {
      PROXICLOUD_DATA_DIR: dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXICLOUD_LOG_LEVEL: 'warn',
      PROXICLOUD_WEB_DIR: join(dataDir, 'no-web'),
      ...o.env,
    },
  });
  config = { ...config, auth: { ...config.auth, bcryptCost: 4 } };
  const db = openDatabase(config.database);
  await migrate(db);
  const app = await buildApp({ config, db, logger: createLogger('warn'), proxmox });
  let base = '';
  if (o.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  } else await app.ready();
  const close = async () => {
    await app.close();
    await db.close();
    await proxmox.close();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { dataDir, sim, proxmox, config, db, app, base, close };
}

/** Logs in as admin over HTTP; JSON + bearer headers. */
export async function adminHeaders(base: string): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}
