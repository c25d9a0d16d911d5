/**
 * The operations module's services: the engine (built once per app and handed to every module
 * through deps), the lock registry, the completion audit entry, the release of stale locks, and
 * the read API's authorization.
 */
import type { Kysely } from 'kysely';
import type { UserDirectory } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { Membership } from '../../platform/cluster/membership.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import {
  OperationEngine,
  type OperationError,
  type OperationView,
  toOperationView,
} from './operations.engine.ts';
import { LockRegistry } from './operations.locks.ts';
import { type OperationFilter, OperationsRepository } from './operations.repository.ts';

/**
 * The audit action recorded when an operation finishes: `instance.launch` →
 * `instances.launch.completed` (the audit names resources in the plural, like the permission
 * catalogue). One place, so every module's operations are audited the same way.
 */
export function completionAuditAction(action: string): string {
  const dot = action.indexOf('.');
  const kind = dot < 0 ? action : action.slice(0, dot);
  const verb = dot < 0 ? 'run' : action.slice(dot + 1);
  return `${kind}s.${verb}.completed`;
}

/** Reads of operations, authorized like every service (API, CLI and jobs pass the same gate). */
export class OperationsService {
  constructor(private readonly repo: OperationsRepository) {}

  async list(actor: Actor, filter: OperationFilter, page: Page): Promise<ListResult<OperationView>> {
    authorize(actor, 'instances', 'read');
    const { rows, total } = await this.repo.list(actor, filter, page);
    return { items: rows.map(toOperationView), total, ...page };
  }

  async get(actor: Actor, id: string): Promise<OperationView> {
    authorize(actor, 'instances', 'read');
    const row = await this.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Operation', id);
    return toOperationView(row);
  }

  /** Unscoped look-up for other modules (an idempotent replay shows the original operation). */
  async find(id: string): Promise<OperationView | undefined> {
    const row = await this.repo.find(id);
    return row ? toOperationView(row) : undefined;
  }

  /** Operations of a user move with their resources when the user is deleted. */
  reassign(from: string, to: string, db: Kysely<Tables>): Promise<void> {
    return this.repo.with(db).reassign(from, to);
  }
}

export interface OperationsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  audit: AuditService;
  users: UserDirectory;
  /** Turns any error into what the operation row shows (the Proxmox module's mapping). */
  mapError(e: unknown): OperationError;
  /** Operations run in parallel (default 8). */
  concurrency?: number;
  /** Recorded in this server's heartbeat row (several servers on one PostgreSQL). */
  version?: string;
  /** Dead-server detection (tests shorten it; default 30 s heartbeat TTL, 5 s sweep). */
  cluster?: { ttlMs?: number; sweepMs?: number };
}

export interface Operations {
  engine: OperationEngine;
  locks: LockRegistry;
  service: OperationsService;
  /** Live servers sharing the database (PostgreSQL; this server alone on SQLite). */
  membership: Membership;
}

/** Build the operations core once per app (app.ts); modules receive its parts through deps. */
export function createOperations(deps: OperationsDeps): Operations {
  const { db, logger, audit } = deps;
  deps.bus.registerResource('operation');
  const workerId = newId('wrk');
  const locks = new LockRegistry(workerId);
  const membership = new Membership({
    db,
    clock: deps.clock,
    id: workerId,
    version: deps.version ?? 'unknown',
    ...(deps.cluster?.ttlMs ? { ttlMs: deps.cluster.ttlMs } : {}),
    ...(deps.cluster?.sweepMs ? { heartbeatMs: deps.cluster.sweepMs } : {}),
  });
  const engine = new OperationEngine({
    workerId,
    db,
    clock: deps.clock,
    logger,
    bus: deps.bus,
    mapError: deps.mapError,
    concurrency: deps.concurrency ?? 8,
    membership,
    ...(deps.cluster?.sweepMs ? { sweepMs: deps.cluster.sweepMs } : {}),
    // the completion's audit entry, in the transaction that records the operation's final state;
    // actor = the owner, request id of the request that asked
    onCompleted: async (trx, op) => {
      await audit.record(
        { actor: null, ip: '127.0.0.1', requestId: op.requestId ?? op.id, userAgent: null, audited: false },
        {
          action: completionAuditAction(op.action),
          resourceType: op.resourceType,
          resourceId: op.resourceId,
          result: op.status === 'succeeded' ? 'success' : 'failure',
          user: { id: op.ownerId, username: await deps.users.username(op.ownerId, trx) },
          details: {
            operationId: op.id,
            status: op.status,
            ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}),
          },
        },
        trx,
      );
    },
    // locks held by no pending/running operation belong to a process that is gone
    recover: async (live) => {
      for (const { table, released } of await locks.releaseStale(db.kysely, live))
        logger.warn({ table, released }, 'released stale locks');
    },
  });
  return {
    engine,
    locks,
    membership,
    service: new OperationsService(new OperationsRepository(db.kysely)),
  };
}
