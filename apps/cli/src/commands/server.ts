/**
 * `migrate` and `serve`: run the server package in this process. @proxicloud/server is imported
 * lazily (dynamic import) so that `--help` and the API commands never load Fastify, the database
 * drivers or the modules.
 */
import path from 'node:path';
import { type Command, Option } from 'commander';
import { examples, intInRange } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';

interface ServeOptions {
  port?: number;
  host?: string;
  dataDir?: string;
}

const CONFIG_HELP = `
Configuration is the server's own, exactly as for \`npm start\`: environment variables
(PROXICLOUD_DATA_DIR, PROXICLOUD_PORT, DATABASE_URL, PROXICLOUD_ADMIN_PASSWORD, PROXMOX_URL, …) and
an optional JSON file (PROXICLOUD_CONFIG, else <data dir>/config.json). See docs/configuration.md.`;

/** Apply --port/--host/--data-dir as the server's environment variables (they beat the config file). */
function applyServeOptions(opts: ServeOptions): void {
  if (opts.port !== undefined) process.env.PROXICLOUD_PORT = String(opts.port);
  if (opts.host !== undefined) process.env.PROXICLOUD_HOST = opts.host;
  if (opts.dataDir !== undefined) process.env.PROXICLOUD_DATA_DIR = path.resolve(opts.dataDir);
}

async function loadServer() {
  return import('@proxicloud/server');
}

/** The server's ConfigError lists every problem; report it as a usage error (exit 2), like `npm start`. */
function configError(err: unknown, server: Awaited<ReturnType<typeof loadServer>>): never {
  if (err instanceof server.ConfigError) {
    throw new CliError(err.message, { exitCode: ExitCode.usage, code: 'invalid_configuration' });
  }
  throw err;
}

export function registerServerCommands(program: Command): void {
  program
    .command('migrate')
    .description("Apply pending database migrations with the server's configuration")
    .option('--data-dir <dir>', 'data directory (like PROXICLOUD_DATA_DIR; default ./data)')
    .addHelpText(
      'after',
      `
Runs in this process against the configured database (SQLite in the data dir, or DATABASE_URL for
PostgreSQL); it does not talk to a running server. The server also migrates at start-up; use this
before an upgrade or to prepare a database. Safe to run repeatedly.
${CONFIG_HELP}
${examples(
  'proxicloud migrate',
  'proxicloud migrate --data-dir /var/lib/proxicloud',
  'DATABASE_URL=postgres://pc:secret@db/proxicloud proxicloud migrate -o json',
)}`,
    )
    .action(async (opts: ServeOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      applyServeOptions(opts);
      const server = await loadServer();
      let config: ReturnType<typeof server.loadConfig>;
      try {
        config = server.loadConfig();
      } catch (err) {
        configError(err, server);
      }
      const where =
        config.database.kind === 'sqlite'
          ? config.database.sqlitePath
          : (server.describeConfig(config).database as object);
      const db = server.openDatabase(config.database, { poolSize: 1 });
      let report: Awaited<ReturnType<typeof server.migrate>>;
      try {
        report = await server.migrate(db);
      } finally {
        await db.close();
      }
      if (ctx.out.json) {
        ctx.out.printJson({ database: { kind: config.database.kind, location: where }, ...report });
        return;
      }
      const label =
        config.database.kind === 'sqlite' ? `SQLite ${where}` : `PostgreSQL ${JSON.stringify(where)}`;
      if (report.applied.length === 0) {
        ctx.out.success(`Database is up to date (${label}).`);
      } else {
        ctx.out.success(`Applied ${report.applied.length} migration(s) to ${label}:`);
        for (const name of report.applied) ctx.out.line(`  ${name}`);
      }
      if (report.pending.length > 0) ctx.out.warn(`Still pending: ${report.pending.join(', ')}`);
    });

  program
    .command('serve')
    .description('Run the ProxiCloud server (API + web console + jobs) in this process')
    .addOption(
      new Option('--port <port>', 'listen port (like PROXICLOUD_PORT; default 8080)').argParser(
        intInRange(0, 65535),
      ),
    )
    .option('--host <address>', 'listen address (like PROXICLOUD_HOST; default 0.0.0.0)')
    .option('--data-dir <dir>', 'data directory (like PROXICLOUD_DATA_DIR; default ./data)')
    .addHelpText(
      'after',
      `
Same server as \`npm start\` (which also installs dependencies and builds the web console first):
migrates the database, bootstraps the admin user on first run, serves until Ctrl-C / SIGTERM, then
shuts down gracefully. Logs are JSON lines on stdout.
${CONFIG_HELP}
${examples(
  'proxicloud serve',
  'proxicloud serve --port 9090 --data-dir ~/proxicloud-data',
  'PROXICLOUD_ADMIN_PASSWORD=change-me-please proxicloud serve',
)}`,
    )
    .action(async (opts: ServeOptions) => {
      applyServeOptions(opts);
      const server = await loadServer();
      // main() reads the environment, starts the server and handles SIGINT/SIGTERM itself.
      await server.main();
    });
}
