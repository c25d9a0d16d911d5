/**
 * `instances secret-env <instance>` (which secrets an instance gets, never values) and
 * `instances refresh-secrets <instance>` (re-inject the current versions into a running container
 * now: `POST /instances/{id}/secret-env/refresh`).
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import type { Column } from '../lib/output.ts';
import { resolveInstance } from './instances.ts';

type Ref = components['schemas']['InstanceSecretEnv']['secretEnv'][number];

export function registerInstanceSecretCommands(instances: Command): void {
  instances
    .command('secret-env <instance>')
    .description(
      'Which secrets the instance gets as environment variables (names and versions, never values)',
    )
    .addHelpText(
      'after',
      examples('proxicloud instances secret-env web-1', 'proxicloud instances secret-env web-1 -o json'),
    )
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const inst = await resolveInstance(ctx, ref);
      const view = await unwrap(
        ctx.api().GET('/api/v1/instances/{id}/secret-env', { params: { path: { id: inst.id } } }),
      );
      if (ctx.out.json) return ctx.out.printJson(view);
      const cols: Column<Ref>[] = [
        { header: 'ENV', value: (r) => r.envName },
        { header: 'SECRET', value: (r) => r.name ?? r.ref },
        { header: 'VERSION', value: (r) => r.version ?? '' },
        { header: 'PROBLEM', value: (r) => r.problem ?? '' },
      ];
      ctx.out.table(
        cols,
        view.secretEnv,
        `${inst.name} has no secretEnv (set it at launch: proxicloud instances launch … --secret-env ENV=name).`,
      );
      if (view.secretEnv.length) ctx.out.note(`In the guest: ${view.file} (root-only)`);
    });

  instances
    .command('refresh-secrets <instance>')
    .description('Re-inject the current secret versions into a running container now')
    .addHelpText(
      'after',
      `
Rewrites /etc/proxicloud/secrets.env in the container (0600, root) with the current version of
every secret in its secretEnv; services read it again when they restart. Containers that are
stopped get the current versions at their next start anyway. VMs receive secrets through
cloud-init at boot: reboot them instead (proxicloud instances reboot <vm>).
${examples('printf %s "$NEW" | proxicloud secrets put app/db/password && proxicloud instances refresh-secrets web-1')}`,
    )
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const inst = await resolveInstance(ctx, ref);
      const res = await unwrap(
        ctx.api().POST('/api/v1/instances/{id}/secret-env/refresh', { params: { path: { id: inst.id } } }),
      );
      if (ctx.out.json) return ctx.out.printJson(res);
      ctx.out.success(
        `Refreshed ${res.file} in ${inst.name}: ${res.injected.map((i) => `${i.envName} ← ${i.name} v${i.version}`).join(', ')}`,
      );
    });
}
