/**
 * Sliding-window failure counter per key (login failures per source IP). In memory: it guards
 * this process; the per-(username, source) lockout is the durable part (in the database).
 */
export class FailureWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (list.length === 0) this.hits.delete(key);
    else this.hits.set(key, list);
    return list;
  }

  /** Seconds until the key may try again; 0 when not blocked. */
  blockedFor(key: string, nowMs: number): number {
    const list = this.recent(key, nowMs);
    if (list.length < this.max) return 0;
    const oldest = list[list.length - this.max]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
  }

  hit(key: string, nowMs: number): void {
    const list = this.recent(key, nowMs);
    list.push(nowMs);
    if (list.length > this.max * 2) list.splice(0, list.length - this.max * 2);
    this.hits.set(key, list);
    if (this.hits.size > 50_000) this.hits.clear();
  }

  reset(key: string): void {
    this.hits.delete(key);
  }
}
