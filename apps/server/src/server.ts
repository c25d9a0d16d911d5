import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { ProxmoxConnection } from './deps.ts';
import { migrate } from './migrate.ts';
import type { Clock } from './platform/clock.ts';
import { type Config, describeConfig } from './platform/config.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { loadTls } from './platform/http/tls.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { connectProxmox } from './platform/proxmox.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  /** http(s)://host:port actually bound (port 0 → ephemeral). */
  url: string;
  /** The dedicated S3 endpoint (PROXICLOUD_S3_PORT), or null when disabled. S3 is also under `${url}/s3`. */
  s3Url: string | null;
  /** Graceful stop: stop accepting, finish in-flight requests, stop jobs, close the database. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  logger?: Logger;
  clock?: Clock;
  /** Default: connect from the config (PROXMOX_URL), else start demo mode. */
  proxmox?: ProxmoxConnection;
  /** Start background jobs (default true). */
  jobs?: boolean;
}

/** config → open db → migrate → buildApp → listen → start jobs. */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  logger.info({ config: describeConfig(config) }, 'starting ProxiCloud');
  const db = openDatabase(config.database);
  let app: FastifyInstance | undefined;
  let proxmox: ProxmoxConnection | undefined;
  try {
    const report = await migrate(db);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'database migrated');
    // A real PVE host when PROXMOX_URL is set, else demo mode (the simulator in-process).
    proxmox = options.proxmox ?? (await connectProxmox(config, logger));
    const tls = await loadTls(config, logger);
    app = await buildApp({ config, db, logger, clock: options.clock, proxmox }, { tls });
    const address = await app.listen({ port: config.port, host: config.host });
    const s3Port =
      config.s3Port === null ? null : await app.storage.endpoint.listen(config.host, config.s3Port, tls);
    if (options.jobs ?? true) app.services.jobs.start();
    const bound = app.server.address();
    const port = typeof bound === 'object' && bound ? bound.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const scheme = tls ? 'https' : 'http';
    logger.info({ address }, 'ProxiCloud is listening');
    let stopping: Promise<void> | null = null;
    const running = app;
    return {
      app: running,
      db,
      url: `${scheme}://${hostPart}:${port}`,
      s3Url: s3Port === null ? null : `${scheme}://${hostPart}:${s3Port}`,
      stop() {
        stopping ??= (async () => {
          logger.info('shutting down: finishing in-flight requests');
          await running.close(); // stops accepting, waits for in-flight requests, runs onClose (jobs.stop)
          await proxmox?.close();
          await db.close();
          logger.info('shutdown complete');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await proxmox?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}
