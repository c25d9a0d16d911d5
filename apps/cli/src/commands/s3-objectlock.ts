/**
 * `s3 object-lock|retention|legal-hold`: S3 Object Lock (write once, read many) through the REST
 * API (`/api/v1/buckets/{bucket}/object-lock…`). Create a bucket with it: `s3 mb NAME --object-lock`.
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import { formatTimestamp } from '../lib/output.ts';
import { parseS3Uri } from './s3.ts';

type LockState = components['schemas']['ObjectLockState'];
type LockConfig = components['schemas']['ObjectLockConfig'];
type Mode = 'GOVERNANCE' | 'COMPLIANCE';

function modeArg(value: string): Mode {
  const m = value.trim().toUpperCase();
  if (m !== 'GOVERNANCE' && m !== 'COMPLIANCE')
    throw new UsageError(`"${value}" is not a retention mode`, 'Use governance or compliance.');
  return m;
}

/** "30d", "12h", "1y", or an ISO date/date-time → ISO date-time in the future. */
export function parseUntil(value: string, now = Date.now()): string {
  const v = value.trim();
  const m = /^(\d+)\s*([hdy])$/i.exec(v);
  if (m) {
    const n = Number(m[1]);
    const unit = m[2]!.toLowerCase();
    const t = new Date(now);
    if (unit === 'y') t.setUTCFullYear(t.getUTCFullYear() + n);
    else t.setTime(now + n * (unit === 'd' ? 86_400_000 : 3_600_000));
    return t.toISOString();
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `"${value}" is not a date`,
      'Use a duration like 30d, 12h, 1y or a date like 2027-01-31.',
    );
  if (ms <= now)
    throw new UsageError(`${value} is in the past`, 'The retain-until date must be in the future.');
  return new Date(ms).toISOString();
}

function objectArg(value: string): { bucket: string; key: string } {
  const loc = parseS3Uri(value, { bare: true })!;
  if (!loc.key) throw new UsageError(`"${value}" names no object`, 'Write s3://bucket/key.');
  return loc;
}

function describeConfig(c: LockConfig): string {
  if (!c.enabled)
    return `s3://${c.bucket}: object lock is off. It can only be turned on for versioned buckets: proxicloud s3 object-lock ${c.bucket} --enable`;
  const d = c.defaultRetention;
  if (!d) return `s3://${c.bucket}: object lock on, no default retention`;
  const period = d.days !== undefined ? `${d.days} day(s)` : `${d.years} year(s)`;
  return `s3://${c.bucket}: object lock on, new versions are kept ${period} in ${d.mode} mode`;
}

function describeLock(l: LockState): string {
  const lines = [`s3://…/${l.key} version ${l.versionId}`];
  lines.push(
    l.retention
      ? `  retention:  ${l.retention.mode} until ${formatTimestamp(l.retention.retainUntil)} (${l.retention.retainUntil})`
      : '  retention:  none',
  );
  lines.push(`  legal hold: ${l.legalHold ? 'ON' : 'off'}`);
  lines.push(`  deletable:  ${l.locked ? 'no (locked)' : 'yes'}`);
  return lines.join('\n');
}

async function getLock(cmd: Command, bucket: string, key: string, versionId?: string): Promise<LockState> {
  return unwrap(
    contextOf(cmd)
      .api()
      .GET('/api/v1/buckets/{bucket}/object-lock/objects/{key}', {
        params: { path: { bucket, key }, query: versionId ? { versionId } : {} },
      }),
  );
}

export function registerS3ObjectLockCommands(s3: Command): void {
  s3.command('object-lock <bucket>')
    .description("Show a bucket's object lock, or set its default retention")
    .option('--enable', 'turn object lock on for a versioned bucket (it cannot be turned off)')
    .option('--mode <mode>', 'default retention mode: governance | compliance')
    .option('--days <n>', 'default retention in days', (v) => Number(v))
    .option('--years <n>', 'default retention in years', (v) => Number(v))
    .option('--no-default', 'remove the default retention (versions already locked stay locked)')
    .addHelpText(
      'after',
      `
Object lock keeps object versions from being deleted or overwritten for good ("WORM"): a version
under retention, or with a legal hold, cannot be deleted; a plain delete only adds a delete marker.
GOVERNANCE retention can be shortened or bypassed by admins; COMPLIANCE by nobody until it ends.
Create a bucket with object lock using: proxicloud s3 mb NAME --object-lock
${examples(
  'proxicloud s3 object-lock backups',
  'proxicloud s3 object-lock backups --mode compliance --days 30',
  'proxicloud s3 object-lock backups --mode governance --years 1',
  'proxicloud s3 object-lock old-bucket --enable',
  'proxicloud s3 object-lock backups --no-default',
)}`,
    )
    .action(
      async (
        name: string,
        opts: { enable?: boolean; mode?: string; days?: number; years?: number; default: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const bucket = parseS3Uri(name, { bare: true })!.bucket;
        const setting = opts.mode !== undefined || opts.days !== undefined || opts.years !== undefined;
        if (!setting && opts.default && !opts.enable) {
          const c = await unwrap(
            ctx.api().GET('/api/v1/buckets/{bucket}/object-lock', { params: { path: { bucket } } }),
          );
          if (ctx.out.json) return ctx.out.printJson(c);
          return ctx.out.info(describeConfig(c));
        }
        let defaultRetention: LockConfig['defaultRetention'] = null;
        if (setting) {
          if (!opts.mode)
            throw new UsageError('--mode is missing', 'Add --mode governance or --mode compliance.');
          if ((opts.days === undefined) === (opts.years === undefined))
            throw new UsageError('give exactly one of --days and --years');
          const n = opts.days ?? opts.years!;
          if (!Number.isInteger(n) || n < 1)
            throw new UsageError('the retention period is a whole number ≥ 1');
          defaultRetention = {
            mode: modeArg(opts.mode),
            ...(opts.days !== undefined ? { days: n } : { years: n }),
          };
        } else if (opts.enable) {
          // keep an existing default retention when only enabling
          const c = await unwrap(
            ctx.api().GET('/api/v1/buckets/{bucket}/object-lock', { params: { path: { bucket } } }),
          );
          defaultRetention = c.defaultRetention;
        }
        const c = await unwrap(
          ctx.api().PUT('/api/v1/buckets/{bucket}/object-lock', {
            params: { path: { bucket } },
            body: { defaultRetention },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(c);
        ctx.out.success(describeConfig(c));
      },
    );

  s3.command('retention <s3uri>')
    .description('Show the retention and legal hold of an object version, or set its retention')
    .option('--version-id <id>', 'a specific version (default: the current one)')
    .option('--mode <mode>', 'governance | compliance')
    .option('--until <when>', 'retain until: a duration (30d, 12h, 1y) or a date (2027-01-31)')
    .option('--remove', 'remove a GOVERNANCE retention (needs --bypass-governance)')
    .option('--bypass-governance', 'shorten or remove GOVERNANCE retention (admins only)')
    .addHelpText(
      'after',
      `
Extending a retention is always allowed. Shortening or removing GOVERNANCE retention needs
--bypass-governance and an admin; COMPLIANCE retention cannot be shortened or removed by anyone.
${examples(
  'proxicloud s3 retention s3://backups/db.dump',
  'proxicloud s3 retention s3://backups/db.dump --mode compliance --until 90d',
  'proxicloud s3 retention s3://backups/db.dump --mode governance --until 2027-06-30',
  'proxicloud s3 retention s3://backups/db.dump --remove --bypass-governance',
)}`,
    )
    .action(
      async (
        uri: string,
        opts: {
          versionId?: string;
          mode?: string;
          until?: string;
          remove?: boolean;
          bypassGovernance?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const { bucket, key } = objectArg(uri);
        if (opts.mode === undefined && opts.until === undefined && !opts.remove) {
          const l = await getLock(cmd, bucket, key, opts.versionId);
          if (ctx.out.json) return ctx.out.printJson(l);
          return ctx.out.info(describeLock(l).replace('s3://…/', `s3://${bucket}/`));
        }
        let retention: LockState['retention'] = null;
        if (!opts.remove) {
          if (!opts.mode || !opts.until)
            throw new UsageError(
              '--mode and --until go together',
              'For example: --mode compliance --until 30d',
            );
          retention = { mode: modeArg(opts.mode), retainUntil: parseUntil(opts.until) };
        }
        const l = await unwrap(
          ctx.api().PUT('/api/v1/buckets/{bucket}/object-lock/retention', {
            params: { path: { bucket } },
            body: {
              key,
              retention,
              ...(opts.versionId ? { versionId: opts.versionId } : {}),
              ...(opts.bypassGovernance ? { bypassGovernance: true } : {}),
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(l);
        ctx.out.success(describeLock(l).replace('s3://…/', `s3://${bucket}/`));
      },
    );

  s3.command('legal-hold <s3uri> [state]')
    .description('Show or set the legal hold of an object version: on | off')
    .option('--version-id <id>', 'a specific version (default: the current one)')
    .addHelpText(
      'after',
      `
A legal hold keeps a version from being deleted, whatever its retention, until it is turned off.
${examples('proxicloud s3 legal-hold s3://evidence/mail.eml on', 'proxicloud s3 legal-hold s3://evidence/mail.eml off')}`,
    )
    .action(async (uri: string, state: string | undefined, opts: { versionId?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const { bucket, key } = objectArg(uri);
      if (state === undefined) {
        const l = await getLock(cmd, bucket, key, opts.versionId);
        if (ctx.out.json) return ctx.out.printJson(l);
        return ctx.out.info(`s3://${bucket}/${key}: legal hold ${l.legalHold ? 'ON' : 'off'}`);
      }
      const s = state.toLowerCase();
      if (s !== 'on' && s !== 'off')
        throw new UsageError(`"${state}" is not a legal hold state`, 'Use on or off.');
      const l = await unwrap(
        ctx.api().PUT('/api/v1/buckets/{bucket}/object-lock/legal-hold', {
          params: { path: { bucket } },
          body: { key, legalHold: s === 'on', ...(opts.versionId ? { versionId: opts.versionId } : {}) },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(l);
      ctx.out.success(
        `Legal hold on s3://${bucket}/${key} (version ${l.versionId}) is now ${s === 'on' ? 'ON' : 'off'}.`,
      );
    });
}
