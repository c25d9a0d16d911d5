/** `GET /volumes/{id}/metrics` and `GET /buckets/{bucket}/metrics`: the sampler's series. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, StringEnum, Timestamp } from '../../platform/http/schemas.ts';
import type { Storage } from '../storage/index.ts';
import { storageContext } from '../storage/index.ts';
import type { VolumesExports } from '../volumes/index.ts';
import type { ResourceSample, ResourceSampler } from './metrics.resources.ts';
import { PERIODS, type Period } from './metrics.schemas.ts';

const Nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const PeriodQuery = Type.Object(
  {
    period: Type.Optional(
      Type.Union(
        PERIODS.map((p) => Type.Literal(p)),
        {
          description:
            '5m and 1h: 1-minute points; 1d: 5 min; 1w: 1 h; 1mo: 6 h (samples taken every minute, kept 35 days). Default 1h.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const VolumeMetricsSchema = Type.Object(
  {
    volumeId: Type.String(),
    period: StringEnum(PERIODS),
    stepSeconds: Type.Integer(),
    points: Type.Array(
      Type.Object(
        {
          time: Timestamp,
          usedBytes: Nullable('Space used as the storage reports it (null: not reported or no sample)'),
          sizeBytes: Nullable('Size of the volume'),
        },
        { additionalProperties: false },
      ),
      { description: 'Oldest first, one per step; nulls where there was no sample' },
    ),
  },
  { $id: 'VolumeMetrics', additionalProperties: false },
);
export type VolumeMetrics = Static<typeof VolumeMetricsSchema>;

export const BucketMetricsSchema = Type.Object(
  {
    bucket: Type.String(),
    period: StringEnum(PERIODS),
    stepSeconds: Type.Integer(),
    points: Type.Array(
      Type.Object(
        {
          time: Timestamp,
          objectCount: Nullable('Objects in the bucket (current versions)'),
          sizeBytes: Nullable('Bytes stored'),
        },
        { additionalProperties: false },
      ),
      { description: 'Oldest first, one per step; nulls where there was no sample' },
    ),
  },
  { $id: 'BucketMetrics', additionalProperties: false },
);
export type BucketMetrics = Static<typeof BucketMetricsSchema>;

const iso = (ms: number) => new Date(ms).toISOString();

export async function resourceMetricsRoutes(
  app: FastifyInstance,
  deps: { db: Database; sampler: ResourceSampler; volumes: VolumesExports; storage: Storage },
): Promise<void> {
  app.addSchema(VolumeMetricsSchema);
  app.addSchema(BucketMetricsSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const history = (kind: 'volume' | 'bucket', id: string, period: Period) =>
    deps.sampler.history(deps.db.kysely, kind, id, period);

  r.get(
    '/volumes/:id/metrics',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'getVolumeMetrics',
        summary: "A volume's used space vs its size over time (sampled every minute from Proxmox)",
        params: Type.Object({ id: Type.String({ pattern: '^vol-[0-9a-f]{17}$' }) }),
        querystring: PeriodQuery,
        response: { 200: Type.Ref(VolumeMetricsSchema), ...errorResponses(404) },
      },
    },
    async (request): Promise<VolumeMetrics> => {
      const vol = await deps.volumes.service.get(authContext(request).actor, request.params.id);
      const period = request.query.period ?? '1h';
      const h = await history('volume', vol.id, period);
      return {
        volumeId: vol.id,
        period,
        stepSeconds: h.stepSeconds,
        points: h.points.map((p: ResourceSample) => ({
          time: iso(p.time),
          usedBytes: p.usedBytes,
          sizeBytes: p.sizeBytes,
        })),
      };
    },
  );

  r.get(
    '/buckets/:bucket/metrics',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'getBucketMetrics',
        summary: "A bucket's object count and bytes stored over time (sampled every minute)",
        params: Type.Object({ bucket: Type.String({ minLength: 1, maxLength: 255 }) }),
        querystring: PeriodQuery,
        response: { 200: Type.Ref(BucketMetricsSchema), ...errorResponses(404) },
      },
    },
    async (request): Promise<BucketMetrics> => {
      const name = request.params.bucket;
      // 404 for buckets the caller may not see
      await deps.storage.service.getBucket(storageContext(authContext(request), 'api'), name);
      const id =
        deps.sampler.latestBuckets.find((b) => b.usage.name === name)?.usage.id ??
        (await deps.storage.bucketUsage()).find((b) => b.name === name)?.id;
      const period = request.query.period ?? '1h';
      const h = id ? await history('bucket', id, period) : { stepSeconds: 60, points: [] };
      return {
        bucket: name,
        period,
        stepSeconds: h.stepSeconds,
        points: h.points.map((p) => ({
          time: iso(p.time),
          objectCount: p.objectCount,
          sizeBytes: p.sizeBytes,
        })),
      };
    },
  );
}
