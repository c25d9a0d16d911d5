/**
 * `s3 lifecycle <bucket> [show|add|set|remove|clear|apply]`: bucket lifecycle rules through the
 * REST API (`/api/v1/buckets/{bucket}/lifecycle`).
 */
import fs from 'node:fs';
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { confirmOrExit, examples, intInRange } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import type { Column } from '../lib/output.ts';
import { parseS3Uri } from './s3.ts';

type Rule = components['schemas']['LifecycleRule'];

function describeFilter(r: Rule): string {
  const f = r.filter;
  const parts = [
    f.prefix ? `prefix ${f.prefix}` : '',
    ...(f.tags ?? []).map((t) => `tag ${t.key}=${t.value}`),
    f.objectSizeGreaterThan !== undefined ? `> ${f.objectSizeGreaterThan} B` : '',
    f.objectSizeLessThan !== undefined ? `< ${f.objectSizeLessThan} B` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'every object';
}

function describeActions(r: Rule): string {
  const out: string[] = [];
  const e = r.expiration;
  if (e?.days !== undefined) out.push(`expire after ${e.days} d`);
  if (e?.date !== undefined) out.push(`expire on ${e.date.slice(0, 10)}`);
  if (e?.expiredObjectDeleteMarker) out.push('remove lone delete markers');
  const n = r.noncurrentVersionExpiration;
  if (n)
    out.push(
      `old versions after ${n.noncurrentDays} d${n.newerNoncurrentVersions ? ` (keep ${n.newerNoncurrentVersions})` : ''}`,
    );
  const a = r.abortIncompleteMultipartUpload;
  if (a) out.push(`abort uploads after ${a.daysAfterInitiation} d`);
  return out.join('; ');
}

const columns: Column<Rule>[] = [
  { header: 'ID', value: (r) => r.id ?? '' },
  { header: 'STATUS', value: (r) => r.status.toLowerCase() },
  { header: 'APPLIES TO', value: describeFilter },
  { header: 'ACTIONS', value: describeActions },
];

interface AddOptions {
  id?: string;
  prefix?: string;
  tag?: string[];
  expireDays?: number;
  expireDate?: string;
  noncurrentDays?: number;
  keepNoncurrent?: number;
  abortUploadsDays?: number;
  expiredDeleteMarkers?: boolean;
  disabled?: boolean;
  file?: string;
  yes?: boolean;
}

function ruleFromOptions(o: AddOptions): Rule {
  const tags = (o.tag ?? []).map((t) => {
    const i = t.indexOf('=');
    if (i <= 0) throw new UsageError(`"${t}" is not a tag`, 'Write --tag key=value.');
    return { key: t.slice(0, i), value: t.slice(i + 1) };
  });
  const rule: Rule = {
    ...(o.id ? { id: o.id } : {}),
    status: o.disabled ? 'Disabled' : 'Enabled',
    filter: { ...(o.prefix ? { prefix: o.prefix } : {}), ...(tags.length ? { tags } : {}) },
  };
  if (o.expireDays !== undefined) rule.expiration = { days: o.expireDays };
  if (o.expireDate !== undefined) {
    const d = new Date(`${o.expireDate.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(d.getTime()))
      throw new UsageError(`"${o.expireDate}" is not a date`, 'Write YYYY-MM-DD.');
    rule.expiration = { date: d.toISOString() };
  }
  if (o.expiredDeleteMarkers) rule.expiration = { expiredObjectDeleteMarker: true };
  if (o.noncurrentDays !== undefined)
    rule.noncurrentVersionExpiration = {
      noncurrentDays: o.noncurrentDays,
      ...(o.keepNoncurrent !== undefined ? { newerNoncurrentVersions: o.keepNoncurrent } : {}),
    };
  if (o.abortUploadsDays !== undefined)
    rule.abortIncompleteMultipartUpload = { daysAfterInitiation: o.abortUploadsDays };
  if (!rule.expiration && !rule.noncurrentVersionExpiration && !rule.abortIncompleteMultipartUpload)
    throw new UsageError(
      'a rule needs an action',
      'Give --expire-days, --expire-date, --expired-delete-markers, --noncurrent-days or --abort-uploads-days.',
    );
  return rule;
}

async function currentRules(ctx: Context, bucket: string): Promise<Rule[]> {
  return (await unwrap(ctx.api().GET('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } } })))
    .rules;
}

async function store(ctx: Context, bucket: string, rules: Rule[]): Promise<Rule[]> {
  return (
    await unwrap(
      ctx.api().PUT('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } }, body: { rules } }),
    )
  ).rules;
}

export function registerS3LifecycleCommands(s3: Command): void {
  const days = intInRange(1, 100_000);
  s3.command('lifecycle <bucket> [action] [ruleId]')
    .description('Show or change the rules that expire objects, old versions and stale uploads')
    .option('--id <id>', 'add: the rule id (generated when left out)')
    .option('--prefix <prefix>', 'add: only keys starting with this')
    .option('--tag <key=value>', 'add: only objects with this tag (repeatable)', (v, acc: string[] = []) => [
      ...acc,
      v,
    ])
    .option('--expire-days <n>', 'add: delete objects this many days after they were written', days)
    .option('--expire-date <YYYY-MM-DD>', 'add: delete objects from this date on')
    .option('--expired-delete-markers', 'add: remove delete markers that have no versions left behind them')
    .option('--noncurrent-days <n>', 'add: delete old versions this many days after they were replaced', days)
    .option('--keep-noncurrent <n>', 'add: but keep this many newest old versions', intInRange(1, 100))
    .option(
      '--abort-uploads-days <n>',
      'add: abort multipart uploads not completed after this many days',
      days,
    )
    .option('--disabled', 'add: store the rule switched off')
    .option(
      '-f, --file <path>',
      'set: the rules as JSON ({"rules": [...]} or [...], as `-o json` prints them)',
    )
    .option('-y, --yes', 'apply: do not ask for confirmation')
    .addHelpText(
      'after',
      `
Actions: show (default) | add | set | remove <ruleId> | clear | apply
Rules are due at midnight UTC after the given days (as on AWS S3) and the server applies them every
hour; "apply" runs them now and says what it removed. Expiring an object in a versioned bucket adds
a delete marker: pair it with --noncurrent-days to free the space.
${examples(
  'proxicloud s3 lifecycle logs',
  'proxicloud s3 lifecycle logs add --id old-logs --prefix app/ --expire-days 30',
  'proxicloud s3 lifecycle backups add --noncurrent-days 7 --keep-noncurrent 3',
  'proxicloud s3 lifecycle uploads add --abort-uploads-days 2',
  'proxicloud s3 lifecycle logs remove old-logs',
  'proxicloud -o json s3 lifecycle logs > rules.json && proxicloud s3 lifecycle logs set -f rules.json',
  'proxicloud s3 lifecycle logs apply --yes',
)}`,
    )
    .action(
      async (
        name: string,
        action: string | undefined,
        ruleId: string | undefined,
        opts: AddOptions,
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const bucket = parseS3Uri(name, { bare: true })!.bucket;
        const show = (rules: Rule[]) => {
          if (ctx.out.json) return ctx.out.printJson({ bucket, rules });
          ctx.out.table(
            columns,
            rules,
            `s3://${bucket} has no lifecycle rules. Add one with: proxicloud s3 lifecycle ${bucket} add --help`,
          );
        };
        switch (action ?? 'show') {
          case 'show':
            return show(await currentRules(ctx, bucket));
          case 'add': {
            const rule = ruleFromOptions(opts);
            const rules = await store(ctx, bucket, [...(await currentRules(ctx, bucket)), rule]);
            if (ctx.out.json) return ctx.out.printJson({ bucket, rules });
            return ctx.out.success(
              `Added rule ${rules[rules.length - 1]!.id} to s3://${bucket}: ${describeActions(rule)}.`,
            );
          }
          case 'set': {
            if (!opts.file)
              throw new UsageError('set needs --file', 'Give the rules as JSON with -f rules.json.');
            let parsed: unknown;
            try {
              parsed = JSON.parse(fs.readFileSync(opts.file, 'utf8'));
            } catch (err) {
              throw new UsageError(
                `cannot read ${opts.file}: ${(err as Error).message}`,
                'Give a JSON file.',
              );
            }
            const rules = (Array.isArray(parsed) ? parsed : (parsed as { rules?: Rule[] }).rules) as
              | Rule[]
              | undefined;
            if (!Array.isArray(rules))
              throw new UsageError(`${opts.file} holds no rules`, 'Write {"rules": [...]}.');
            const stored = await store(ctx, bucket, rules);
            if (ctx.out.json) return ctx.out.printJson({ bucket, rules: stored });
            return ctx.out.success(`s3://${bucket} now has ${stored.length} lifecycle rule(s).`);
          }
          case 'remove': {
            if (!ruleId)
              throw new UsageError(
                'remove needs a rule id',
                'See the ids with: proxicloud s3 lifecycle BUCKET',
              );
            const rules = await currentRules(ctx, bucket);
            const rest = rules.filter((r) => r.id !== ruleId);
            if (rest.length === rules.length)
              throw new UsageError(
                `s3://${bucket} has no rule "${ruleId}"`,
                `Its rules: ${rules.map((r) => r.id).join(', ') || 'none'}.`,
              );
            await store(ctx, bucket, rest);
            return ctx.out.success(`Removed rule ${ruleId} from s3://${bucket}.`);
          }
          case 'clear':
            await unwrap(
              ctx.api().DELETE('/api/v1/buckets/{bucket}/lifecycle', { params: { path: { bucket } } }),
            );
            return ctx.out.success(`s3://${bucket} has no lifecycle rules now.`);
          case 'apply': {
            await confirmOrExit(
              `Apply the lifecycle rules of s3://${bucket} now (expired objects are deleted)?`,
              opts.yes,
            );
            const r = await unwrap(
              ctx.api().POST('/api/v1/buckets/{bucket}/lifecycle/apply', { params: { path: { bucket } } }),
            );
            if (ctx.out.json) return ctx.out.printJson(r);
            return ctx.out.success(
              `Applied: ${r.expiredObjects} object(s) expired, ${r.expiredNoncurrentVersions} old version(s) and ${r.removedDeleteMarkers} delete marker(s) removed, ${r.abortedUploads} upload(s) aborted.`,
            );
          }
          default:
            throw new UsageError(
              `"${action}" is not a lifecycle action`,
              'Use show, add, set, remove, clear or apply.',
            );
        }
      },
    );
}
