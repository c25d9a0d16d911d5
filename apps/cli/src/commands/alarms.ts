/**
 * `alarms list|get|create|update|delete|history|silence`: threshold alarms on instance and node
 * metrics, evaluated by the server over the collector's samples; state changes go to notification
 * channels (see `proxicloud notifications`).
 */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { resolveInstance } from './instances.ts';
import { resolveChannel } from './notifications.ts';
import { resolveVolume } from './volumes.ts';

type Alarm = components['schemas']['Alarm'];
type Transition = components['schemas']['AlarmTransition'];

export const ALARM_METRICS = [
  'cpu',
  'memory',
  'diskRead',
  'diskWrite',
  'netIn',
  'netOut',
  'diskUsed',
  'objectCount',
  'storedBytes',
] as const;
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

/** "90s", "5m", "1h", "300" (seconds) → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`"${text}" is not a duration: use e.g. 90s, 5m, 1h`);
  const mult = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's'];
  return Number(m[1]) * mult;
}

const value = (a: Alarm, v: number | null) => (v === null ? '-' : `${Number(v.toFixed(2))} ${a.unit}`);

const columns: Column<Alarm>[] = [
  { header: 'NAME', value: (a) => a.name },
  { header: 'STATE', value: (a) => a.state },
  { header: 'RESOURCE', value: (a) => `${a.resourceType} ${a.resourceName ?? a.resourceId}` },
  {
    header: 'CONDITION',
    value: (a) => `${a.metric} ${a.comparison} ${a.threshold} ${a.unit} for ${a.durationSeconds}s`,
  },
  { header: 'LAST', value: (a) => value(a, a.lastValue) },
  {
    header: 'SILENCED',
    value: (a) =>
      a.silencedUntil && Date.parse(a.silencedUntil) > Date.now()
        ? `until ${formatTimestamp(a.silencedUntil)}`
        : '-',
  },
  { header: 'ID', value: (a) => a.id },
];

async function listAlarms(ctx: Context, query: { state?: string } = {}): Promise<Alarm[]> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/alarms', { params: { query: { limit: 1000, ...query } as never } }),
  )) as Page<Alarm>;
  return page.items;
}

/** An alarm by id (alm-…) or name. */
async function resolveAlarm(ctx: Context, ref: string): Promise<Alarm> {
  if (/^alm-[0-9a-f]{17}$/.test(ref))
    return unwrap(ctx.api().GET('/api/v1/alarms/{id}', { params: { path: { id: ref } } }));
  const found = (await listAlarms(ctx)).find((a) => a.name === ref);
  if (!found) throw new UsageError(`No alarm "${ref}"`, 'List yours with `proxicloud alarms list`.');
  return found;
}

async function channelIds(ctx: Context, refs: string[] | undefined): Promise<string[] | undefined> {
  if (!refs) return undefined;
  const ids: string[] = [];
  for (const r of refs) ids.push((await resolveChannel(ctx, r)).id);
  return ids;
}

function printAlarm(ctx: Context, a: Alarm): void {
  ctx.out.details([
    ['Name', a.name],
    ['ID', a.id],
    ['State', `${a.state} since ${formatTimestamp(a.stateChangedAt)}`],
    ['Reason', a.stateReason],
    ['Resource', `${a.resourceType} ${a.resourceName ?? ''} (${a.resourceId})`],
    ['Condition', `${a.metric} ${a.comparison} ${a.threshold} ${a.unit} for ${a.durationSeconds} s`],
    ['Last value', value(a, a.lastValue)],
    ['Channels', a.channelIds.length ? a.channelIds.join(', ') : 'none'],
    ['Silenced until', a.silencedUntil ? formatTimestamp(a.silencedUntil) : '-'],
  ]);
}

export function registerAlarmCommands(program: Command): void {
  const alarms = program
    .command('alarms')
    .alias('alarm')
    .description('Threshold alarms on instance and node metrics (OK / ALARM / INSUFFICIENT_DATA)')
    .addHelpText(
      'after',
      `
An alarm fires when the metric breaches the threshold for the whole duration (10 s – 30 min); cpu,
memory and diskUsed are in %, the rates (diskRead, diskWrite, netIn, netOut) in bytes per second.
${examples(
  'proxicloud alarms create web-cpu --instance web-1 --metric cpu --comparison ">" --threshold 80 --duration 5m --channel ops-mail',
  'proxicloud alarms create pve1-mem --node pve1 --metric memory --threshold 90 --duration 10m',
  'proxicloud alarms list --state ALARM',
  'proxicloud alarms silence web-cpu --for 2h',
  'proxicloud alarms history web-cpu',
)}`,
    );

  alarms
    .command('list')
    .alias('ls')
    .description('Your alarms with their state')
    .addOption(new Option('--state <state>', 'only alarms in this state').choices(STATES))
    .action(async (opts: { state?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const items = await listAlarms(ctx, opts.state ? { state: opts.state } : {});
      if (ctx.out.json) return ctx.out.printJson({ items, total: items.length });
      if (ctx.out.quiet) {
        for (const a of items) ctx.out.line(a.id);
        return;
      }
      ctx.out.table(
        columns,
        items,
        'No alarms. Create one with `proxicloud alarms create <name> --instance <instance> --metric cpu --threshold 80 --duration 5m`.',
      );
    });

  alarms
    .command('get <alarm>')
    .description('One alarm: condition, state and why')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const a = await resolveAlarm(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(a);
      printAlarm(ctx, a);
    });

  alarms
    .command('create <name>')
    .description(
      'Create an alarm on an instance (--instance), a node (--node), a volume (--volume) or a bucket (--bucket)',
    )
    .option('--instance <instance>', 'instance name or id')
    .option('--node <node>', 'Proxmox node name')
    .option('--volume <volume>', 'volume name or id (metric diskUsed)')
    .option('--bucket <bucket>', 'bucket name (metrics objectCount, storedBytes)')
    .addOption(new Option('--metric <metric>', 'what to watch').choices(ALARM_METRICS).makeOptionMandatory())
    .addOption(new Option('--comparison <op>', 'how to compare').choices(COMPARISONS).default('>'))
    .requiredOption(
      '--threshold <n>',
      '% for cpu/memory/diskUsed, bytes per second for the rates, objects for objectCount, bytes for storedBytes',
    )
    .requiredOption('--duration <d>', 'how long it must breach: 30s, 5m, …')
    .option('--channel <channel...>', 'notification channel name(s) or id(s)')
    .action(
      async (
        name: string,
        opts: {
          instance?: string;
          node?: string;
          volume?: string;
          bucket?: string;
          metric: (typeof ALARM_METRICS)[number];
          comparison: (typeof COMPARISONS)[number];
          threshold: string;
          duration: string;
          channel?: string[];
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const given = (['instance', 'node', 'volume', 'bucket'] as const).filter((k) => opts[k]);
        if (given.length !== 1)
          throw new UsageError('Give exactly one of --instance, --node, --volume or --bucket');
        const resourceType = given[0]!;
        const threshold = Number(opts.threshold);
        if (!Number.isFinite(threshold))
          throw new UsageError(`--threshold "${opts.threshold}" is not a number`);
        const resourceId =
          resourceType === 'instance'
            ? (await resolveInstance(ctx, opts.instance!)).id
            : resourceType === 'volume'
              ? (await resolveVolume(ctx, opts.volume!)).id
              : opts[resourceType]!;
        const created = await unwrap(
          ctx.api().POST('/api/v1/alarms', {
            body: {
              name,
              resourceType,
              resourceId,
              metric: opts.metric,
              comparison: opts.comparison,
              threshold,
              durationSeconds: parseDuration(opts.duration),
              channelIds: (await channelIds(ctx, opts.channel)) ?? [],
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(created);
        if (ctx.out.quiet) return ctx.out.line(created.id);
        ctx.out.success(`Created alarm ${created.name} (${created.id}), state ${created.state}`);
      },
    );

  alarms
    .command('update <alarm>')
    .description('Change the condition, the name or the channels')
    .option('--name <name>', 'new name')
    .addOption(new Option('--comparison <op>', 'how to compare').choices(COMPARISONS))
    .option('--threshold <n>', 'new threshold')
    .option('--duration <d>', 'new duration: 30s, 5m, …')
    .option('--channel <channel...>', 'replace the channels')
    .option('--no-channels', 'remove all channels')
    .action(
      async (
        ref: string,
        opts: {
          name?: string;
          comparison?: (typeof COMPARISONS)[number];
          threshold?: string;
          duration?: string;
          channel?: string[];
          channels?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const a = await resolveAlarm(ctx, ref);
        const body: Record<string, unknown> = {};
        if (opts.name) body.name = opts.name;
        if (opts.comparison) body.comparison = opts.comparison;
        if (opts.threshold !== undefined) {
          const t = Number(opts.threshold);
          if (!Number.isFinite(t)) throw new UsageError(`--threshold "${opts.threshold}" is not a number`);
          body.threshold = t;
        }
        if (opts.duration) body.durationSeconds = parseDuration(opts.duration);
        if (opts.channels === false) body.channelIds = [];
        else if (opts.channel) body.channelIds = await channelIds(ctx, opts.channel);
        if (Object.keys(body).length === 0)
          throw new UsageError('Nothing to change: give at least one option');
        const updated = await unwrap(
          ctx.api().PUT('/api/v1/alarms/{id}', { params: { path: { id: a.id } }, body: body as never }),
        );
        if (ctx.out.json) return ctx.out.printJson(updated);
        ctx.out.success(`Updated alarm ${updated.name}`);
      },
    );

  alarms
    .command('silence <alarm>')
    .description('No notifications until a time (the state is still tracked); --off ends it')
    .option('--for <d>', 'how long: 30m, 2h, 1d')
    .option('--until <time>', 'ISO-8601 time')
    .option('--off', 'end the silence now')
    .action(async (ref: string, opts: { for?: string; until?: string; off?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if ([opts.for, opts.until, opts.off].filter(Boolean).length !== 1)
        throw new UsageError('Give exactly one of --for, --until or --off');
      let until: string | null = null;
      if (opts.for) until = new Date(Date.now() + parseDuration(opts.for) * 1000).toISOString();
      if (opts.until) {
        const t = Date.parse(opts.until);
        if (Number.isNaN(t)) throw new UsageError(`--until "${opts.until}" is not a time`);
        until = new Date(t).toISOString();
      }
      const a = await resolveAlarm(ctx, ref);
      const updated = await unwrap(
        ctx
          .api()
          .PUT('/api/v1/alarms/{id}', { params: { path: { id: a.id } }, body: { silencedUntil: until } }),
      );
      if (ctx.out.json) return ctx.out.printJson(updated);
      ctx.out.success(
        until ? `Silenced ${updated.name} until ${formatTimestamp(until)}` : `${updated.name} notifies again`,
      );
    });

  alarms
    .command('history <alarm>')
    .description('State changes, newest first')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const a = await resolveAlarm(ctx, ref);
      const page = (await unwrap(
        ctx
          .api()
          .GET('/api/v1/alarms/{id}/history', { params: { path: { id: a.id }, query: { limit: 1000 } } }),
      )) as Page<Transition>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        [
          { header: 'WHEN', value: (t) => formatTimestamp(t.at) },
          { header: 'FROM', value: (t) => t.fromState },
          { header: 'TO', value: (t) => t.toState },
          { header: 'VALUE', value: (t) => value(a, t.value) },
          { header: 'NOTIFIED', value: (t) => (t.notified ? 'yes' : 'no') },
          { header: 'REASON', value: (t) => t.reason },
        ],
        page.items,
        'No state changes yet.',
      );
    });

  alarms
    .command('delete <alarm>')
    .alias('rm')
    .description('Delete an alarm and its history')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const a = await resolveAlarm(ctx, ref);
      await confirmOrExit(`Delete alarm ${a.name}?`, opts.yes);
      await unwrap(ctx.api().DELETE('/api/v1/alarms/{id}', { params: { path: { id: a.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: a.id, deleted: true });
      ctx.out.success(`Deleted alarm ${a.name}`);
    });
}
