/**
 * `admin unlock <user>`: break-glass commands run on the server host, without the API (the admin
 * may be locked out). The work is the server package's `unlockUser`, imported lazily so the CLI
 * still works (and says clearly what is missing) where @proxicloud/server is not installed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { confirmOrExit, examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';

async function loadServer(): Promise<typeof import('@proxicloud/server')> {
  try {
    return await import('@proxicloud/server');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new CliError(
        'The ProxiCloud server package (@proxicloud/server) is not installed here: run `proxicloud admin` on the server host, in the ProxiCloud installation',
        { exitCode: ExitCode.general, code: 'server_not_installed', cause: err },
      );
    }
    throw err;
  }
}

export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('Break-glass administration on the server host (works without the API)');
  registerBackupCommands(admin);

  admin
    .command('unlock')
    .argument('<username>', 'the user whose login lockouts are cleared')
    .description("Clear a user's login lockouts directly in the server's database")
    .option('--data-dir <dir>', 'data directory (like PROXICLOUD_DATA_DIR; default ./data)')
    .addHelpText(
      'after',
      `
Runs in this process against the server's database, with the server's own configuration
(environment variables such as PROXICLOUD_DATA_DIR and DATABASE_URL, and the config file
PROXICLOUD_CONFIG, else <data dir>/config.json). It does not talk to a running server, so it works
while every admin is locked out. Clears the lockouts of every source address and writes an
auth.unlock audit entry. A running server's per-address limit (in memory) still expires by itself.
${examples(
  'sudo -u proxicloud proxicloud admin unlock admin --data-dir /var/lib/proxicloud',
  'DATABASE_URL=postgres://pc:secret@db/proxicloud proxicloud admin unlock alice -o json',
)}`,
    )
    .action(async (username: string, opts: { dataDir?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.dataDir !== undefined) process.env.PROXICLOUD_DATA_DIR = path.resolve(opts.dataDir);
      const server = await loadServer();
      let result: Awaited<ReturnType<typeof server.unlockUser>>;
      try {
        result = await server.unlockUser(username);
      } catch (err) {
        if (err instanceof server.ConfigError) {
          throw new CliError(err.message, { exitCode: ExitCode.usage, code: 'invalid_configuration' });
        }
        if (err instanceof server.AdminCommandError) {
          throw new CliError(err.message, { exitCode: ExitCode.notFound, code: 'not_found' });
        }
        throw err;
      }
      if (ctx.out.json) {
        ctx.out.printJson(result);
        return;
      }
      ctx.out.success(
        result.clearedLockouts > 0
          ? `Unlocked ${result.username}: cleared ${result.clearedLockouts} lockout record(s).`
          : `${result.username} had no lockout; nothing to clear (audited anyway).`,
      );
    });
}

/** Map the server's errors for host-side commands to CLI errors with the right exit codes. */
function hostError(err: unknown, server: Awaited<ReturnType<typeof loadServer>>): never {
  if (err instanceof server.ConfigError) {
    throw new CliError(err.message, { exitCode: ExitCode.usage, code: 'invalid_configuration' });
  }
  if (err instanceof server.SchemaTooNewError) {
    throw new CliError(err.message, { exitCode: ExitCode.general, code: 'schema_too_new' });
  }
  if (err instanceof server.AdminCommandError) {
    throw new CliError(err.message, { exitCode: ExitCode.general, code: 'admin_failed' });
  }
  throw err;
}

/** Run host-side work with the server package, its errors mapped to CLI errors. */
async function onHost<T>(work: (server: Awaited<ReturnType<typeof loadServer>>) => Promise<T>): Promise<T> {
  const server = await loadServer();
  try {
    return await work(server);
  } catch (err) {
    hostError(err, server);
  }
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function registerBackupCommands(admin: Command): void {
  admin
    .command('backup')
    .description("Back up ProxiCloud's own state (database, object metadata) to a file")
    .requiredOption('--to <file>', 'archive to write (tar.gz)')
    .option('--include-objects', 'also copy the S3 object data (<data dir>/objects); can be large')
    .option('--include-secrets', 'also copy the key files in <data dir>/secrets (JWT key, master key)')
    .option('--data-dir <dir>', 'data directory (like PROXICLOUD_DATA_DIR; default ./data)')
    .addHelpText(
      'after',
      `
Runs on the server host with the server's configuration; the server may keep running (SQLite is
copied with its online backup API, PostgreSQL with pg_dump, which must be installed). The archive
holds the database — users, access keys, buckets and object metadata, instances, volumes, audit —
and a manifest. S3 object data and the master key are left out unless asked for: without the
master key the stored secrets (S3 secret keys) cannot be decrypted after a restore, so keep the
key file safe, separately. install.sh takes a backup like this before every upgrade.
${examples(
  'sudo proxicloud admin backup --to /root/proxicloud-$(date +%F).tar.gz',
  'proxicloud admin backup --to backup.tar.gz --include-objects --data-dir ./data',
)}`,
    )
    .action(
      async (
        opts: { to: string; includeObjects?: boolean; includeSecrets?: boolean; dataDir?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (opts.dataDir !== undefined) process.env.PROXICLOUD_DATA_DIR = path.resolve(opts.dataDir);
        const result = await onHost((server) =>
          server.backup(opts.to, {
            includeObjects: opts.includeObjects,
            includeSecrets: opts.includeSecrets,
          }),
        );
        if (ctx.out.json) {
          ctx.out.printJson(result);
          return;
        }
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        const rows = sum(result.manifest.rowCounts);
        ctx.out.success(
          `Backed up ${result.manifest.database.kind} (${rows} rows, ${result.manifest.database.migrations.length} migrations) to ${result.file}`,
        );
      },
    );

  admin
    .command('restore')
    .description("Replace the server's state with a backup made by `admin backup`")
    .requiredOption('--from <file>', 'archive made by proxicloud admin backup')
    .option('--data-dir <dir>', 'data directory (like PROXICLOUD_DATA_DIR; default ./data)')
    .option('-y, --yes', 'do not ask: replace the current database')
    .addHelpText(
      'after',
      `
Stop the server first (systemctl stop proxicloud). The configured database is replaced by the
backup's (SQLite file, or PostgreSQL's public schema); object data and key files are restored when
the backup has them. A backup from an older ProxiCloud is migrated forward afterwards; a backup
from a newer one is refused (migrations are forward-only). Undoing an upgrade: reinstall the
previous release, then restore the backup install.sh took before the upgrade
(/var/lib/proxicloud/backups/pre-upgrade-*.tar.gz).
${examples('sudo systemctl stop proxicloud && sudo proxicloud admin restore --from /root/pc.tar.gz --yes')}`,
    )
    .action(async (opts: { from: string; dataDir?: string; yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.dataDir !== undefined) process.env.PROXICLOUD_DATA_DIR = path.resolve(opts.dataDir);
      await confirmOrExit(`Replace this server's database with the backup ${opts.from}?`, opts.yes);
      const result = await onHost((server) => server.restore(opts.from, { force: true }));
      if (ctx.out.json) {
        ctx.out.printJson(result);
        return;
      }
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      const rows = sum(result.rowCounts);
      ctx.out.success(
        `Restored the backup of ${result.manifest.createdAt} (ProxiCloud ${result.manifest.proxicloudVersion}): ${rows} rows` +
          (result.migrated.length > 0 ? `; migrated forward: ${result.migrated.join(', ')}` : ''),
      );
    });
}
