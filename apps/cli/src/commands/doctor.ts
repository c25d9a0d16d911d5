/** `doctor`: check the server's Proxmox connection (version, privileges, storages, snippets, bridges, SSH). */
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { CliError } from '../lib/errors.ts';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Admin: check the Proxmox connection the server uses, with fixes for what fails')
    .addHelpText(
      'after',
      `
Checks: the API answers and its version is supported; the token has the privileges each service
needs (GET /access/permissions); storages for VM disks, containers and templates; a storage with
Snippets content (cloud-init user-data); network bridges; the SSH host agent (ZFS) and, with it,
Import content where cloud images sit in ISO storage. Exit code 0 when nothing fails (warnings
allowed), 1 otherwise.
${examples('proxicloud doctor', 'proxicloud doctor -o json | jq ".checks[] | select(.status != \\"ok\\")"')}`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const report = await unwrap(ctx.api().GET('/api/v1/system/proxmox-check'));
      if (ctx.out.json) ctx.out.printJson(report);
      else {
        const c = ctx.out.c;
        ctx.out.line(
          `${c.bold('Proxmox:')} ${report.label} (${report.mode === 'demo' ? 'demo mode, simulated' : 'real host'})`,
        );
        for (const check of report.checks) {
          const mark =
            check.status === 'ok' ? c.green('✔') : check.status === 'warn' ? c.yellow('!') : c.red('✖');
          ctx.out.line(`${mark} ${check.name}: ${check.message}`);
          if (check.fix && check.status !== 'ok') ctx.out.line(`    ${c.dim(`fix: ${check.fix}`)}`);
        }
      }
      if (!report.ok) {
        const failed = report.checks.filter((x) => x.status === 'fail').length;
        throw new CliError(`${failed} check${failed === 1 ? '' : 's'} failed`, { code: 'doctor_failed' });
      }
      if (!ctx.out.json) ctx.out.success('Proxmox connection looks good.');
    });
}
