/**
 * Which servers share this database and are alive. Each server (its operation worker id) keeps a
 * heartbeat row in `cluster_servers`; a row older than the TTL belongs to a dead server, whose
 * running operations another server requeues and whose synchronous lock tokens it releases.
 *
 * SQLite: one server per database by definition (the file is local), so the membership is this
 * server alone and nothing is written: everything not ours is a previous process's.
 */
import { hostname } from 'node:os';
import { type Clock, iso } from '../clock.ts';
import type { Database } from '../db/database.ts';

export interface ClusterServersTable {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  started_at: string;
  heartbeat_at: string;
}

declare module '../db/schema.ts' {
  interface Tables {
    cluster_servers: ClusterServersTable;
  }
}

export interface ServerInfo {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  startedAt: string;
  heartbeatAt: string;
}

export interface MembershipOptions {
  db: Database;
  clock: Clock;
  /** This server's worker id (the operation engine's). */
  id: string;
  version: string;
  /** A server whose heartbeat is older than this is dead (default 30 s). */
  ttlMs?: number;
  /** Minimum time between two heartbeat writes (default 5 s). */
  heartbeatMs?: number;
}

export class Membership {
  readonly id: string;
  readonly ttlMs: number;
  /** True on PostgreSQL: other servers may share the database. */
  readonly shared: boolean;
  private readonly heartbeatMs: number;
  private lastBeat = 0;
  private joined = false;
  private left = false;

  constructor(private readonly options: MembershipOptions) {
    this.id = options.id;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.shared = options.db.dialect === 'postgres';
  }

  private get db() {
    return this.options.db.kysely;
  }

  private now(): Date {
    return this.options.clock.now();
  }

  /** Register (first call) or renew the heartbeat; at most every heartbeatMs unless forced. */
  async beat(force = false): Promise<void> {
    if (!this.shared || this.left) return;
    if (!force && Date.now() - this.lastBeat < this.heartbeatMs) return;
    this.lastBeat = Date.now();
    const now = iso(this.now());
    if (this.joined) {
      const r = await this.db
        .updateTable('cluster_servers')
        .set({ heartbeat_at: now })
        .where('id', '=', this.id)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return;
      // reaped while we were stalled: join again (our operations were requeued meanwhile)
    }
    await this.db
      .insertInto('cluster_servers')
      .values({
        id: this.id,
        hostname: hostname(),
        pid: process.pid,
        version: this.options.version,
        started_at: now,
        heartbeat_at: now,
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now }))
      .execute();
    this.joined = true;
  }

  /** Ids of the live servers, this one always included. */
  async live(): Promise<string[]> {
    if (!this.shared) return [this.id];
    const cutoff = iso(new Date(this.now().getTime() - this.ttlMs));
    const rows = await this.db
      .selectFrom('cluster_servers')
      .select('id')
      .where('heartbeat_at', '>', cutoff)
      .execute();
    const ids = new Set(rows.map((r) => r.id));
    if (!this.left) ids.add(this.id);
    return [...ids];
  }

  /** Remove the rows of dead servers; returns their ids. */
  async reap(): Promise<string[]> {
    if (!this.shared) return [];
    const cutoff = iso(new Date(this.now().getTime() - this.ttlMs));
    const dead = await this.db
      .selectFrom('cluster_servers')
      .select('id')
      .where('heartbeat_at', '<=', cutoff)
      .where('id', '<>', this.id)
      .execute();
    if (dead.length === 0) return [];
    const ids = dead.map((r) => r.id);
    await this.db
      .deleteFrom('cluster_servers')
      .where('id', 'in', ids)
      .where('heartbeat_at', '<=', cutoff)
      .execute();
    return ids;
  }

  /** Every server row (GET /system/cluster, docs); empty on SQLite. */
  async list(): Promise<ServerInfo[]> {
    if (!this.shared) return [];
    const rows = await this.db.selectFrom('cluster_servers').selectAll().orderBy('started_at').execute();
    return rows.map((r) => ({
      id: r.id,
      hostname: r.hostname,
      pid: Number(r.pid),
      version: r.version,
      startedAt: r.started_at,
      heartbeatAt: r.heartbeat_at,
    }));
  }

  /** A clean stop: the row goes, so others take over at once instead of after the TTL. */
  async leave(): Promise<void> {
    if (!this.shared || this.left) return;
    this.left = true;
    await this.db.deleteFrom('cluster_servers').where('id', '=', this.id).execute();
  }
}
