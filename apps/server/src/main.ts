import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './platform/config.ts';
import { SchemaTooNewError } from './platform/db/migrations.ts';
import { createLogger } from './platform/logger.ts';
import { startServer } from './server.ts';

/** `npx tsx apps/server/src/main.ts` — run the server until SIGINT/SIGTERM. */
export async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, { logger });
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting immediately');
      process.exit(1);
    }
    logger.info({ signal }, 'signal received');
    const force = setTimeout(() => {
      logger.error('graceful shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Run as the entry point? Node resolves symlinks for the main module (/opt/proxicloud/current → releases/…). */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
const isEntry = isEntryPoint();
if (isEntry) {
  main().catch((err: unknown) => {
    process.stderr.write(`ProxiCloud failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    // 3: the schema is newer than this code — restarting cannot help (the systemd unit stops trying).
    process.exit(
      err instanceof SchemaTooNewError || (err as Error)?.cause instanceof SchemaTooNewError ? 3 : 1,
    );
  });
}
