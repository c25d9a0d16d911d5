/** `snapshots list|create|restore|clone|delete`: ZFS snapshots of volumes. */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { printVolume, resolveVolume } from './volumes.ts';

type Snapshot = components['schemas']['Snapshot'];
const SNAPSHOT_ID = /^snap-[0-9a-f]{17}$/;

function size(bytes: number): string {
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

const columns: Column<Snapshot>[] = [
  { header: 'ID', value: (s) => s.id },
  { header: 'VOLUME', value: (s) => s.volumeId },
  { header: 'NAME', value: (s) => s.name },
  { header: 'SIZE', value: (s) => size(s.sizeBytes), align: 'right' },
  { header: 'CREATED', value: (s) => formatTimestamp(s.createdAt) },
  { header: 'DESCRIPTION', value: (s) => s.description },
];

/** A snapshot by id, or `<volume>/<snapshot name>`. */
async function resolveSnapshot(ctx: Context, ref: string): Promise<Snapshot> {
  if (SNAPSHOT_ID.test(ref))
    return unwrap(ctx.api().GET('/api/v1/snapshots/{id}', { params: { path: { id: ref } } }));
  const slash = ref.lastIndexOf('/');
  if (slash > 0) {
    const vol = await resolveVolume(ctx, ref.slice(0, slash));
    const page = (await unwrap(
      ctx
        .api()
        .GET('/api/v1/volumes/{id}/snapshots', { params: { path: { id: vol.id }, query: { limit: 1000 } } }),
    )) as Page<Snapshot>;
    const hit = page.items.find((s) => s.name === ref.slice(slash + 1));
    if (hit) return hit;
  }
  throw new CliError(`No snapshot "${ref}"`, {
    exitCode: ExitCode.notFound,
    hint: 'Give a snapshot id (snap-…) or <volume>/<snapshot name>.',
  });
}

export function registerSnapshotCommands(program: Command): void {
  const snapshots = program
    .command('snapshots')
    .alias('snapshot')
    .description('Volume snapshots: create, list, restore, clone into a new volume, delete')
    .addHelpText(
      'after',
      `
A snapshot is given by id (snap-…) or as <volume>/<snapshot name>.
${examples(
  'proxicloud snapshots create data before-upgrade --description "pre 2.0"',
  'proxicloud snapshots list --volume data',
  'proxicloud snapshots restore data/before-upgrade --yes',
  'proxicloud snapshots clone data/before-upgrade data-copy',
)}`,
    );

  snapshots
    .command('list')
    .alias('ls')
    .description('List snapshots (of one volume with --volume)')
    .option('--volume <volume>', 'only this volume')
    .action(async (opts: { volume?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = ctx.api();
      const page = opts.volume
        ? ((await unwrap(
            api.GET('/api/v1/volumes/{id}/snapshots', {
              params: { path: { id: (await resolveVolume(ctx, opts.volume)).id }, query: { limit: 1000 } },
            }),
          )) as Page<Snapshot>)
        : ((await unwrap(
            api.GET('/api/v1/snapshots', { params: { query: { limit: 1000 } } }),
          )) as Page<Snapshot>);
      if (ctx.out.json) return ctx.out.printJson(page);
      if (ctx.out.quiet) {
        for (const s of page.items) ctx.out.line(s.id);
        return;
      }
      ctx.out.table(columns, page.items, 'No snapshots.');
    });

  snapshots
    .command('create <volume> <name>')
    .description('Snapshot a volume (instant)')
    .option('-d, --description <text>', 'what this snapshot is for')
    .action(async (vref: string, name: string, opts: { description?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const vol = await resolveVolume(ctx, vref);
      const s = await unwrap(
        ctx.api().POST('/api/v1/volumes/{id}/snapshot', {
          params: { path: { id: vol.id } },
          body: { name, ...(opts.description ? { description: opts.description } : {}) },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(s);
      ctx.out.success(`Created snapshot ${s.name} (${s.id}) of ${vol.name}.`);
    });

  snapshots
    .command('restore <snapshot>')
    .description('Roll the volume back to the snapshot (volume detached, or its instance stopped)')
    .option('--destroy-newer', 'allow destroying snapshots newer than this one')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { destroyNewer?: boolean; yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const s = await resolveSnapshot(ctx, ref);
      await confirmOrExit(
        `Roll volume ${s.volumeId} back to "${s.name}"? Changes since then are lost.`,
        opts.yes,
      );
      const res = await unwrap(
        ctx.api().POST('/api/v1/snapshots/{id}/restore', {
          params: { path: { id: s.id } },
          body: opts.destroyNewer ? { destroyNewer: true } : {},
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(res);
      ctx.out.success(`Restored ${res.volume.name} to "${s.name}".`);
      if (res.destroyedSnapshots.length)
        ctx.out.info(`Destroyed newer snapshots: ${res.destroyedSnapshots.join(', ')}`);
    });

  snapshots
    .command('clone <snapshot> <new-volume-name>')
    .description('Create a new volume from a snapshot')
    .action(async (ref: string, name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const s = await resolveSnapshot(ctx, ref);
      const v = await unwrap(
        ctx.api().POST('/api/v1/snapshots/{id}/clone', { params: { path: { id: s.id } }, body: { name } }),
      );
      if (ctx.out.json) return ctx.out.printJson(v);
      ctx.out.success(`Created volume ${v.name} (${v.id}) from snapshot ${s.name}.`);
      await printVolume(ctx, v);
    });

  snapshots
    .command('delete <snapshot>')
    .alias('rm')
    .description('Delete a snapshot')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const s = await resolveSnapshot(ctx, ref);
      await confirmOrExit(`Delete snapshot "${s.name}" of ${s.volumeId}?`, opts.yes);
      await unwrap(ctx.api().DELETE('/api/v1/snapshots/{id}', { params: { path: { id: s.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: s.id, deleted: true });
      ctx.out.success(`Deleted snapshot ${s.name}.`);
    });
}
