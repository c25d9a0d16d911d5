/**
 * In-process event bus: every change of a resource (instance, operation, volume, …) is published
 * here after its transaction commits, and the SSE endpoint (/api/v1/events) streams it to the
 * owner (admins see all). A bounded ring buffer keeps recent events so a reconnecting client can
 * resume with Last-Event-ID. The resource names are open: each module registers the ones it
 * publishes (`registerResource`), and the OpenAPI publishes the list (schema `EventResource`).
 *
 * Several servers on one PostgreSQL: a relay (events.relay.ts) forwards every local event to the
 * other servers (LISTEN/NOTIFY), which `deliver()` it to their own subscribers; ids are per server
 * and per process (`epoch`), so a client that reconnects to another server gets `reset`.
 */
import { randomBytes } from 'node:crypto';

/** A registered resource name, e.g. "instance", "volume", "key_pair". */
export type EventResource = string;

/** Names are lower snake case, singular (the SSE event is `<resource>.<created|updated|deleted>`). */
const RESOURCE_NAME = /^[a-z][a-z0-9_]*$/;

export interface DomainEvent {
  /** Monotonic per process (SSE `id:` is `<epoch>-<id>`). */
  id: number;
  /** e.g. "instance.updated", "operation.updated", "volume.deleted" */
  type: `${EventResource}.${'created' | 'updated' | 'deleted'}`;
  resource: EventResource;
  resourceId: string;
  /** Owner of the resource: only they (and admins) receive the event. */
  ownerId: string;
  at: string;
  /** The resource as the API shows it (GET answer), or {id} for deletions. */
  data: unknown;
}

export type EventListener = (event: DomainEvent) => void;

/** An event as it travels between servers (the receiving bus gives it its own id). */
export type RelayedEvent = Omit<DomainEvent, 'id'>;

export class EventBus {
  private seq = 0;
  private readonly buffer: DomainEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  private readonly resources = new Set<EventResource>();
  private readonly forwarders = new Set<(event: RelayedEvent) => void>();
  private readonly resetListeners = new Set<() => void>();
  /** Events up to this id may have missed remote events (relay reconnect): no replay across it. */
  private resetAt = 0;
  /** Identifies this process's id sequence: ids from another epoch cannot be resumed here. */
  readonly epoch = randomBytes(4).toString('hex');

  constructor(
    private readonly capacity = 2000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A module declares a resource it publishes (before the events routes are registered). */
  registerResource(name: EventResource): void {
    if (!RESOURCE_NAME.test(name)) throw new Error(`event resource "${name}" must be lower snake case`);
    this.resources.add(name);
  }

  /** The registered resource names, in registration order. */
  get resourceNames(): readonly EventResource[] {
    return [...this.resources];
  }

  publish(e: Omit<DomainEvent, 'id' | 'at'>): DomainEvent {
    if (!this.resources.has(e.resource)) throw new Error(`event resource "${e.resource}" is not registered`);
    const event = this.emit({ ...e, at: this.now().toISOString() });
    for (const f of this.forwarders) {
      try {
        f({ ...e, at: event.at });
      } catch {
        // the relay logs its own failures
      }
    }
    return event;
  }

  /** An event published on another server (from the relay): local subscribers only. */
  deliver(e: RelayedEvent): DomainEvent {
    return this.emit(e);
  }

  /** The relay: receives every locally published event. */
  forward(f: (event: RelayedEvent) => void): () => void {
    this.forwarders.add(f);
    return () => this.forwarders.delete(f);
  }

  private emit(e: RelayedEvent): DomainEvent {
    const event: DomainEvent = { ...e, id: ++this.seq };
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken subscriber must not break publishers
      }
    }
    return event;
  }

  /** Events may have been missed (the relay reconnected): every stream tells its client to reload. */
  reset(): void {
    this.resetAt = this.seq;
    for (const l of this.resetListeners) {
      try {
        l();
      } catch {
        // see publish
      }
    }
  }

  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Events after `lastId` still in the buffer. `complete` is false when some were already evicted
   * (the client should re-fetch state instead of trusting the replay).
   */
  since(lastId: number): { events: DomainEvent[]; complete: boolean } {
    const first = this.buffer[0];
    const complete =
      lastId >= this.resetAt &&
      (lastId >= this.seq || (first !== undefined && first.id <= lastId + 1) || this.seq === 0);
    return { events: this.buffer.filter((e) => e.id > lastId), complete };
  }

  get lastId(): number {
    return this.seq;
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
