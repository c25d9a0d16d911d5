/** `quotas [show] [user]`, `quotas list`, `quotas set`, `quotas reset`: per-user limits and usage. */
import type { components } from '@proxicloud/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import type { Column } from '../lib/output.ts';

type Quota = components['schemas']['Quota'];
type Limits = Quota['limits'];
const KEYS: (keyof Limits)[] = [
  'vcpu',
  'memory',
  'diskGib',
  'instances',
  'volumes',
  'backupGib',
  'networks',
  'securityGroups',
  'functions',
  'functionConcurrency',
  'functionMemory',
];
const LABEL: Record<keyof Limits, string> = {
  vcpu: 'vCPU',
  memory: 'Memory (MiB)',
  diskGib: 'Disk (GiB)',
  instances: 'Instances',
  volumes: 'Volumes',
  backupGib: 'Backups (GiB)',
  networks: 'Networks',
  securityGroups: 'Security groups',
  functions: 'Functions',
  functionConcurrency: 'Function invocations running',
  functionMemory: 'Function memory running (MiB)',
};

/** A limit argument; commander cannot store null, so "unlimited" stays a word until the body is built. */
function limit(value: string): number | 'unlimited' {
  if (/^(unlimited|none|-)$/i.test(value)) return 'unlimited';
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number or "unlimited"');
  return Number(value);
}

/** usr-… or a username → user id; "me" and "default" pass through. */
async function resolveUser(ctx: Context, ref: string): Promise<string> {
  if (ref === 'me' || ref === 'default' || /^usr-[0-9a-f]{17}$/.test(ref)) return ref;
  const page = (await unwrap(
    ctx.api().GET('/api/v1/users', { params: { query: { q: ref, limit: 1000 } } }),
  )) as Page<{ id: string; username: string }>;
  const hit = page.items.find((u) => u.username === ref);
  if (!hit) throw new CliError(`No user "${ref}"`, { exitCode: ExitCode.notFound });
  return hit.id;
}

function printQuota(ctx: Context, q: Quota): void {
  if (ctx.out.json) {
    ctx.out.printJson(q);
    return;
  }
  ctx.out.line(
    `${q.username ?? q.userId}: ${q.source === 'none' ? 'no limits' : q.source === 'default' ? 'default limits' : 'own limits'}`,
  );
  ctx.out.line(
    ctx.out.renderTable(
      [
        { header: 'RESOURCE', value: (k: keyof Limits) => LABEL[k] },
        { header: 'USED', value: (k: keyof Limits) => q.usage[k], align: 'right' },
        { header: 'LIMIT', value: (k: keyof Limits) => q.limits[k] ?? 'unlimited', align: 'right' },
      ],
      KEYS,
    ),
  );
}

export function registerQuotaCommands(program: Command): void {
  const quotas = program
    .command('quotas')
    .alias('quota')
    .description(
      'Resource limits (vCPU, memory, disk, instances, volumes, networks, functions) and your usage',
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud quotas',
        'proxicloud quotas list                      # admin',
        'proxicloud quotas set alice --vcpu 8 --memory 16384 --instances 5',
        'proxicloud quotas set default --instances 3',
        'proxicloud quotas set bob --functions 10 --function-concurrency 5 --function-memory 1024',
      ),
    );

  quotas
    .command('show [user]', { isDefault: true })
    .description('Limits and usage (default: yours)')
    .action(async (user: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const userId = await resolveUser(ctx, user ?? 'me');
      printQuota(
        ctx,
        await unwrap(ctx.api().GET('/api/v1/quotas/{userId}', { params: { path: { userId } } })),
      );
    });

  quotas
    .command('list')
    .description('Admin: every user’s limits and usage')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/quotas', { params: { query: { limit: 1000 } } }),
      )) as Page<Quota>;
      if (ctx.out.json) return ctx.out.printJson(page);
      const cell = (q: Quota, k: keyof Limits) => `${q.usage[k]}/${q.limits[k] ?? '∞'}`;
      const columns: Column<Quota>[] = [
        { header: 'USER', value: (q) => q.username ?? q.userId },
        { header: 'SOURCE', value: (q) => q.source },
        ...KEYS.map((k) => ({
          header: LABEL[k].toUpperCase(),
          value: (q: Quota) => cell(q, k),
          align: 'right' as const,
        })),
      ];
      ctx.out.table(columns, page.items);
    });

  quotas
    .command('set <user>')
    .description('Admin: set limits for a user (or "default"); values are numbers or "unlimited"')
    .option('--vcpu <n>', 'vCPUs', limit)
    .option('--memory <MiB>', 'memory in MiB', limit)
    .option('--disk <GiB>', 'disk in GiB (root disks plus volumes)', limit)
    .option('--instances <n>', 'instances', limit)
    .option('--volumes <n>', 'volumes', limit)
    .option('--backups <GiB>', 'backup storage in GiB (recovery points kept)', limit)
    .option('--networks <n>', 'networks (the default network counts too)', limit)
    .option('--security-groups <n>', 'security groups', limit)
    .option('--functions <n>', 'functions', limit)
    .option('--function-concurrency <n>', 'function invocations running at once', limit)
    .option('--function-memory <MiB>', 'MiB (memoryMb) of function invocations running at once', limit)
    .addHelpText('after', '\nLimits not given are unlimited (the whole set is replaced).')
    .action(
      async (
        user: string,
        opts: Partial<
          Record<
            | 'vcpu'
            | 'memory'
            | 'disk'
            | 'instances'
            | 'volumes'
            | 'backups'
            | 'networks'
            | 'securityGroups'
            | 'functions'
            | 'functionConcurrency'
            | 'functionMemory',
            number | 'unlimited'
          >
        >,
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const userId = await resolveUser(ctx, user);
        const n = (v: number | 'unlimited' | undefined) => (typeof v === 'number' ? v : null);
        const body = {
          vcpu: n(opts.vcpu),
          memory: n(opts.memory),
          diskGib: n(opts.disk),
          instances: n(opts.instances),
          volumes: n(opts.volumes),
          backupGib: n(opts.backups),
          networks: n(opts.networks),
          securityGroups: n(opts.securityGroups),
          functions: n(opts.functions),
          functionConcurrency: n(opts.functionConcurrency),
          functionMemory: n(opts.functionMemory),
        };
        const q = await unwrap(
          ctx.api().PUT('/api/v1/quotas/{userId}', { params: { path: { userId } }, body }),
        );
        if (!ctx.out.json) ctx.out.success(`Set the limits of ${q.username ?? q.userId}.`);
        printQuota(ctx, q);
      },
    );

  quotas
    .command('reset <user>')
    .description('Admin: remove a user’s own limits (the defaults apply again)')
    .action(async (user: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const userId = await resolveUser(ctx, user);
      await unwrap(ctx.api().DELETE('/api/v1/quotas/{userId}', { params: { path: { userId } } }));
      if (ctx.out.json) return ctx.out.printJson({ userId, reset: true });
      ctx.out.success(`Removed the own limits of ${user}.`);
    });
}
