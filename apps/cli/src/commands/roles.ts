/** `roles list`, `roles get`. */
import type { Command } from 'commander';
import { type Role, unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';

export function registerRoleCommands(program: Command): void {
  const roles = program
    .command('roles')
    .description('Show the roles (admin, operator, readonly) and their permissions')
    .addHelpText('after', examples('proxicloud roles list', 'proxicloud roles get operator'));

  roles
    .command('list')
    .alias('ls')
    .description('List roles with a description and the number of permissions')
    .addHelpText(
      'after',
      examples('proxicloud roles list', 'proxicloud roles list -o json | jq ".items[].name"'),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const result = await unwrap(ctx.api().GET('/api/v1/roles'));
      if (ctx.out.json) return ctx.out.printJson(result);
      if (ctx.out.quiet) {
        for (const r of result.items) ctx.out.line(r.name);
        return;
      }
      ctx.out.table<Role>(
        [
          { header: 'NAME', value: (r) => r.name },
          { header: 'PERMISSIONS', value: (r) => r.permissions.length, align: 'right' },
          { header: 'DESCRIPTION', value: (r) => r.description },
        ],
        result.items,
        'No roles found.',
      );
    });

  roles
    .command('get <name>')
    .description("Show one role's permissions, one per line")
    .addHelpText('after', examples('proxicloud roles get readonly'))
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const result = await unwrap(ctx.api().GET('/api/v1/roles'));
      const role = result.items.find((r) => r.name === name.toLowerCase());
      if (!role) {
        throw new CliError(`No role named "${name}"`, {
          exitCode: ExitCode.notFound,
          code: 'not_found',
          hint: `Roles: ${result.items.map((r) => r.name).join(', ')}`,
        });
      }
      if (ctx.out.json) return ctx.out.printJson(role);
      if (!ctx.out.quiet) {
        ctx.out.details([
          ['Role', role.name],
          ['Description', role.description],
          ['Permissions', role.permissions.length],
        ]);
        ctx.out.line();
      }
      for (const p of [...role.permissions].sort()) ctx.out.line(p);
    });
}
