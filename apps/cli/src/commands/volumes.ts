/** `volumes list|get|create|attach|detach|delete|types`: persistent volumes (EBS-style). */
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
import { ApiError, CliError, ExitCode } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { followOperation, instanceStatusColor, type Operation, resolveInstance } from './instances.ts';

export type Volume = components['schemas']['Volume'];
type VolumeType = components['schemas']['VolumeType'];

const VOLUME_ID = /^vol-[0-9a-f]{17}$/;

/** Instance names by id, for the volumes' INSTANCE column (an id stays when it cannot be read). */
async function instanceNames(ctx: Context, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  const names = new Map<string, string>();
  if (unique.length === 0) return names;
  if (unique.length > 3) {
    // one request (no live usage) instead of one per instance
    try {
      const page = (await unwrap(
        ctx.api().GET('/api/v1/instances', { params: { query: { limit: 1000, usage: false } } }),
      )) as Page<{ id: string; name: string }>;
      for (const i of page.items) if (unique.includes(i.id)) names.set(i.id, i.name);
    } catch {
      // fall back to one request per instance
    }
  }
  await Promise.all(
    unique
      .filter((id) => !names.has(id))
      .map(async (id) => {
        try {
          const i = await unwrap(ctx.api().GET('/api/v1/instances/{id}', { params: { path: { id } } }));
          names.set(id, i.name);
        } catch {
          // not visible or gone: the id is shown
        }
      }),
  );
  return names;
}

const columns = (names: Map<string, string>): Column<Volume>[] => [
  { header: 'ID', value: (v) => v.id },
  { header: 'NAME', value: (v) => v.name },
  { header: 'SIZE', value: (v) => `${v.sizeGib} GiB`, align: 'right' },
  { header: 'TYPE', value: (v) => v.volumeType },
  { header: 'FORMAT', value: (v) => v.format },
  { header: 'STATUS', value: (v) => v.status, color: instanceStatusColor },
  { header: 'INSTANCE', value: (v) => (v.instanceId ? (names.get(v.instanceId) ?? v.instanceId) : null) },
  { header: 'DEVICE', value: (v) => v.deviceName },
  { header: 'NODE', value: (v) => v.node },
  { header: 'CREATED', value: (v) => formatTimestamp(v.createdAt) },
];

export async function resolveVolume(ctx: Context, ref: string): Promise<Volume> {
  const api = ctx.api();
  if (VOLUME_ID.test(ref)) return unwrap(api.GET('/api/v1/volumes/{id}', { params: { path: { id: ref } } }));
  const page = (await unwrap(
    api.GET('/api/v1/volumes', { params: { query: { q: ref, limit: 1000 } } }),
  )) as Page<Volume>;
  const hit = page.items.filter((v) => v.name === ref);
  if (hit.length === 1) return hit[0]!;
  throw new CliError(
    hit.length ? `Several volumes are named "${ref}"; use the id` : `No volume named "${ref}"`,
    {
      exitCode: hit.length ? ExitCode.conflict : ExitCode.notFound,
    },
  );
}

export async function printVolume(ctx: Context, v: Volume): Promise<void> {
  if (ctx.out.json) {
    ctx.out.printJson(v);
    return;
  }
  const names = await instanceNames(ctx, [v.instanceId]);
  ctx.out.details([
    ['ID', v.id],
    ['Name', v.name],
    ['Size', `${v.sizeGib} GiB`],
    ['Type', `${v.volumeType} (${v.storage} on ${v.node})`],
    ['Format', v.format],
    ['Status', `${v.status}${v.statusReason ? ` — ${v.statusReason}` : ''}`],
    [
      'Instance',
      v.instanceId
        ? names.has(v.instanceId)
          ? `${names.get(v.instanceId)} (${v.instanceId})`
          : v.instanceId
        : null,
    ],
    ['Device', v.deviceName ? `${v.deviceName}${v.devicePath ? ` (${v.devicePath})` : ''}` : null],
    ['From snapshot', v.sourceSnapshotId],
    ['Created', formatTimestamp(v.createdAt)],
  ]);
}

async function afterVolumeOp(
  ctx: Context,
  answer: { volume: Volume; operation: Operation },
  wait: boolean | undefined,
  what: string,
) {
  if (!wait) {
    if (ctx.out.json) return ctx.out.printJson(answer);
    ctx.out.success(`${what} (operation ${answer.operation.id}).`);
    ctx.out.note(`Follow it: proxicloud instances wait ${answer.operation.id}`);
    return;
  }
  await followOperation(ctx, answer.operation.id);
  const v = await unwrap(
    ctx.api().GET('/api/v1/volumes/{id}', { params: { path: { id: answer.volume.id } } }),
  );
  if (ctx.out.json) {
    ctx.out.printJson(v);
    return;
  }
  ctx.out.success(`${what}: ${v.name} is ${v.status}${v.deviceName ? ` as ${v.deviceName}` : ''}.`);
}

export function registerVolumeCommands(program: Command): void {
  const volumes = program
    .command('volumes')
    .alias('volume')
    .description('Persistent volumes: create, attach to instances, detach, delete')
    .addHelpText(
      'after',
      `
A volume is given by id (vol-…) or by name. Volumes outlive their instances.
${examples(
  'proxicloud volumes create data --size 20 --type ssd',
  'proxicloud volumes attach data web-1 --wait',
  'proxicloud volumes detach data --wait',
  'proxicloud volumes create ct-data --size 5 --format filesystem   # for containers',
)}`,
    );

  addListOptions(
    volumes
      .command('list')
      .alias('ls')
      .description('List your volumes')
      .option('--status <statuses>', 'comma-separated: available,in-use,error,…')
      .option('--query <text>', 'name contains')
      .option('--instance <instance>', 'attached to this instance'),
    'volumes',
  ).action(
    async (opts: ListOptions & { status?: string; query?: string; instance?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const instanceId = opts.instance ? (await resolveInstance(ctx, opts.instance)).id : undefined;
      const query = {
        ...(opts.status ? { status: opts.status } : {}),
        ...(opts.query ? { q: opts.query } : {}),
        ...(instanceId ? { instanceId } : {}),
      };
      const page = await fetchListPage(
        opts,
        (paging) =>
          unwrap(ctx.api().GET('/api/v1/volumes', { params: { query: { ...query, ...paging } } })) as Promise<
            Page<Volume>
          >,
      );
      // Instance names only for the table (not for -o json or --quiet).
      const names =
        ctx.out.json || ctx.out.quiet
          ? new Map<string, string>()
          : await instanceNames(
              ctx,
              page.items.map((v) => v.instanceId),
            );
      printPage(ctx, page, {
        columns: columns(names),
        empty: 'No volumes. Create one with `proxicloud volumes create <name> --size <GiB>`.',
        noun: 'volumes',
        id: (v) => v.id,
      });
    },
  );

  volumes
    .command('get <volume>')
    .description('Show one volume')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      await printVolume(ctx, await resolveVolume(ctx, ref));
    });

  volumes
    .command('types')
    .description('Volume types and the Proxmox storages they map to')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(ctx.api().GET('/api/v1/volume-types'))) as Page<VolumeType>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        [
          { header: 'TYPE', value: (t: VolumeType) => t.name },
          { header: 'STORAGE', value: (t: VolumeType) => t.storage },
          { header: 'ZFS POOL', value: (t: VolumeType) => t.zfsPool },
          { header: 'DESCRIPTION', value: (t: VolumeType) => t.description },
        ],
        page.items,
      );
    });

  volumes
    .command('create <name>')
    .description('Create a volume (1 GiB … 16 TiB)')
    .requiredOption('--size <GiB>', 'size in GiB (1-16384)', intInRange(1, 16_384))
    .option('-t, --type <type>', 'volume type (see `volumes types`; default ssd)')
    .option('--node <node>', 'Proxmox node (default: most free space)')
    .addOption(
      new Option('--format <format>', 'block (VM disk) or filesystem (container mount)').choices([
        'block',
        'filesystem',
      ]),
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud volumes create data --size 20',
        'proxicloud volumes create archive --size 2048 --type hdd',
      ),
    )
    .action(
      async (
        name: string,
        opts: { size: number; type?: string; node?: string; format?: 'block' | 'filesystem' },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const v = await unwrap(
          ctx.api().POST('/api/v1/volumes', {
            body: {
              name,
              sizeGib: opts.size,
              ...(opts.type ? { volumeType: opts.type } : {}),
              ...(opts.node ? { node: opts.node } : {}),
              ...(opts.format ? { format: opts.format } : {}),
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(v);
        ctx.out.success(`Created volume ${v.name} (${v.id}), ${v.sizeGib} GiB ${v.volumeType} on ${v.node}.`);
      },
    );

  volumes
    .command('attach <volume> <instance>')
    .description('Attach to a running or stopped instance (next free disk, or a mount point in containers)')
    .option('--mount-path <path>', 'containers: where to mount it (default /mnt/<volume name>)')
    .option('-w, --wait', 'wait until attached')
    .addHelpText(
      'after',
      examples(
        'proxicloud volumes attach data web-1 --wait',
        'proxicloud volumes attach ct-data ct-1 --mount-path /srv/data',
      ),
    )
    .action(
      async (vref: string, iref: string, opts: { mountPath?: string; wait?: boolean }, cmd: Command) => {
        const ctx = contextOf(cmd);
        const [v, i] = await Promise.all([resolveVolume(ctx, vref), resolveInstance(ctx, iref)]);
        const answer = await unwrap(
          ctx.api().POST('/api/v1/volumes/{id}/attach', {
            params: { path: { id: v.id } },
            body: { instanceId: i.id, ...(opts.mountPath ? { mountPath: opts.mountPath } : {}) },
          }),
        );
        await afterVolumeOp(ctx, answer, opts.wait, `Attaching ${v.name} to ${i.name}`);
      },
    );

  volumes
    .command('detach <volume>')
    .description(
      'Detach from its instance (the data is kept); from a running VM only when the guest agent reports it unmounted, or with --force',
    )
    .option('-f, --force', 'detach even if mounted in the guest, or when the guest agent cannot tell')
    .option('-w, --wait', 'wait until detached')
    .action(async (ref: string, opts: { force?: boolean; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const v = await resolveVolume(ctx, ref);
      const answer = await unwrap(
        ctx.api().POST('/api/v1/volumes/{id}/detach', {
          params: { path: { id: v.id } },
          body: opts.force ? { force: true } : {},
        }),
      ).catch((e: unknown) => {
        throw withDetachHint(e, v.name);
      });
      await afterVolumeOp(ctx, answer, opts.wait, `Detaching ${v.name}`);
    });

  volumes
    .command('delete <volume>')
    .alias('rm')
    .description('Delete a detached volume and its snapshots')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const v = await resolveVolume(ctx, ref);
      await confirmOrExit(`Delete volume ${v.name} (${v.sizeGib} GiB) and all its snapshots?`, opts.yes);
      await unwrap(ctx.api().DELETE('/api/v1/volumes/{id}', { params: { path: { id: v.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: v.id, deleted: true });
      ctx.out.success(`Deleted volume ${v.name}.`);
    });
}

/** What to do next when the server refuses a detach because the disk is (maybe) mounted. */
export function withDetachHint(e: unknown, name: string): unknown {
  if (!(e instanceof ApiError)) return e;
  const d = (e.details ?? {}) as { mountpoint?: string; device?: string };
  let hint: string | undefined;
  if (e.code === 'volume_mounted')
    hint = `Run \`sudo umount ${d.mountpoint ?? d.device ?? '<mountpoint>'}\` inside the instance and retry, or \`proxicloud volumes detach ${name} --force\` (unflushed writes may be lost).`;
  else if (e.code === 'volume_maybe_mounted')
    hint = `The QEMU guest agent could not tell whether ${d.device ?? 'the disk'} is mounted: unmount it inside the instance, then \`proxicloud volumes detach ${name} --force\` (or stop the instance first).`;
  if (!hint) return e;
  return new ApiError(e.status, e.message, {
    exitCode: e.exitCode,
    ...(e.code ? { code: e.code } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
    details: e.details,
    hint,
  });
}
