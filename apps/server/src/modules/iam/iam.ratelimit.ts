/**
 * Sliding-window failure counter per key (login failures per source IP), kept in the database so
 * every server sharing it counts the same failures (several servers on one PostgreSQL behind a
 * load balancer) and a restart does not forget them. Failures are rare: one row each, pruned as
 * the window moves. The per-(username, source) lockout is separate (login_lockouts).
 */
import { newId } from '../../platform/crypto.ts';
import type { Executor } from '../../platform/db/database.ts';

export interface LoginIpFailuresTable {
  id: string;
  source: string;
  /** ISO time of the failure */
  at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    login_ip_failures: LoginIpFailuresTable;
  }
}

const isoOf = (ms: number) => new Date(ms).toISOString();

export class FailureWindow {
  constructor(
    private readonly db: Executor,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again; 0 when not blocked. */
  async blockedFor(key: string, nowMs: number): Promise<number> {
    const recent = await this.db
      .selectFrom('login_ip_failures')
      .select('at')
      .where('source', '=', key)
      .where('at', '>', isoOf(nowMs - this.windowMs))
      .orderBy('at', 'desc')
      .limit(this.max)
      .execute();
    if (recent.length < this.max) return 0;
    const oldest = new Date(recent[recent.length - 1]!.at).getTime();
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
  }

  async hit(key: string, nowMs: number): Promise<void> {
    await this.db
      .insertInto('login_ip_failures')
      .values({ id: newId('lif'), source: key, at: isoOf(nowMs) })
      .execute();
    await this.db
      .deleteFrom('login_ip_failures')
      .where('at', '<=', isoOf(nowMs - this.windowMs))
      .execute();
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('login_ip_failures').where('source', '=', key).execute();
  }
}
