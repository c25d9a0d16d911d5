/**
 * The server process of `npm run bench:web` (scripts/bench-web.ts starts it; not meant to be run by hand).
 *
 * The real server (`startServer`, as `apps/server/src/main.ts` runs it) in demo mode, configured from the
 * environment the parent sets (temp data dir, free port, the fresh production build as web dir), with one
 * difference: the in-process simulator runs at zero task latency. Then it seeds, and prints one JSON line
 * `{"url","username","password","instances"}` on stdout:
 *  - a user `bench` (Operator) created through the API as admin;
 *  - N instances owned by `bench`, each backed by a simulated guest (`sim.seedGuests`, 70 % running),
 *    inserted directly into the `instances` table by `seedInstances` (apps/server/scripts/seed-instances.ts,
 *    shared with `bench:compute`): launching 1,000 through the API would measure the control plane, not
 *    the console, and take minutes on two shared cores.
 * Stops on SIGTERM/SIGINT.
 */
import { seedInstances } from '../apps/server/scripts/seed-instances.ts';
import { loadConfig } from '../apps/server/src/platform/config.ts';
import { createLogger } from '../apps/server/src/platform/logger.ts';
import { startDemo } from '../apps/server/src/platform/proxmox.ts';
import { startServer } from '../apps/server/src/server.ts';

const INSTANCES = Number(process.env.BENCH_WEB_INSTANCES ?? 1000);
const USER = { username: 'bench', password: 'bench-web-password-0001', role: 'operator' as const };

async function main(): Promise<void> {
  const config = loadConfig();
  const adminPassword = process.env.PROXICLOUD_ADMIN_PASSWORD;
  if (!adminPassword) throw new Error('PROXICLOUD_ADMIN_PASSWORD is required');
  const logger = createLogger(config.logLevel);
  const proxmox = await startDemo(config, logger, { taskDurationMs: 0 });
  const server = await startServer(config, { logger, proxmox });
  const stop = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const base = server.url;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  if (!login.ok) throw new Error(`admin login: HTTP ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const created = await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...USER, fullName: 'Bench User' }),
  });
  if (!created.ok) throw new Error(`create user: HTTP ${created.status} ${await created.text()}`);
  const ownerId = ((await created.json()) as { id: string }).id;

  const sim = proxmox.simulator;
  if (!sim) throw new Error('demo mode without a simulator');
  const t0 = Date.now();
  const rows = await seedInstances(server.db, sim, {
    ownerId,
    count: INSTANCES,
    customize: (i, g) => {
      // Distinct creation times so "newest first" is a stable order.
      const at = new Date(t0 - (INSTANCES - i) * 1000).toISOString();
      return {
        name: `web-${String(i).padStart(4, '0')}`,
        instance_type: 't.small',
        vcpu: 1 + (i % 4),
        memory_mib: 512 * (1 + (i % 8)),
        ips: g.status === 'running' ? JSON.stringify([`10.20.${i >> 8}.${(i & 255) + 1}`]) : '[]',
        created_at: at,
        updated_at: at,
        launched_at: at,
      };
    },
  });

  process.stdout.write(
    `${JSON.stringify({ url: base, username: USER.username, password: USER.password, instances: rows.length })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench-web server failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
