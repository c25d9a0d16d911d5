/**
 * Volume and bucket metrics: PVE keeps no history of a volume's use and buckets are ours, so a job
 * samples them once a minute and keeps the samples in the database (`resource_samples`):
 *
 * - volumes: `used` vs `size` of each ProxiCloud volume from `GET /nodes/{n}/storage/{s}/content`
 *   (one call per node and storage that holds volumes; `used` is null where the storage plugin does
 *   not report it);
 * - buckets: object count and bytes stored.
 *
 * Retention (compacted every pass): every sample for 2 hours, the first of each 5 minutes for 2 days,
 * the first of each hour for 35 days (≈ 1,400 rows per resource). Each sample row carries the coarsest
 * tier it starts (`level` 0 minute, 1 five-minute, 2 hour), so compaction is one DELETE. Two servers
 * sampling the same minute write one row (the second insert is ignored). The last 30 minutes are also
 * kept in memory for the alarms and the exporter.
 */
import type { Kysely } from 'kysely';
import type { ProxmoxConnection } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Period } from './metrics.schemas.ts';

export interface ResourceSamplesTable {
  resource_type: 'volume' | 'bucket';
  resource_id: string;
  at: number | string;
  level: number;
  used_bytes: number | null;
  size_bytes: number | null;
  object_count: number | null;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    resource_samples: ResourceSamplesTable;
  }
}

export type ResourceKind = 'volume' | 'bucket';

/** One sample: volumes fill usedBytes/sizeBytes; buckets objectCount/sizeBytes (bytes stored). */
export interface ResourceSample {
  /** ms epoch */
  time: number;
  usedBytes: number | null;
  sizeBytes: number | null;
  objectCount: number | null;
}

export interface VolumeRef {
  id: string;
  name: string;
  ownerId: string;
  node: string;
  storage: string;
  pveVolid: string | null;
  sizeGib: number;
}

export interface BucketUsage {
  id: string;
  name: string;
  ownerId: string;
  objectCount: number;
  sizeBytes: number;
}

export interface ResourceSamplerDeps {
  db: { kysely: Kysely<import('../../platform/db/schema.ts').Tables> };
  clock: Clock;
  logger: Logger;
  proxmox: (() => ProxmoxConnection) | null;
  volumes: () => Promise<VolumeRef[]>;
  buckets: () => Promise<BucketUsage[]>;
}

export const SAMPLE_INTERVAL_SECONDS = 60;
const MEMORY_SECONDS = 1800;
const KEEP = { minute: 2 * 3600, fiveMinutes: 2 * 86400, hour: 35 * 86400 };

/** The window and step (seconds) of each period. */
export const RESOURCE_PERIODS: Record<Period, { window: number; step: number }> = {
  '5m': { window: 300, step: 60 },
  '1h': { window: 3600, step: 60 },
  '1d': { window: 86400, step: 300 },
  '1w': { window: 7 * 86400, step: 3600 },
  '1mo': { window: 30 * 86400, step: 6 * 3600 },
};

const key = (kind: ResourceKind, id: string) => `${kind}:${id}`;

export class ResourceSampler {
  /** the last 30 minutes per resource (alarms, 5-minute charts); oldest first */
  private readonly recent = new Map<string, ResourceSample[]>();
  /** the last sample time (s) per resource: which retention tier the next one starts */
  private readonly lastAt = new Map<string, number>();
  latestVolumes: { ref: VolumeRef; sample: ResourceSample }[] = [];
  latestBuckets: { usage: BucketUsage; sample: ResourceSample }[] = [];
  lastPassAt: number | null = null;

  constructor(private readonly deps: ResourceSamplerDeps) {}

  /** One pass: sample every volume and bucket, store, compact. */
  async sample(): Promise<{ volumes: number; buckets: number }> {
    const nowMs = this.deps.clock.now().getTime();
    // rows are stored on the minute (one per minute even with several servers); the in-memory samples
    // keep the real time so alarm windows measure real durations
    const at = Math.floor(nowMs / 1000 / SAMPLE_INTERVAL_SECONDS) * SAMPLE_INTERVAL_SECONDS;
    const time = nowMs;
    const volumes = await this.sampleVolumes(time);
    const buckets = (await this.deps.buckets()).map((usage) => ({
      usage,
      sample: { time, usedBytes: null, sizeBytes: usage.sizeBytes, objectCount: usage.objectCount },
    }));
    this.latestVolumes = volumes;
    this.latestBuckets = buckets;
    const rows: ResourceSamplesTable[] = [];
    const seen = new Set<string>();
    for (const [kind, id, s] of [
      ...volumes.map((v) => ['volume', v.ref.id, v.sample] as const),
      ...buckets.map((b) => ['bucket', b.usage.id, b.sample] as const),
    ]) {
      const k = key(kind, id);
      seen.add(k);
      const prev = this.lastAt.get(k);
      if (prev === at) continue;
      const level =
        prev === undefined || Math.floor(prev / 3600) !== Math.floor(at / 3600)
          ? 2
          : Math.floor(prev / 300) !== Math.floor(at / 300)
            ? 1
            : 0;
      this.lastAt.set(k, at);
      rows.push({
        resource_type: kind,
        resource_id: id,
        at,
        level,
        used_bytes: s.usedBytes,
        size_bytes: s.sizeBytes,
        object_count: s.objectCount,
      });
      const list = this.recent.get(k) ?? [];
      list.push(s);
      while (list.length && list[0]!.time < time - MEMORY_SECONDS * 1000) list.shift();
      this.recent.set(k, list);
    }
    for (const k of this.recent.keys()) if (!seen.has(k)) this.recent.delete(k);
    for (const k of this.lastAt.keys()) if (!seen.has(k)) this.lastAt.delete(k);
    const db = this.deps.db.kysely;
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insertInto('resource_samples')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await db
      .deleteFrom('resource_samples')
      .where((eb) =>
        eb.or([
          eb.and([eb('level', '=', 0), eb('at', '<', at - KEEP.minute)]),
          eb.and([eb('level', '<=', 1), eb('at', '<', at - KEEP.fiveMinutes)]),
          eb('at', '<', at - KEEP.hour),
        ]),
      )
      .execute();
    this.lastPassAt = nowMs;
    return { volumes: volumes.length, buckets: buckets.length };
  }

  private async sampleVolumes(time: number): Promise<{ ref: VolumeRef; sample: ResourceSample }[]> {
    const refs = (await this.deps.volumes()).filter((v) => v.pveVolid);
    if (!refs.length || !this.deps.proxmox) return [];
    const pve = this.deps.proxmox();
    const byStorage = new Map<string, VolumeRef[]>();
    for (const v of refs) {
      const k = `${v.node}\0${v.storage}`;
      byStorage.set(k, [...(byStorage.get(k) ?? []), v]);
    }
    const out: { ref: VolumeRef; sample: ResourceSample }[] = [];
    for (const [k, list] of byStorage) {
      const [node, storage] = k.split('\0') as [string, string];
      let content: Record<string, unknown>[];
      try {
        content = (await pve.client.node(node).storageOf(storage).content()) as Record<string, unknown>[];
      } catch (err) {
        this.deps.logger.debug({ err, node, storage }, 'volume sample: storage content failed');
        continue; // a gap for these volumes
      }
      const byVolid = new Map(content.map((c) => [String(c.volid), c]));
      for (const ref of list) {
        const c = byVolid.get(ref.pveVolid!);
        const size = c ? Number(c.size ?? c['approximate-size']) : Number.NaN;
        const used = c ? Number(c.used) : Number.NaN;
        out.push({
          ref,
          sample: {
            time,
            usedBytes: Number.isFinite(used) ? used : null,
            sizeBytes: Number.isFinite(size) ? size : ref.sizeGib * 1024 ** 3,
            objectCount: null,
          },
        });
      }
    }
    return out;
  }

  /** In-memory samples of the last 30 minutes since `sinceMs`, oldest first. */
  series(kind: ResourceKind, id: string, sinceMs = 0): ResourceSample[] {
    return (this.recent.get(key(kind, id)) ?? []).filter((s) => s.time >= sinceMs);
  }

  /** A period's points from the database: one per step (the last sample in it), null where none. */
  async history(
    db: Executor,
    kind: ResourceKind,
    id: string,
    period: Period,
  ): Promise<{ stepSeconds: number; points: ResourceSample[] }> {
    const { window, step } = RESOURCE_PERIODS[period];
    const now = Math.floor(this.deps.clock.now().getTime() / 1000);
    const end = Math.floor(now / step) * step;
    const start = end - window + step;
    const rows = await db
      .selectFrom('resource_samples')
      .select(['at', 'used_bytes', 'size_bytes', 'object_count'])
      .where('resource_type', '=', kind)
      .where('resource_id', '=', id)
      .where('at', '>=', start)
      .orderBy('at')
      .execute();
    const slots = new Map<number, (typeof rows)[number]>();
    for (const r of rows) slots.set(Math.floor(Number(r.at) / step) * step, r);
    const n = (v: number | string | null) => (v === null ? null : Number(v));
    const points: ResourceSample[] = [];
    for (let t = start; t <= end; t += step) {
      const r = slots.get(t);
      points.push({
        time: t * 1000,
        usedBytes: r ? n(r.used_bytes) : null,
        sizeBytes: r ? n(r.size_bytes) : null,
        objectCount: r ? n(r.object_count) : null,
      });
    }
    return { stepSeconds: step, points };
  }
}
