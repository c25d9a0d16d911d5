/**
 * `functions runners …` (admins): the function runners ProxiCloud manages in LXC containers on
 * the Proxmox nodes: list, get, create, upgrade (one at a time, drained), recreate (a lost one),
 * delete (drained, container destroyed; asks first).
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { waitForOperation as waitFor } from './instances.ts';

type Runner = components['schemas']['FunctionRunner'];

const status = (r: Runner) =>
  r.health === 'healthy' || r.health === 'unknown' ? r.status : `${r.status} (${r.health})`;

const columns: Column<Runner>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'NODE', value: (r) => (r.vmid ? `${r.node} ${r.vmid}` : (r.node ?? '-')) },
  { header: 'STATUS', value: status },
  {
    header: 'VERSION',
    value: (r) => `${r.version ?? '-'}${r.upgradeAvailable ? ' (upgrade available)' : ''}`,
  },
  {
    header: 'SANDBOX',
    value: (r) => (r.sandbox ? `${r.sandbox.bwrap ? 'bwrap' : 'none'}, ${r.sandbox.limits}` : '-'),
  },
  { header: 'ACTIVE', value: (r) => String(r.activeInvocations) },
];

async function listRunners(ctx: Context): Promise<Runner[]> {
  return (await unwrap(ctx.api().GET('/api/v1/functions/runners', {}))).items;
}

async function resolveRunner(ctx: Context, ref: string): Promise<Runner> {
  const hit = (await listRunners(ctx)).find((r) => r.id === ref || r.name === ref);
  if (!hit)
    throw new CliError(`No function runner "${ref}"`, { exitCode: ExitCode.notFound, code: 'not_found' });
  return hit;
}

export function registerFunctionRunnerCommands(fns: Command): void {
  const runners = fns
    .command('runners')
    .alias('runner')
    .description('Admin: the function runners ProxiCloud manages in LXC containers on the Proxmox nodes')
    .addHelpText(
      'after',
      `
Invocations run on the managed runners (plus any PROXICLOUD_FUNCTION_RUNNERS); with none, the
server runs a local runner. A runner is an unprivileged Debian container (nesting on, for the
bubblewrap sandboxes) with nodejs, bubblewrap and python3, installed through the SSH host agent.
Upgrades go one runner at a time: the runner leaves scheduling, its invocations finish, the new
version is pushed and the runner restarts.
${examples(
  'proxicloud functions runners create runner-1 --node pve1 --wait',
  'proxicloud functions runners list',
  'proxicloud functions runners upgrade --all',
  'proxicloud functions runners recreate runner-1 --wait',
  'proxicloud functions runners delete runner-1 --yes --wait',
)}`,
    );

  runners
    .command('list')
    .alias('ls')
    .description('List the managed runners (node, status, version, sandbox, active invocations)')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const items = await listRunners(ctx);
      if (ctx.out.json) return ctx.out.printJson({ items });
      ctx.out.table(
        columns,
        items,
        'No managed function runners: invocations run on the server’s local runner. Create one with `proxicloud functions runners create <name>`.',
      );
    });

  runners
    .command('get <runner>')
    .description('Show a managed runner')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await resolveRunner(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(r);
      ctx.out.details([
        ['ID', r.id],
        ['Name', r.name],
        ['Status', r.statusReason ? `${r.status} (${r.statusReason})` : r.status],
        ['Health', r.healthReason ? `${r.health} (${r.healthReason})` : r.health],
        ['Container', r.vmid ? `${r.vmid} on ${r.node}` : '-'],
        ['Address', r.address ?? '-'],
        [
          'Version',
          `${r.version ?? '-'}${r.upgradeAvailable ? ` (upgrade to ${r.latestVersion} available)` : ''}`,
        ],
        [
          'Sandbox',
          r.sandbox
            ? `${r.sandbox.bwrap ? 'bubblewrap' : 'none'}, limits ${r.sandbox.limits}, seccomp ${r.sandbox.seccomp ? 'on' : 'off'}`
            : '-',
        ],
        [
          'Runtimes',
          r.runtimes
            ? Object.entries(r.runtimes)
                .map(([k, v]) => `${k} ${v.available ? (v.version ?? '') : 'unavailable'}`.trim())
                .join(', ')
            : '-',
        ],
        ['Active invocations', String(r.activeInvocations)],
        ['Size', `${r.cores} cores, ${r.memoryMib} MiB`],
        ['Created', formatTimestamp(r.createdAt)],
      ]);
    });

  runners
    .command('create <name>')
    .description('Create a managed runner (asynchronous: container, install, health check, registration)')
    .option('--node <node>', 'the Proxmox node (default: the first that can hold it)')
    .option('--memory <MiB>', 'memory of the container in MiB (default 1024)')
    .option('--cores <n>', 'CPU cores (default 2)')
    .option('--wait', 'wait until it is ready')
    .action(
      async (
        name: string,
        opts: { node?: string; memory?: string; cores?: string; wait?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const int = (v: string | undefined, flag: string) => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number`);
          return n;
        };
        const memoryMib = int(opts.memory, '--memory');
        const cores = int(opts.cores, '--cores');
        const r = await unwrap(
          ctx.api().POST('/api/v1/functions/runners', {
            body: {
              name,
              ...(opts.node ? { node: opts.node } : {}),
              ...(memoryMib ? { memoryMib } : {}),
              ...(cores ? { cores } : {}),
            },
          }),
        );
        if (opts.wait) await waitFor(ctx, r.activeOperationId, 'Creating the runner');
        if (ctx.out.json) return ctx.out.printJson(opts.wait ? await resolveRunner(ctx, r.id) : r);
        ctx.out.success(`Function runner ${r.name} (${r.id}): ${opts.wait ? 'ready' : 'creating'}.`);
      },
    );

  runners
    .command('upgrade [runner]')
    .description("Push this server's runner version to a runner and restart it (drained first)")
    .option('--all', 'every runner with an upgrade available, one at a time (waits for each)')
    .option('--wait', 'wait until it is done')
    .action(async (ref: string | undefined, opts: { all?: boolean; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (!ref === !opts.all) throw new UsageError('name one runner, or pass --all');
      const targets = opts.all
        ? (await listRunners(ctx)).filter((r) => r.upgradeAvailable && r.status === 'ready')
        : [await resolveRunner(ctx, ref!)];
      if (!targets.length) return ctx.out.success('Every runner runs the current version.');
      for (const r of targets) {
        const op = await unwrap(
          ctx.api().POST('/api/v1/functions/runners/{id}/upgrade', { params: { path: { id: r.id } } }),
        );
        if (opts.wait || opts.all) await waitFor(ctx, op.id, `Upgrading ${r.name}`);
        if (!ctx.out.json)
          ctx.out.success(`Function runner ${r.name}: ${opts.wait || opts.all ? 'upgraded' : 'upgrading'}.`);
        else ctx.out.printJson(op);
      }
    });

  runners
    .command('recreate <runner>')
    .description('Build a lost runner again (new container, new secret)')
    .option('--wait', 'wait until it is ready')
    .action(async (ref: string, opts: { wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await resolveRunner(ctx, ref);
      const op = await unwrap(
        ctx.api().POST('/api/v1/functions/runners/{id}/recreate', { params: { path: { id: r.id } } }),
      );
      if (opts.wait) await waitFor(ctx, op.id, `Re-creating ${r.name}`);
      if (ctx.out.json) return ctx.out.printJson(op);
      ctx.out.success(`Function runner ${r.name}: ${opts.wait ? 'ready' : 're-creating'}.`);
    });

  runners
    .command('delete <runner>')
    .alias('rm')
    .description('Drain a runner, then stop and destroy its container')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wait', 'wait until it is gone')
    .action(async (ref: string, opts: { yes?: boolean; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const r = await resolveRunner(ctx, ref);
      await confirmOrExit(
        `Delete function runner ${r.name}${r.vmid ? ` (container ${r.vmid} on ${r.node})` : ''}?`,
        opts.yes,
      );
      const op = await unwrap(
        ctx.api().DELETE('/api/v1/functions/runners/{id}', { params: { path: { id: r.id } } }),
      );
      if (opts.wait) await waitFor(ctx, op.id, `Deleting ${r.name}`);
      if (ctx.out.json) return ctx.out.printJson(op);
      ctx.out.success(`Function runner ${r.name}: ${opts.wait ? 'deleted' : 'deleting'}.`);
    });
}
