/** attachments: a volume attached to an instance. The id is the volume's; detaching is the delete. */
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed } from '../model.ts';
import type { Provider } from '../provider.ts';
import { ok, okOrGone, waitOperation } from './common.ts';
import { listVolumes } from './volumes.ts';

export const attachmentsProvider: Provider = {
  kind: 'attachments',
  description: 'a volume attached to an instance',
  schema: KIND_SCHEMAS.attachments as Record<string, unknown>,
  forceNew: 'all',
  outputs: ['id', 'device'],
  writeOnly: ['mount'],
  // terminating an instance detaches its volumes (and a running container cannot unplug them)
  deletedWith: 'instance',
  async readAll(ctx, ids) {
    const want = new Set(ids);
    const out = new Map<string, Observed>();
    for (const v of await listVolumes(ctx)) {
      if (!want.has(v.id) || !v.instanceId || v.status === 'deleted') continue;
      out.set(v.id, {
        id: v.id,
        spec: { volume: v.id, instance: v.instanceId as string },
        outputs: { id: v.id, device: (v.devicePath as string | null) ?? (v.device as string | null) ?? null },
      });
    }
    return out;
  },
  async create(ctx, spec, meta) {
    const id = String(spec.volume);
    const body: { instanceId: string; mountPath?: string } = { instanceId: String(spec.instance) };
    if (typeof spec.mount === 'string') body.mountPath = spec.mount;
    const op = await ok(
      ctx.api.POST('/api/v1/volumes/{id}/attach', { params: { path: { id } }, body }),
      `attach ${spec.name}`,
    );
    meta.onId(id);
    await waitOperation(ctx, op.operation.id, `attach ${spec.name}`);
    return {
      id,
      spec: { volume: id, instance: body.instanceId },
      outputs: { id, device: op.volume.device as string | null },
    };
  },
  async delete(ctx, id) {
    const v = await okOrGone(
      ctx.api.GET('/api/v1/volumes/{id}', { params: { path: { id } } }),
      `read volume ${id}`,
    );
    if (!v?.instanceId) return;
    const op = await okOrGone(
      ctx.api.POST('/api/v1/volumes/{id}/detach', { params: { path: { id } }, body: {} }),
      `detach ${v.name}`,
    );
    if (op) await waitOperation(ctx, op.operation.id, `detach ${v.name}`);
  },
};
