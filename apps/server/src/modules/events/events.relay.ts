/**
 * Live events across servers sharing one PostgreSQL database: every event published on this
 * server is sent with `pg_notify('proxicloud_events', …)`; every server LISTENs on the channel and
 * delivers the others' events to its own SSE subscribers. An event bigger than NOTIFY's payload
 * limit (8000 bytes) is stored in `event_relay_spill` and the notification carries its id.
 *
 * Order: one sender chain per server (events leave in publish order) and one receiver chain (a
 * spilled event is read before the next notification is delivered). While the listening
 * connection is down (PostgreSQL restart) remote events are missed: after reconnecting, the relay
 * resets this server's streams so clients reload their lists instead of trusting a gap.
 * SQLite: one server per database, no relay.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { EventBus, RelayedEvent } from './events.bus.ts';

export const RELAY_CHANNEL = 'proxicloud_events';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_INLINE = 7_000;
const SPILL_TTL_MS = 5 * 60_000;

export interface EventSpillTable {
  id: string;
  payload: string;
  created_at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    event_relay_spill: EventSpillTable;
  }
}

interface Envelope {
  /** origin: the sending bus's epoch (a server ignores its own notifications) */
  o: string;
  e?: RelayedEvent;
  /** spill row id */
  s?: string;
}

export interface EventRelayOptions {
  bus: EventBus;
  db: Database;
  url: string;
  logger: Logger;
}

export class EventRelay {
  private client: pg.Client | null = null;
  private unforward: (() => void) | null = null;
  private sending: Promise<void> = Promise.resolve();
  private receiving: Promise<void> = Promise.resolve();
  private queue: RelayedEvent[] = [];
  private scheduled = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private everConnected = false;
  /** Events sent and received (GET /system/cluster, tests). */
  readonly stats = { sent: 0, received: 0, spilled: 0 };

  constructor(private readonly options: EventRelayOptions) {}

  async start(): Promise<void> {
    this.unforward = this.options.bus.forward((e) => this.enqueue(e));
    await this.connect();
  }

  /** Resolves when everything published so far has been handed to PostgreSQL. */
  async flushed(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled) {
      await new Promise((r) => setImmediate(r));
      await this.sending;
    }
    await this.sending;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unforward?.();
    if (this.retry) clearTimeout(this.retry);
    await this.flushed().catch(() => undefined);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.url });
    client.on('notification', (msg) => {
      if (msg.channel !== RELAY_CHANNEL || !msg.payload) return;
      const payload = msg.payload;
      this.receiving = this.receiving.then(() => this.receive(payload)).catch(() => undefined);
    });
    const lost = (err?: unknown) => {
      if (this.client !== client || this.stopped) return;
      this.client = null;
      this.options.logger.warn({ err }, 'event relay: lost the LISTEN connection; reconnecting');
      client.end().catch(() => undefined);
      this.schedule();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${RELAY_CHANNEL}`);
    } catch (err) {
      client.end().catch(() => undefined);
      if (!this.everConnected) throw err;
      this.options.logger.warn({ err }, 'event relay: reconnect failed; retrying');
      this.schedule();
      return;
    }
    this.client = client;
    if (this.everConnected) {
      // Remote events may have been missed while disconnected: streams reload.
      this.options.bus.reset();
      this.options.logger.info('event relay: listening again');
    }
    this.everConnected = true;
  }

  private schedule(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, 1_000);
    this.retry.unref();
  }

  private enqueue(e: RelayedEvent): void {
    if (this.stopped) return;
    this.queue.push(e);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue.splice(0);
      this.sending = this.sending
        .then(() => this.send(batch))
        .catch((err: unknown) => {
          this.options.logger.warn(
            { err, events: batch.length },
            'event relay: could not notify other servers',
          );
        });
    });
  }

  private async send(batch: RelayedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const k = this.options.db.kysely;
    const origin = this.options.bus.epoch;
    const payloads: string[] = [];
    for (const e of batch) {
      const inline = JSON.stringify({ o: origin, e } satisfies Envelope);
      if (Buffer.byteLength(inline) <= MAX_INLINE) {
        payloads.push(inline);
        continue;
      }
      const id = newId('evs');
      const now = new Date();
      await k
        .insertInto('event_relay_spill')
        .values({ id, payload: JSON.stringify(e), created_at: iso(now) })
        .execute();
      await k
        .deleteFrom('event_relay_spill')
        .where('created_at', '<', iso(new Date(now.getTime() - SPILL_TTL_MS)))
        .execute();
      this.stats.spilled++;
      payloads.push(JSON.stringify({ o: origin, s: id } satisfies Envelope));
    }
    // One round trip per batch; notifications of one statement arrive in this order.
    await sql`select pg_notify(${RELAY_CHANNEL}, p) from unnest(${payloads}::text[]) with ordinality as t(p, n) order by n`.execute(
      k,
    );
    this.stats.sent += batch.length;
  }

  private async receive(payload: string): Promise<void> {
    let env: Envelope;
    try {
      env = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (env.o === this.options.bus.epoch) return;
    let event = env.e;
    if (!event && env.s) {
      const row = await this.options.db.kysely
        .selectFrom('event_relay_spill')
        .select('payload')
        .where('id', '=', env.s)
        .executeTakeFirst();
      if (!row) return;
      event = JSON.parse(row.payload) as RelayedEvent;
    }
    if (!event || !this.options.bus.resourceNames.includes(event.resource)) return;
    this.stats.received++;
    this.options.bus.deliver(event);
  }
}
