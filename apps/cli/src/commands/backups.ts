/**
 * `backups policies|run|runs|points|restore`: scheduled backups (vzdump for instances, ZFS
 * snapshots for volumes) with PVE retention, their runs, recovery points and restores.
 */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import {
  addListOptions,
  confirmOrExit,
  examples,
  fetchListPage,
  intInRange,
  type ListOptions,
  printPage,
} from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { followOperation, resolveInstance } from './instances.ts';
import { resolveVolume } from './volumes.ts';

type Policy = components['schemas']['BackupPolicy'];
type Run = components['schemas']['BackupRun'];
type Point = components['schemas']['RecoveryPoint'];

const POLICY_ID = /^bkp-[0-9a-f]{17}$/;
const mib = (b: number | null | undefined) => (b ? `${(b / 2 ** 20).toFixed(1)} MiB` : '-');
function statusColor(text: string, c: Context['out']['c']): string {
  if (text === 'succeeded') return c.green(text);
  if (text === 'failed') return c.red(text);
  if (text === 'partial' || text === 'skipped' || text === 'running' || text === 'queued')
    return c.yellow(text);
  return text;
}

async function resolvePolicy(ctx: Context, ref: string): Promise<Policy> {
  const api = ctx.api();
  if (POLICY_ID.test(ref))
    return unwrap(api.GET('/api/v1/backup-policies/{id}', { params: { path: { id: ref } } }));
  const page = (await unwrap(
    api.GET('/api/v1/backup-policies', { params: { query: { limit: 1000 } } }),
  )) as Page<Policy>;
  const hit = page.items.find((p) => p.name === ref);
  if (!hit) throw new CliError(`No backup policy named "${ref}"`, { exitCode: ExitCode.notFound });
  return hit;
}

/** `--keep daily=7,weekly=4,last=3` → retention. */
function retentionOf(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!text) return out;
  const keys: Record<string, string> = {
    last: 'keepLast',
    hourly: 'keepHourly',
    daily: 'keepDaily',
    weekly: 'keepWeekly',
    monthly: 'keepMonthly',
    yearly: 'keepYearly',
  };
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    const key = keys[(k ?? '').replace(/^keep-/, '')];
    if (!key || !/^\d+$/.test(v ?? ''))
      throw new CliError(`--keep: "${part}" is not like daily=7`, { exitCode: ExitCode.usage });
    out[key] = Number(v);
  }
  return out;
}

const retentionText = (r: Record<string, number | undefined>) =>
  Object.entries(r)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k.replace(/^keep/, '').toLowerCase()}=${v}`)
    .join(',') || 'keep all';

const policyColumns: Column<Policy>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'NAME', value: (p) => p.name },
  { header: 'SCHEDULE', value: (p) => p.scheduleDescription },
  {
    header: 'NEXT RUN',
    value: (p) => (p.nextRuns[0] ? formatTimestamp(p.nextRuns[0]) : p.enabled ? '-' : 'disabled'),
  },
  { header: 'LAST', value: (p) => p.lastRun?.status ?? 'never', color: statusColor },
  { header: 'KEEP', value: (p) => retentionText(p.retention as Record<string, number>) },
  { header: 'TARGETS', value: (p) => String(p.targets.length), align: 'right' },
];

const runColumns: Column<Run>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'POLICY', value: (r) => r.policyName ?? '(back up now)' },
  { header: 'TRIGGER', value: (r) => r.trigger },
  { header: 'STATUS', value: (r) => r.status, color: statusColor },
  { header: 'TARGETS', value: (r) => r.targets.map((t) => `${t.resourceName}:${t.status}`).join(' ') },
  { header: 'SIZE', value: (r) => mib(r.sizeBytes), align: 'right' },
  { header: 'STARTED', value: (r) => formatTimestamp(r.startedAt ?? r.createdAt) },
];

const pointColumns: Column<Point>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'RESOURCE', value: (p) => `${p.resourceName} (${p.resourceType})` },
  { header: 'CREATED', value: (p) => formatTimestamp(p.createdAt) },
  { header: 'SIZE', value: (p) => mib(p.sizeBytes), align: 'right' },
  { header: 'WHERE', value: (p) => p.volid ?? `${p.storage} snapshot` },
];

async function afterRun(
  ctx: Context,
  answer: { run: Run; operation: { id: string } | null },
  wait?: boolean,
) {
  if (!wait || !answer.operation) {
    if (ctx.out.json) return ctx.out.printJson(answer);
    ctx.out.success(
      `Backup run ${answer.run.id} is ${answer.run.status}${answer.operation ? ` (operation ${answer.operation.id})` : ''}.`,
    );
    if (answer.run.error) ctx.out.note(answer.run.error);
    ctx.out.note(`Follow it: proxicloud backups runs get ${answer.run.id}`);
    return;
  }
  await followOperation(ctx, answer.operation.id).catch(() => undefined);
  const run = await unwrap(
    ctx.api().GET('/api/v1/backup-runs/{id}', { params: { path: { id: answer.run.id } } }),
  );
  printRun(ctx, run);
  if (run.status !== 'succeeded')
    throw new CliError(`Backup ${run.status}: ${run.error ?? ''}`, { exitCode: ExitCode.general });
}

function printRun(ctx: Context, r: Run): void {
  if (ctx.out.json) {
    ctx.out.printJson(r);
    return;
  }
  ctx.out.details([
    ['ID', r.id],
    ['Policy', r.policyName ?? '(back up now)'],
    ['Trigger', r.trigger],
    ['Status', r.status],
    ['Error', r.error],
    ['Size', mib(r.sizeBytes)],
    ['Started', r.startedAt ? formatTimestamp(r.startedAt) : null],
    ['Finished', r.finishedAt ? formatTimestamp(r.finishedAt) : null],
    ['Pruned', r.prunedRecoveryPointIds.join(', ') || null],
  ]);
  for (const t of r.targets) {
    ctx.out.line(`\n${t.resourceName} (${t.resourceId}): ${t.status}${t.error ? ` — ${t.error}` : ''}`);
    if (t.recoveryPointId) ctx.out.line(`  recovery point ${t.recoveryPointId}, ${mib(t.sizeBytes)}`);
    for (const l of t.log) ctx.out.line(`  | ${l}`);
  }
}

export function registerBackupCommands(program: Command): void {
  const backups = program
    .command('backups')
    .alias('backup')
    .description('Scheduled backups with retention: policies, runs, recovery points, restore')
    .addHelpText(
      'after',
      `
Instances are backed up with Proxmox vzdump (zstd), volumes with ZFS snapshots. Retention follows
Proxmox's prune-backups (keep last/hourly/daily/weekly/monthly/yearly) and runs only after a
successful backup.
${examples(
  'proxicloud backups policies create nightly --schedule daily --tz Europe/Berlin --instance web-1 --keep daily=7,weekly=4',
  'proxicloud backups run nightly --wait',
  'proxicloud backups run --instance web-1 --wait          # back up now, no policy',
  'proxicloud backups points --instance web-1',
  'proxicloud backups restore rp-… --name web-1-copy --wait',
)}`,
    );

  const policies = backups
    .command('policies')
    .alias('policy')
    .description('Backup policies (schedule, targets, retention)');

  addListOptions(
    policies.command('list').alias('ls').description('List your backup policies'),
    'policies',
  ).action(async (opts: ListOptions, cmd: Command) => {
    const ctx = contextOf(cmd);
    const page = await fetchListPage(
      opts,
      (paging) =>
        unwrap(ctx.api().GET('/api/v1/backup-policies', { params: { query: paging } })) as Promise<
          Page<Policy>
        >,
    );
    printPage(ctx, page, {
      columns: policyColumns,
      empty:
        'No backup policies. Create one with `proxicloud backups policies create <name> --schedule daily --instance <instance>`.',
      noun: 'policies',
    });
  });

  policies
    .command('get <policy>')
    .description('Show a policy with its next 5 runs')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await resolvePolicy(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(p);
      ctx.out.details([
        ['ID', p.id],
        ['Name', p.name],
        ['Schedule', `${p.scheduleDescription} — cron ${p.cron}`],
        ['Enabled', p.enabled ? 'yes' : 'no'],
        ['Next runs', p.nextRuns.map(formatTimestamp).join(', ') || null],
        ['Targets', p.targets.map((t) => Object.values(t)[0]).join(', ')],
        ['Mode', p.mode],
        ['Storage', p.storage],
        ['Retention', retentionText(p.retention as Record<string, number>)],
        ['After downtime', p.missedRunPolicy === 'run_once' ? 'run once' : 'skip'],
        ['Notify on', p.notifyOn.join(', ') || null],
        ['Last run', p.lastRun ? `${p.lastRun.status} (${p.lastRun.id})` : 'never'],
      ]);
    });

  const policyOptions = (c: Command) =>
    c
      .option(
        '--schedule <schedule>',
        'daily, weekly, monthly (03:00) or a cron expression "30 2 * * *"',
        'daily',
      )
      .option('--tz <zone>', 'IANA time zone (default UTC)')
      .option('--instance <instance...>', 'instances to back up (name or id)')
      .option('--volume <volume...>', 'volumes to back up (name or id)')
      .option('--tag <tag...>', 'every instance with this tag (key or key=value)')
      .option('--keep <rules>', 'retention, e.g. last=3,daily=7,weekly=4,monthly=6 (default: keep all)')
      .addOption(new Option('--mode <mode>', 'vzdump mode').choices(['snapshot', 'suspend', 'stop']))
      .option('--storage <storage>', 'Proxmox backup storage (admins)')
      .option('--notify <channelIds>', 'comma-separated notification channel ids')
      .option('--notify-on <events>', 'failure,success,missed (default failure)')
      .addOption(new Option('--missed <policy>', 'after downtime').choices(['run_once', 'skip']))
      .option(
        '--zfs-send',
        "volumes: also copy each snapshot to the admin's backup dataset (zfs send; survives deleting the volume)",
      )
      .option('--disabled', 'create/keep it paused');

  type PolicyOpts = {
    schedule: string;
    tz?: string;
    instance?: string[];
    volume?: string[];
    tag?: string[];
    keep?: string;
    mode?: 'snapshot' | 'suspend' | 'stop';
    storage?: string;
    notify?: string;
    notifyOn?: string;
    missed?: 'run_once' | 'skip';
    zfsSend?: boolean;
    disabled?: boolean;
  };
  const bodyOf = async (ctx: Context, name: string, o: PolicyOpts) => {
    const targets: ({ instanceId: string } | { volumeId: string } | { tag: string })[] = [];
    for (const i of o.instance ?? []) targets.push({ instanceId: (await resolveInstance(ctx, i)).id });
    for (const v of o.volume ?? []) targets.push({ volumeId: (await resolveVolume(ctx, v)).id });
    for (const t of o.tag ?? []) targets.push({ tag: t });
    if (targets.length === 0)
      throw new CliError('Name at least one --instance, --volume or --tag', { exitCode: ExitCode.usage });
    return {
      name,
      schedule: o.schedule,
      ...(o.tz ? { timezone: o.tz } : {}),
      targets,
      retention: retentionOf(o.keep),
      ...(o.mode ? { mode: o.mode } : {}),
      ...(o.storage ? { storage: o.storage } : {}),
      ...(o.notify ? { notifyChannelIds: o.notify.split(',') } : {}),
      ...(o.notifyOn ? { notifyOn: o.notifyOn.split(',') as ('failure' | 'success' | 'missed')[] } : {}),
      ...(o.missed ? { missedRunPolicy: o.missed } : {}),
      ...(o.zfsSend ? { zfsSend: true } : {}),
      enabled: !o.disabled,
    };
  };

  policyOptions(policies.command('create <name>').description('Create a backup policy')).action(
    async (name: string, o: PolicyOpts, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await unwrap(ctx.api().POST('/api/v1/backup-policies', { body: await bodyOf(ctx, name, o) }));
      if (ctx.out.json) return ctx.out.printJson(p);
      ctx.out.success(
        `Created backup policy ${p.name} (${p.id}): ${p.scheduleDescription}; next ${p.nextRuns[0] ? formatTimestamp(p.nextRuns[0]) : '-'}.`,
      );
    },
  );

  policyOptions(policies.command('update <policy>').description('Replace a policy (give every setting)'))
    .option('--name <name>', 'new name')
    .action(async (ref: string, o: PolicyOpts & { name?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const old = await resolvePolicy(ctx, ref);
      const p = await unwrap(
        ctx.api().PUT('/api/v1/backup-policies/{id}', {
          params: { path: { id: old.id } },
          body: await bodyOf(ctx, o.name ?? old.name, o),
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(p);
      ctx.out.success(`Updated ${p.name}: ${p.scheduleDescription}.`);
    });

  policies
    .command('delete <policy>')
    .description('Delete a policy (its recovery points are kept)')
    .option('-y, --yes', 'do not ask')
    .action(async (ref: string, o: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await resolvePolicy(ctx, ref);
      await confirmOrExit(`Delete backup policy ${p.name}? Its recovery points are kept.`, o.yes);
      await unwrap(ctx.api().DELETE('/api/v1/backup-policies/{id}', { params: { path: { id: p.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: p.id, deleted: true });
      ctx.out.success(`Deleted backup policy ${p.name}.`);
    });

  backups
    .command('run [policy]')
    .description('Run a policy now, or back up one instance/volume now')
    .option('--instance <instance>', 'back up this instance now (no policy)')
    .option('--volume <volume>', 'back up this volume now (no policy)')
    .addOption(
      new Option('--mode <mode>', 'vzdump mode (with --instance)').choices(['snapshot', 'suspend', 'stop']),
    )
    .option('--wait', 'wait for the run and show its outcome')
    .action(
      async (
        ref: string | undefined,
        o: { instance?: string; volume?: string; mode?: 'snapshot' | 'suspend' | 'stop'; wait?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const api = ctx.api();
        let answer: { run: Run; operation: { id: string } | null };
        if (o.instance) {
          const i = await resolveInstance(ctx, o.instance);
          answer = await unwrap(
            api.POST('/api/v1/instances/{id}/backup', {
              params: { path: { id: i.id } },
              body: o.mode ? { mode: o.mode } : {},
            }),
          );
        } else if (o.volume) {
          const v = await resolveVolume(ctx, o.volume);
          answer = await unwrap(
            api.POST('/api/v1/volumes/{id}/backup', { params: { path: { id: v.id } }, body: {} }),
          );
        } else if (ref) {
          const p = await resolvePolicy(ctx, ref);
          answer = await unwrap(
            api.POST('/api/v1/backup-policies/{id}/run', { params: { path: { id: p.id } } }),
          );
        } else {
          throw new CliError('Give a policy, --instance or --volume', { exitCode: ExitCode.usage });
        }
        await afterRun(ctx, answer, o.wait);
      },
    );

  const runs = backups.command('runs').description('Backup runs (newest first)');
  addListOptions(
    runs
      .command('list', { isDefault: true })
      .alias('ls')
      .option('--policy <policy>', 'runs of this policy')
      .option('--status <status>', 'succeeded, failed, partial, skipped, running, queued'),
    'runs',
  ).action(async (o: ListOptions & { policy?: string; status?: string }, cmd: Command) => {
    const ctx = contextOf(cmd);
    const policyId = o.policy ? (await resolvePolicy(ctx, o.policy)).id : undefined;
    const query = {
      ...(policyId ? { policyId } : {}),
      ...(o.status ? { status: o.status as Run['status'] } : {}),
    };
    const page = await fetchListPage(
      { ...o, limit: o.limit ?? 20 },
      (paging) =>
        unwrap(
          ctx.api().GET('/api/v1/backup-runs', { params: { query: { ...query, ...paging } } }),
        ) as Promise<Page<Run>>,
    );
    printPage(ctx, page, { columns: runColumns, empty: 'No backup runs yet.', noun: 'runs' });
  });
  runs
    .command('get <run>')
    .description('One run: per-target outcome, size, task log excerpt')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      printRun(ctx, await unwrap(ctx.api().GET('/api/v1/backup-runs/{id}', { params: { path: { id } } })));
    });

  addListOptions(
    backups
      .command('points')
      .description('Recovery points (backups you can restore)')
      .option('--instance <instance>', 'of this instance')
      .option('--volume <volume>', 'of this volume'),
    'recovery points',
  ).action(async (o: ListOptions & { instance?: string; volume?: string }, cmd: Command) => {
    const ctx = contextOf(cmd);
    const instanceId = o.instance
      ? (await resolveInstance(ctx, o.instance, { includeTerminated: true })).id
      : undefined;
    const volumeId = o.volume ? (await resolveVolume(ctx, o.volume)).id : undefined;
    const query = { ...(instanceId ? { instanceId } : {}), ...(volumeId ? { volumeId } : {}) };
    const page = await fetchListPage(
      o,
      (paging) =>
        unwrap(
          ctx.api().GET('/api/v1/recovery-points', { params: { query: { ...query, ...paging } } }),
        ) as Promise<Page<Point>>,
    );
    printPage(ctx, page, {
      columns: pointColumns,
      empty: 'No recovery points. Back something up: `proxicloud backups run --instance <instance>`.',
      noun: 'recovery points',
      id: (p) => p.id,
    });
  });

  backups
    .command('restore <recoveryPoint>')
    .description('Restore to a new instance/volume (default) or over the original (--replace)')
    .option('--name <name>', 'name of the new instance/volume')
    .option('--replace', 'overwrite the original (it must be stopped); asks for its name')
    .option('--confirm <name>', 'with --replace: the name of the resource being overwritten (scripts)')
    .addOption(
      new Option(
        '--from <source>',
        'volumes: the local snapshot or the zfs send copy (default: the snapshot while the volume exists)',
      ).choices(['snapshot', 'copy']),
    )
    .option('--wait', 'wait for the restore to finish')
    .option('--timeout <s>', 'give up waiting after this many seconds', intInRange(1, 86_400))
    .action(
      async (
        id: string,
        o: {
          name?: string;
          replace?: boolean;
          confirm?: string;
          from?: 'snapshot' | 'copy';
          wait?: boolean;
          timeout?: number;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const api = ctx.api();
        const p = await unwrap(api.GET('/api/v1/recovery-points/{id}', { params: { path: { id } } }));
        let confirm = o.confirm;
        if (o.replace && confirm === undefined) {
          await confirmOrExit(
            `Overwrite ${p.resourceType} ${p.resourceName} with the backup of ${formatTimestamp(p.createdAt)}?`,
            false,
          );
          confirm = p.resourceName;
        }
        const res = await unwrap(
          api.POST('/api/v1/recovery-points/{id}/restore', {
            params: { path: { id } },
            body: {
              mode: o.replace ? 'replace' : 'new',
              ...(o.name ? { name: o.name } : {}),
              ...(confirm ? { confirm } : {}),
              ...(o.from ? { from: o.from } : {}),
            },
          }),
        );
        if (!o.wait) {
          if (ctx.out.json) return ctx.out.printJson(res);
          ctx.out.success(`Restoring ${p.resourceName} (operation ${res.operation.id}).`);
          if (res.targetResourceId) ctx.out.note(`The new instance will be ${res.targetResourceId}.`);
          return;
        }
        const op = await followOperation(ctx, res.operation.id, { timeout: o.timeout });
        if (ctx.out.json) return ctx.out.printJson({ ...res, operation: op });
        ctx.out.success(
          `Restored ${p.resourceName}${res.targetResourceId ? ` as ${res.targetResourceId}` : ''}.`,
        );
      },
    );
}
