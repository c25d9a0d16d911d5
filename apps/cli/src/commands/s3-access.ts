/**
 * Who may do what with a bucket, and tags: `s3 policy`, `s3 public-access-block`, `s3 acl`,
 * `s3 tag`, through the REST API (`/api/v1/buckets/{bucket}/policy|public-access-block|acl|
 * ownership|object-acl|tags|object-tags`).
 */
import fs from 'node:fs';
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import type { Column } from '../lib/output.ts';
import { parseS3Uri } from './s3.ts';

type Acl = components['schemas']['Acl'];
type Grant = Acl['grants'][number];
type Canned =
  | 'private'
  | 'public-read'
  | 'public-read-write'
  | 'authenticated-read'
  | 'bucket-owner-read'
  | 'bucket-owner-full-control'
  | 'log-delivery-write';
const CANNED: readonly Canned[] = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
];
const GROUPS: Record<string, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};
const PERMISSIONS = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'] as const;

/** Read a JSON document from a file path, or stdin with "-". */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as Error).message}`,
      'Give a JSON file, or - for stdin.',
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `${file} is not JSON: ${(err as Error).message}`,
      'A bucket policy is an IAM JSON document.',
    );
  }
}

/** `--grant READ=AllUsers`, `--grant FULL_CONTROL=<user id>`. */
export function parseGrant(value: string): {
  grantee: { type: 'CanonicalUser' | 'Group'; id?: string; uri?: string };
  permission: Grant['permission'];
} {
  const i = value.indexOf('=');
  const permission = value.slice(0, i).toUpperCase().replace(/-/g, '_') as Grant['permission'];
  const who = value.slice(i + 1);
  if (i <= 0 || !(PERMISSIONS as readonly string[]).includes(permission) || !who)
    throw new UsageError(
      `"${value}" is not a grant`,
      `Write PERMISSION=GRANTEE, e.g. READ=AllUsers or FULL_CONTROL=<user id>; permissions: ${PERMISSIONS.join(', ')}.`,
    );
  const uri = GROUPS[who] ?? (who.startsWith('http://acs.amazonaws.com/groups/') ? who : undefined);
  return uri
    ? { grantee: { type: 'Group', uri }, permission }
    : { grantee: { type: 'CanonicalUser', id: who }, permission };
}

const grantColumns: Column<Grant>[] = [
  {
    header: 'GRANTEE',
    value: (g) =>
      g.grantee.type === 'Group'
        ? (Object.entries(GROUPS).find(([, u]) => u === g.grantee.uri)?.[0] ?? g.grantee.uri ?? '')
        : `${g.grantee.username ?? g.grantee.id} (${g.grantee.id})`,
  },
  { header: 'TYPE', value: (g) => g.grantee.type },
  { header: 'PERMISSION', value: (g) => g.permission },
];

function parseTags(pairs: string[]): { key: string; value: string }[] {
  return pairs.map((t) => {
    const i = t.indexOf('=');
    if (i <= 0) throw new UsageError(`"${t}" is not a tag`, 'Write key=value.');
    return { key: t.slice(0, i), value: t.slice(i + 1) };
  });
}

export function registerS3AccessCommands(s3: Command): void {
  // ---------------------------------------------------------------- policy
  s3.command('policy <bucket> [action]')
    .description('Show, set or delete the bucket policy (who may do what, incl. anonymous access)')
    .option('-f, --file <path>', 'set: the policy JSON (- reads stdin)')
    .option(
      '--public-read [prefix]',
      'set: a ready-made policy letting anyone download objects (under prefix)',
    )
    .option('-y, --yes', 'set/delete: do not ask for confirmation')
    .addHelpText(
      'after',
      `
Actions: get (default) | set | delete
The policy is an AWS IAM JSON document, applied to every S3 request: an explicit Deny wins, then an
Allow; anything else is denied (the owner needs no Allow). Principal "*" includes anonymous callers;
name other users with {"AWS": "<user id or name>"}. Invalid policies are refused with the reason
(MalformedPolicy), and a Public Access Block with blockPublicPolicy refuses public ones.
${examples(
  'proxicloud s3 policy website',
  'proxicloud s3 policy website set --public-read',
  'proxicloud s3 policy website set --public-read assets/ --yes',
  'proxicloud s3 policy shared set -f policy.json',
  'proxicloud -o json s3 policy shared | jq .policy > policy.json',
  'proxicloud s3 policy website delete --yes',
)}`,
    )
    .action(
      async (
        name: string,
        action: string | undefined,
        opts: { file?: string; publicRead?: string | boolean; yes?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const bucket = parseS3Uri(name, { bare: true })!.bucket;
        const path = { params: { path: { bucket } } };
        switch (action ?? 'get') {
          case 'get': {
            const p = await unwrap(ctx.api().GET('/api/v1/buckets/{bucket}/policy', path));
            if (ctx.out.json) return ctx.out.printJson(p);
            if (!p.policy)
              return ctx.out.info(
                `s3://${bucket} has no bucket policy: only its owner (and admins) can use it. Set one with: proxicloud s3 policy ${bucket} set --help`,
              );
            ctx.out.info(`s3://${bucket} policy (${p.isPublic ? 'PUBLIC' : 'not public'}):`);
            return ctx.out.printJson(p.policy);
          }
          case 'set': {
            let policy: Record<string, unknown>;
            if (opts.publicRead !== undefined) {
              const prefix = typeof opts.publicRead === 'string' ? opts.publicRead : '';
              policy = {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'PublicRead',
                    Effect: 'Allow',
                    Principal: '*',
                    Action: 's3:GetObject',
                    Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
                  },
                ],
              };
              await confirmOrExit(
                `Let anyone on the network download s3://${bucket}/${prefix}* without signing in?`,
                opts.yes,
              );
            } else if (opts.file) {
              const doc = readJson(opts.file);
              if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
                throw new UsageError(
                  `${opts.file} is not a policy object`,
                  'Write {"Version": ..., "Statement": [...]}.',
                );
              policy = doc as Record<string, unknown>;
            } else
              throw new UsageError('set needs --file or --public-read', 'See: proxicloud s3 policy --help');
            const p = await unwrap(
              ctx.api().PUT('/api/v1/buckets/{bucket}/policy', { ...path, body: { policy } }),
            );
            if (ctx.out.json) return ctx.out.printJson(p);
            return ctx.out.success(
              `Set the policy of s3://${bucket}${p.isPublic ? ' (public: anonymous callers get what it allows)' : ''}.`,
            );
          }
          case 'delete':
            await confirmOrExit(`Delete the policy of s3://${bucket}?`, opts.yes);
            await unwrap(ctx.api().DELETE('/api/v1/buckets/{bucket}/policy', path));
            return ctx.out.success(`s3://${bucket} has no bucket policy now.`);
          default:
            throw new UsageError(`"${action}" is not a policy action`, 'Use get, set or delete.');
        }
      },
    );

  // ---------------------------------------------------------------- public access block
  s3.command('public-access-block <bucket> [action]')
    .description(
      'Show, set or delete the Public Access Block (a safety net against public policies and ACLs)',
    )
    .option('--all', 'set: turn on all four settings')
    .option('--block-public-acls', 'set: refuse ACLs that grant AllUsers/AuthenticatedUsers')
    .option('--ignore-public-acls', 'set: disregard such grants when deciding access')
    .option('--block-public-policy', 'set: refuse public bucket policies')
    .option('--restrict-public-buckets', 'set: with a public policy, only the owner gets access through it')
    .addHelpText(
      'after',
      `
Actions: get (default) | set | delete. "set" replaces the block: settings not given are off.
${examples(
  'proxicloud s3 public-access-block backups',
  'proxicloud s3 public-access-block backups set --all',
  'proxicloud s3 public-access-block website set --block-public-acls --ignore-public-acls',
  'proxicloud s3 public-access-block website delete',
)}`,
    )
    .action(
      async (
        name: string,
        action: string | undefined,
        opts: {
          all?: boolean;
          blockPublicAcls?: boolean;
          ignorePublicAcls?: boolean;
          blockPublicPolicy?: boolean;
          restrictPublicBuckets?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const bucket = parseS3Uri(name, { bare: true })!.bucket;
        const path = { params: { path: { bucket } } };
        const show = (b: components['schemas']['PublicAccessBlock']) => {
          if (ctx.out.json) return ctx.out.printJson(b);
          if (!b.configured) return ctx.out.info(`s3://${bucket} has no Public Access Block.`);
          ctx.out.table(
            [
              { header: 'SETTING', value: (r: [string, boolean]) => r[0] },
              { header: 'ON', value: (r: [string, boolean]) => (r[1] ? 'yes' : 'no') },
            ],
            [
              ['blockPublicAcls', b.blockPublicAcls],
              ['ignorePublicAcls', b.ignorePublicAcls],
              ['blockPublicPolicy', b.blockPublicPolicy],
              ['restrictPublicBuckets', b.restrictPublicBuckets],
            ],
          );
        };
        switch (action ?? 'get') {
          case 'get':
            return show(await unwrap(ctx.api().GET('/api/v1/buckets/{bucket}/public-access-block', path)));
          case 'set': {
            const all = !!opts.all;
            const body = {
              blockPublicAcls: all || !!opts.blockPublicAcls,
              ignorePublicAcls: all || !!opts.ignorePublicAcls,
              blockPublicPolicy: all || !!opts.blockPublicPolicy,
              restrictPublicBuckets: all || !!opts.restrictPublicBuckets,
            };
            if (!Object.values(body).some(Boolean))
              throw new UsageError(
                'set needs at least one setting',
                'Give --all or some of --block-public-acls, --ignore-public-acls, --block-public-policy, --restrict-public-buckets (or use delete).',
              );
            return show(
              await unwrap(ctx.api().PUT('/api/v1/buckets/{bucket}/public-access-block', { ...path, body })),
            );
          }
          case 'delete':
            await unwrap(ctx.api().DELETE('/api/v1/buckets/{bucket}/public-access-block', path));
            return ctx.out.success(`s3://${bucket} has no Public Access Block now.`);
          default:
            throw new UsageError(
              `"${action}" is not a public-access-block action`,
              'Use get, set or delete.',
            );
        }
      },
    );

  // ---------------------------------------------------------------- ACLs
  s3.command('acl <target> [action]')
    .description('Show or set the ACL of a bucket (s3://bucket) or an object (s3://bucket/key)')
    .option('--acl <canned>', `set: a canned ACL (${CANNED.join(', ')})`)
    .option(
      '--grant <PERMISSION=GRANTEE>',
      'set: an explicit grant; GRANTEE is AllUsers, AuthenticatedUsers or a user id (repeatable)',
      (v, acc: string[] = []) => [...acc, v],
    )
    .option(
      '--ownership <setting>',
      'set (bucket): BucketOwnerEnforced (ACLs off, the default) or BucketOwnerPreferred',
    )
    .addHelpText(
      'after',
      `
Actions: get (default) | set
ACLs only work on buckets whose object ownership is BucketOwnerPreferred; with BucketOwnerEnforced
(the default, as on AWS S3) only private ACLs are accepted. A new upload of a key resets its ACL.
${examples(
  'proxicloud s3 acl s3://website',
  'proxicloud s3 acl s3://website set --ownership BucketOwnerPreferred',
  'proxicloud s3 acl s3://website/index.html set --acl public-read',
  'proxicloud s3 acl s3://shared set --grant READ=usr-0123456789abcdef0',
)}`,
    )
    .action(
      async (
        target: string,
        action: string | undefined,
        opts: { acl?: string; grant?: string[]; ownership?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const loc = parseS3Uri(target, { bare: true })!;
        const bucket = loc.bucket;
        const key = loc.key;
        const show = (a: Acl) => {
          if (ctx.out.json) return ctx.out.printJson(a);
          ctx.out.info(
            `s3://${bucket}${key ? `/${key}` : ''}: owner ${a.owner.username ?? a.owner.id}, object ownership ${a.ownership}${a.ownership === 'BucketOwnerEnforced' ? ' (ACLs disabled)' : ''}`,
          );
          ctx.out.table(grantColumns, a.grants);
        };
        const get = async (): Promise<Acl> =>
          key
            ? unwrap(
                ctx.api().GET('/api/v1/buckets/{bucket}/object-acl/{key}', {
                  params: { path: { bucket, key: key } },
                }),
              )
            : unwrap(ctx.api().GET('/api/v1/buckets/{bucket}/acl', { params: { path: { bucket } } }));
        switch (action ?? 'get') {
          case 'get':
            return show(await get());
          case 'set': {
            let last: Acl | null = null;
            if (opts.ownership) {
              if (key) throw new UsageError('--ownership is a bucket setting', `Run it on s3://${bucket}.`);
              if (!['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(opts.ownership))
                throw new UsageError(
                  `"${opts.ownership}" is not an ownership setting`,
                  'Use BucketOwnerEnforced or BucketOwnerPreferred.',
                );
              last = await unwrap(
                ctx.api().PUT('/api/v1/buckets/{bucket}/ownership', {
                  params: { path: { bucket } },
                  body: { ownership: opts.ownership as Acl['ownership'] },
                }),
              );
            }
            if (opts.acl !== undefined || opts.grant?.length) {
              if (opts.acl !== undefined && opts.grant?.length)
                throw new UsageError('give --acl or --grant, not both', 'A canned ACL replaces all grants.');
              if (opts.acl !== undefined && !(CANNED as readonly string[]).includes(opts.acl))
                throw new UsageError(
                  `"${opts.acl}" is not a canned ACL`,
                  `Use one of: ${CANNED.join(', ')}.`,
                );
              const body =
                opts.acl !== undefined
                  ? { acl: opts.acl as Canned }
                  : { grants: (opts.grant ?? []).map(parseGrant) };
              last = key
                ? await unwrap(
                    ctx.api().PUT('/api/v1/buckets/{bucket}/object-acl/{key}', {
                      params: { path: { bucket, key: key } },
                      body,
                    }),
                  )
                : await unwrap(
                    ctx.api().PUT('/api/v1/buckets/{bucket}/acl', { params: { path: { bucket } }, body }),
                  );
            }
            if (!last)
              throw new UsageError(
                'set needs --acl, --grant or --ownership',
                'See: proxicloud s3 acl --help',
              );
            return show(last);
          }
          default:
            throw new UsageError(`"${action}" is not an acl action`, 'Use get or set.');
        }
      },
    );

  // ---------------------------------------------------------------- tags
  s3.command('tag <target> [action] [tags...]')
    .description('Show, set or clear the tags of a bucket (s3://bucket) or an object (s3://bucket/key)')
    .option('--version-id <id>', 'objects: a specific version')
    .addHelpText(
      'after',
      `
Actions: get (default) | set key=value... (replaces all tags) | clear
Objects take up to 10 tags, buckets up to 50. Lifecycle rules can filter on object tags.
${examples(
  'proxicloud s3 tag s3://photos',
  'proxicloud s3 tag s3://photos set team=media cost-center=42',
  'proxicloud s3 tag s3://logs/2026/app.log set retention=short',
  'proxicloud s3 tag s3://logs/2026/app.log clear',
)}`,
    )
    .action(
      async (
        target: string,
        action: string | undefined,
        pairs: string[],
        opts: { versionId?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const { bucket, key } = parseS3Uri(target, { bare: true })!;
        const query = opts.versionId ? { versionId: opts.versionId } : {};
        const put = (tags: { key: string; value: string }[]) =>
          key
            ? unwrap(
                ctx.api().PUT('/api/v1/buckets/{bucket}/object-tags/{key}', {
                  params: { path: { bucket, key: key }, query },
                  body: { tags },
                }),
              )
            : unwrap(
                ctx
                  .api()
                  .PUT('/api/v1/buckets/{bucket}/tags', { params: { path: { bucket } }, body: { tags } }),
              );
        let result: components['schemas']['Tags'];
        switch (action ?? 'get') {
          case 'get':
            result = key
              ? await unwrap(
                  ctx.api().GET('/api/v1/buckets/{bucket}/object-tags/{key}', {
                    params: { path: { bucket, key: key }, query },
                  }),
                )
              : await unwrap(
                  ctx.api().GET('/api/v1/buckets/{bucket}/tags', { params: { path: { bucket } } }),
                );
            break;
          case 'set':
            if (!pairs.length)
              throw new UsageError('set needs key=value tags', 'Or use clear to remove them.');
            result = await put(parseTags(pairs));
            break;
          case 'clear':
            result = await put([]);
            break;
          default:
            throw new UsageError(`"${action}" is not a tag action`, 'Use get, set or clear.');
        }
        if (ctx.out.json) return ctx.out.printJson(result);
        ctx.out.table(
          [
            { header: 'KEY', value: (t: { key: string }) => t.key },
            { header: 'VALUE', value: (t: { value: string }) => t.value },
          ],
          result.tags,
          `s3://${bucket}${key ? `/${key}` : ''} has no tags.`,
        );
      },
    );
}
