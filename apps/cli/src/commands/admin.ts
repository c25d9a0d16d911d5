/**
 * `admin unlock <user>`: break-glass commands run on the server host, without the API (the admin
 * may be locked out). The work is the server package's `unlockUser`, imported lazily so the CLI
 * still works (and says clearly what is missing) where @proxicloud/server is not installed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
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
