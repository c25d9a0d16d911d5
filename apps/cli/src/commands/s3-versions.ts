/**
 * `s3 versioning|versions|restore|rm-version`: bucket versioning through the REST API
 * (`/api/v1/buckets/{bucket}/versioning` and `/versions…`).
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import { type Column, formatBytes, formatTimestamp } from '../lib/output.ts';
import { parseS3Uri } from './s3.ts';

type ObjectVersion = components['schemas']['ObjectVersion'];

const versionColumns: Column<ObjectVersion>[] = [
  { header: 'MODIFIED', value: (v) => formatTimestamp(v.lastModified) },
  { header: 'SIZE', value: (v) => (v.isDeleteMarker ? '' : formatBytes(v.size)), align: 'right' },
  { header: 'LATEST', value: (v) => (v.isLatest ? 'yes' : '') },
  { header: 'VERSION ID', value: (v) => (v.isDeleteMarker ? `${v.versionId} (delete marker)` : v.versionId) },
  { header: 'KEY', value: (v) => v.key },
];

function objectArg(value: string): { bucket: string; key: string } {
  const loc = parseS3Uri(value, { bare: true })!;
  if (!loc.key) throw new UsageError(`"${value}" names no object`, 'Write s3://bucket/key.');
  return loc;
}

export function registerS3VersionCommands(s3: Command): void {
  s3.command('versioning <bucket> [state]')
    .description('Show the versioning status of a bucket, or set it: enable | suspend')
    .addHelpText(
      'after',
      `
With versioning enabled, overwriting or deleting an object keeps the previous version (a delete
adds a "delete marker"). Suspending keeps existing versions; a bucket never becomes unversioned.
${examples('proxicloud s3 versioning photos', 'proxicloud s3 versioning photos enable', 'proxicloud s3 versioning photos suspend')}`,
    )
    .action(async (name: string, state: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const bucket = parseS3Uri(name, { bare: true })!.bucket;
      if (state === undefined) {
        const v = await unwrap(
          ctx.api().GET('/api/v1/buckets/{bucket}/versioning', { params: { path: { bucket } } }),
        );
        if (ctx.out.json) return ctx.out.printJson(v);
        return ctx.out.info(
          `s3://${bucket}: versioning ${v.status === null ? 'never enabled' : v.status.toLowerCase()}`,
        );
      }
      const status =
        state.toLowerCase() === 'enable' ? 'Enabled' : state.toLowerCase() === 'suspend' ? 'Suspended' : null;
      if (!status) throw new UsageError(`"${state}" is not a versioning state`, 'Use enable or suspend.');
      const v = await unwrap(
        ctx
          .api()
          .PUT('/api/v1/buckets/{bucket}/versioning', { params: { path: { bucket } }, body: { status } }),
      );
      if (ctx.out.json) return ctx.out.printJson(v);
      ctx.out.success(`Versioning on s3://${bucket} is now ${status.toLowerCase()}.`);
    });

  s3.command('versions <s3uri>')
    .description('List the versions and delete markers under a key or prefix, newest first')
    .option('--limit <n>', 'at most this many entries (default 1000)', (v) => Number(v), 1000)
    .addHelpText(
      'after',
      examples('proxicloud s3 versions s3://photos/2026/holiday.jpg', 'proxicloud s3 versions photos'),
    )
    .action(async (uri: string, opts: { limit: number }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const loc = parseS3Uri(uri, { bare: true })!;
      const items: ObjectVersion[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      while (items.length < opts.limit) {
        const page = await unwrap(
          ctx.api().GET('/api/v1/buckets/{bucket}/versions', {
            params: {
              path: { bucket: loc.bucket },
              query: {
                prefix: loc.key,
                limit: Math.min(1000, opts.limit - items.length),
                ...(keyMarker ? { keyMarker } : {}),
                ...(versionIdMarker ? { versionIdMarker } : {}),
              },
            },
          }),
        );
        items.push(...page.items);
        if (!page.isTruncated) break;
        keyMarker = page.nextKeyMarker ?? undefined;
        versionIdMarker = page.nextVersionIdMarker ?? undefined;
      }
      if (ctx.out.json) return ctx.out.printJson({ bucket: loc.bucket, prefix: loc.key, items });
      ctx.out.table(versionColumns, items, `No versions under s3://${loc.bucket}/${loc.key}`);
    });

  s3.command('restore <s3uri>')
    .description('Make a copy of an older version the current version (the history is kept)')
    .requiredOption('--version-id <id>', 'the version to restore (see `s3 versions`)')
    .addHelpText(
      'after',
      examples('proxicloud s3 restore s3://photos/report.pdf --version-id 3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrH'),
    )
    .action(async (uri: string, opts: { versionId: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const { bucket, key } = objectArg(uri);
      const r = await unwrap(
        ctx.api().POST('/api/v1/buckets/{bucket}/versions/restore', {
          params: { path: { bucket } },
          body: { key, versionId: opts.versionId },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(r);
      ctx.out.success(
        `Restored s3://${bucket}/${key} from version ${opts.versionId} (new version ${r.versionId}).`,
      );
    });

  s3.command('rm-version <s3uri>')
    .description('Delete one version or delete marker for good (the newest remaining becomes current)')
    .requiredOption('--version-id <id>', 'the version to delete (see `s3 versions`)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--bypass-governance', 'object lock: delete despite GOVERNANCE retention (admins only)')
    .addHelpText('after', examples('proxicloud s3 rm-version s3://photos/report.pdf --version-id null --yes'))
    .action(
      async (
        uri: string,
        opts: { versionId: string; yes?: boolean; bypassGovernance?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const { bucket, key } = objectArg(uri);
        await confirmOrExit(`Delete version ${opts.versionId} of s3://${bucket}/${key} for good?`, opts.yes);
        const r = await unwrap(
          ctx.api().POST('/api/v1/buckets/{bucket}/versions/delete', {
            params: { path: { bucket } },
            body: {
              key,
              versionId: opts.versionId,
              ...(opts.bypassGovernance ? { bypassGovernance: true } : {}),
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(r);
        if (!r.existed)
          return ctx.out.info(`No version ${opts.versionId} of s3://${bucket}/${key}; nothing deleted.`);
        ctx.out.success(
          `Deleted ${r.deleteMarker ? 'delete marker' : 'version'} ${opts.versionId} of s3://${bucket}/${key}.`,
        );
      },
    );
}
