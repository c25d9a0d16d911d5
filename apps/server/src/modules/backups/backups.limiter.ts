/**
 * Per-node concurrency limit for vzdump tasks, shared by every server on the database (PVE's own
 * job runner runs one backup per node at a time). A holder takes one of `limit` slot rows
 * (`backup_node_slots`, primary key node + slot) with an insert that does nothing on conflict, so
 * two servers can never hold the same slot; a slot is renewed while held and expires (a crashed
 * server's slot is free again after `ttlMs`). Waiters in this process are woken when a local slot
 * is released and poll for slots released by other servers.
 */
import { type Clock, iso } from '../../platform/clock.ts';
import type { Executor } from '../../platform/db/database.ts';

export interface NodeLimiterOptions {
  db: Executor;
  clock: Clock;
  limit: number;
  /** A held slot that is not renewed is free after this (default 10 min). */
  ttlMs?: number;
  /** How often a waiter looks for a slot another server released (default 2 s). */
  pollMs?: number;
}

export class NodeLimiter {
  limit: number;
  private readonly ttlMs: number;
  private readonly pollMs: number;
  private readonly wakers = new Set<() => void>();
  private readonly held = new Map<string, number>();

  constructor(private readonly opts: NodeLimiterOptions) {
    this.limit = opts.limit;
    this.ttlMs = opts.ttlMs ?? 600_000;
    this.pollMs = opts.pollMs ?? 2_000;
  }

  private expiry(): string {
    return iso(new Date(this.opts.clock.now().getTime() + this.ttlMs));
  }

  /** Take a free slot of `node` for `holder`; undefined when all `limit` are held. */
  async tryAcquire(node: string, holder: string): Promise<number | undefined> {
    const db = this.opts.db;
    await db
      .deleteFrom('backup_node_slots')
      .where('node', '=', node)
      .where('expires_at', '<', iso(this.opts.clock.now()))
      .execute();
    for (let slot = 0; slot < this.limit; slot++) {
      const res = await db
        .insertInto('backup_node_slots')
        .values({ node, slot, holder, expires_at: this.expiry() })
        .onConflict((oc) => oc.columns(['node', 'slot']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) {
        this.held.set(node, (this.held.get(node) ?? 0) + 1);
        return slot;
      }
    }
    return undefined;
  }

  async release(node: string, slot: number, holder: string): Promise<void> {
    await this.opts.db
      .deleteFrom('backup_node_slots')
      .where('node', '=', node)
      .where('slot', '=', slot)
      .where('holder', '=', holder)
      .execute();
    this.held.set(node, Math.max(0, (this.held.get(node) ?? 1) - 1));
    for (const wake of [...this.wakers]) wake();
  }

  /** Run `fn` while holding a slot of `node`; waits (FIFO-ish, abortable) for one. */
  async run<T>(
    node: string,
    fn: () => Promise<T>,
    opts: { holder?: string; signal?: AbortSignal; onWait?: () => void } = {},
  ): Promise<T> {
    const holder = opts.holder ?? `anon-${Math.random().toString(36).slice(2)}`;
    let slot = await this.tryAcquire(node, holder);
    if (slot === undefined) opts.onWait?.();
    while (slot === undefined) {
      opts.signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakers.delete(done);
          opts.signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, this.pollMs);
        this.wakers.add(done);
        opts.signal?.addEventListener('abort', done, { once: true });
      });
      slot = await this.tryAcquire(node, holder);
    }
    const taken = slot;
    const renew = setInterval(
      () => {
        void this.opts.db
          .updateTable('backup_node_slots')
          .set({ expires_at: this.expiry() })
          .where('node', '=', node)
          .where('slot', '=', taken)
          .where('holder', '=', holder)
          .execute()
          .catch(() => undefined);
      },
      Math.max(1_000, Math.floor(this.ttlMs / 3)),
    );
    renew.unref?.();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(node, taken, holder);
    }
  }

  /** Slots of `node` held by this server now (tests, metrics). */
  running(node: string): number {
    return this.held.get(node) ?? 0;
  }

  /** Slots of `node` held by any server (from the database). */
  async heldEverywhere(node: string): Promise<number> {
    const rows = await this.opts.db
      .selectFrom('backup_node_slots')
      .select('slot')
      .where('node', '=', node)
      .where('expires_at', '>=', iso(this.opts.clock.now()))
      .execute();
    return rows.length;
  }
}
