import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import type { VolumeAttachmentsService } from './volumes.attachments.ts';
import type { VolumeStatus } from './volumes.repository.ts';
import {
  AttachBody,
  CloneBody,
  CreateSnapshotBody,
  CreateVolumeBody,
  DetachBody,
  RestoreBody,
  RestoreResultSchema,
  SetVolumeTypeBody,
  SnapshotIdParams,
  SnapshotListQuery,
  SnapshotSchema,
  VolumeIdParams,
  VolumeListQuery,
  VolumeOperationSchema,
  VolumeSchema,
  VolumeTypeParams,
  VolumeTypeSchema,
} from './volumes.schemas.ts';
import type { VolumesService } from './volumes.service.ts';
import type { VolumeSnapshotsService } from './volumes.snapshots.ts';

export interface VolumesRouteServices {
  volumes: VolumesService;
  attachments: VolumeAttachmentsService;
  snapshots: VolumeSnapshotsService;
}

export async function volumesRoutes(
  app: FastifyInstance,
  { volumes, attachments, snapshots }: VolumesRouteServices,
): Promise<void> {
  for (const s of [
    VolumeSchema,
    SnapshotSchema,
    VolumeTypeSchema,
    VolumeOperationSchema,
    RestoreResultSchema,
  ])
    app.addSchema(s);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const errs = (...s: number[]) => errorResponses(404, ...s);

  // ---- volume types
  r.get(
    '/volume-types',
    {
      schema: {
        tags: ['volumes'],
        operationId: 'listVolumeTypes',
        summary: 'Volume types (e.g. ssd, hdd) and the Proxmox storages they map to',
        response: { 200: ListOf(Type.Ref(VolumeTypeSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const items = await volumes.listTypes(authContext(request).actor);
      return { items, total: items.length, limit: items.length, offset: 0 };
    },
  );
  r.put(
    '/volume-types/:name',
    {
      config: {
        audit: { action: 'volume_types.update', resourceType: 'volume_type', resourceIdParam: 'name' },
      },
      schema: {
        tags: ['volumes'],
        operationId: 'setVolumeType',
        summary: 'Admin: create or change a volume type (a zfspool storage and its ZFS pool)',
        params: VolumeTypeParams,
        body: SetVolumeTypeBody,
        response: { 200: Type.Ref(VolumeTypeSchema), ...errorResponses() },
      },
    },
    async (request) => volumes.setType(authContext(request), request.params.name, request.body),
  );
  r.delete(
    '/volume-types/:name',
    {
      config: {
        audit: { action: 'volume_types.delete', resourceType: 'volume_type', resourceIdParam: 'name' },
      },
      schema: {
        tags: ['volumes'],
        operationId: 'deleteVolumeType',
        summary: 'Admin: delete a volume type no volume uses',
        params: VolumeTypeParams,
        response: { 204: NoContent, ...errs(409) },
      },
    },
    async (request, reply) => {
      await volumes.deleteType(authContext(request), request.params.name);
      return reply.status(204).send(null);
    },
  );

  // ---- volumes
  r.get(
    '/volumes',
    {
      schema: {
        tags: ['volumes'],
        operationId: 'listVolumes',
        summary: 'Your volumes (admins: all) with size, type, status and attachment',
        querystring: VolumeListQuery,
        response: { 200: ListOf(Type.Ref(VolumeSchema)), ...errorResponses() },
      },
    },
    async (request) => {
      const q = request.query;
      return volumes.list(
        authContext(request).actor,
        {
          ...(q.status ? { status: q.status.split(',') as VolumeStatus[] } : {}),
          ...(q.q ? { q: q.q } : {}),
          ...(q.instanceId ? { instanceId: q.instanceId } : {}),
        },
        page(q),
      );
    },
  );
  r.post(
    '/volumes',
    {
      config: { audit: { action: 'volumes.create', resourceType: 'volume' } },
      schema: {
        tags: ['volumes'],
        operationId: 'createVolume',
        summary: 'Create a volume (1 GiB … 16 TiB) of a volume type',
        body: CreateVolumeBody,
        response: { 201: Type.Ref(VolumeSchema), ...errorResponses(409, 422, 502, 503) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await volumes.create(authContext(request), request.body)),
  );
  r.get(
    '/volumes/:id',
    {
      schema: {
        tags: ['volumes'],
        operationId: 'getVolume',
        summary: 'One volume',
        params: VolumeIdParams,
        response: { 200: Type.Ref(VolumeSchema), ...errs() },
      },
    },
    async (request) => volumes.get(authContext(request).actor, request.params.id),
  );
  r.delete(
    '/volumes/:id',
    {
      config: { audit: { action: 'volumes.delete', resourceType: 'volume', resourceIdParam: 'id' } },
      schema: {
        tags: ['volumes'],
        operationId: 'deleteVolume',
        summary: 'Delete a detached volume and its snapshots',
        params: VolumeIdParams,
        response: { 204: NoContent, ...errs(409, 502, 503) },
      },
    },
    async (request, reply) => {
      await volumes.delete(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/volumes/:id/attach',
    {
      config: { audit: { action: 'volumes.attach', resourceType: 'volume', resourceIdParam: 'id' } },
      schema: {
        tags: ['volumes'],
        operationId: 'attachVolume',
        summary: 'Attach to a running or stopped instance on the same node (next free disk / mount point)',
        params: VolumeIdParams,
        body: AttachBody,
        response: { 202: Type.Ref(VolumeOperationSchema), ...errs(409, 422, 503) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await attachments.attach(authContext(request), request.params.id, request.body)),
  );
  r.post(
    '/volumes/:id/detach',
    {
      config: { audit: { action: 'volumes.detach', resourceType: 'volume', resourceIdParam: 'id' } },
      schema: {
        tags: ['volumes'],
        operationId: 'detachVolume',
        summary:
          'Detach (the volume and its data are kept). From a running VM: refused (409 volume_mounted, details.mountpoint) while the QEMU guest agent reports the disk mounted, 409 volume_maybe_mounted when the agent cannot tell; force=true overrides both',
        params: VolumeIdParams,
        body: DetachBody,
        response: { 202: Type.Ref(VolumeOperationSchema), ...errs(409, 503) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await attachments.detach(authContext(request), request.params.id, request.body ?? {})),
  );

  // ---- snapshots
  r.get(
    '/volumes/:id/snapshots',
    {
      schema: {
        tags: ['snapshots'],
        operationId: 'listVolumeSnapshots',
        summary: "A volume's snapshots (sizes read from ZFS)",
        params: VolumeIdParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            offset: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(Type.Ref(SnapshotSchema)), ...errs() },
      },
    },
    async (request) =>
      snapshots.listSnapshots(authContext(request).actor, request.params.id, page(request.query)),
  );
  r.post(
    '/volumes/:id/snapshot',
    {
      config: { audit: { action: 'snapshots.create', resourceType: 'snapshot' } },
      schema: {
        tags: ['snapshots'],
        operationId: 'createSnapshot',
        summary: 'Snapshot a volume (ZFS, instant)',
        params: VolumeIdParams,
        body: CreateSnapshotBody,
        response: { 201: Type.Ref(SnapshotSchema), ...errs(409, 422, 502, 503) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await snapshots.createSnapshot(authContext(request), request.params.id, request.body)),
  );
  r.get(
    '/snapshots',
    {
      schema: {
        tags: ['snapshots'],
        operationId: 'listSnapshots',
        summary: 'Your snapshots (admins: all), newest first',
        querystring: SnapshotListQuery,
        response: { 200: ListOf(Type.Ref(SnapshotSchema)), ...errorResponses() },
      },
    },
    async (request) =>
      snapshots.listSnapshots(authContext(request).actor, request.query.volumeId, page(request.query)),
  );
  r.get(
    '/snapshots/:id',
    {
      schema: {
        tags: ['snapshots'],
        operationId: 'getSnapshot',
        summary: 'One snapshot',
        params: SnapshotIdParams,
        response: { 200: Type.Ref(SnapshotSchema), ...errs() },
      },
    },
    async (request) => snapshots.getSnapshot(authContext(request).actor, request.params.id),
  );
  r.delete(
    '/snapshots/:id',
    {
      config: { audit: { action: 'snapshots.delete', resourceType: 'snapshot', resourceIdParam: 'id' } },
      schema: {
        tags: ['snapshots'],
        operationId: 'deleteSnapshot',
        summary: 'Delete a snapshot (refused while volumes cloned from it exist)',
        params: SnapshotIdParams,
        response: { 204: NoContent, ...errs(409, 502, 503) },
      },
    },
    async (request, reply) => {
      await snapshots.deleteSnapshot(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/snapshots/:id/restore',
    {
      config: { audit: { action: 'snapshots.restore', resourceType: 'snapshot', resourceIdParam: 'id' } },
      schema: {
        tags: ['snapshots'],
        operationId: 'restoreSnapshot',
        summary: 'Roll the volume back to this snapshot (volume detached or its instance stopped)',
        params: SnapshotIdParams,
        body: RestoreBody,
        response: { 200: Type.Ref(RestoreResultSchema), ...errs(409, 502, 503) },
      },
    },
    async (request) => snapshots.restoreSnapshot(authContext(request), request.params.id, request.body ?? {}),
  );
  r.post(
    '/snapshots/:id/clone',
    {
      config: { audit: { action: 'snapshots.clone', resourceType: 'volume' } },
      schema: {
        tags: ['snapshots'],
        operationId: 'cloneSnapshot',
        summary: 'Create a new volume from this snapshot (ZFS clone, instant)',
        params: SnapshotIdParams,
        body: CloneBody,
        response: { 201: Type.Ref(VolumeSchema), ...errs(409, 422, 502, 503) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await snapshots.cloneSnapshot(authContext(request), request.params.id, request.body)),
  );
}
