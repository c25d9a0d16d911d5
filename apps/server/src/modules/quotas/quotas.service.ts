import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type ListResult, type Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import { authorize } from '../iam/index.ts';
import type { QuotaRow, QuotasRepository, Usage, UsageSource } from './quotas.repository.ts';

export interface Limits {
  vcpu: number | null;
  /** MiB */
  memory: number | null;
  diskGib: number | null;
  instances: number | null;
  volumes: number | null;
  backupGib: number | null;
  networks: number | null;
  securityGroups: number | null;
  functions: number | null;
  functionConcurrency: number | null;
  /** MiB */
  functionMemory: number | null;
}

export interface QuotaView {
  /** A user id, or "default" (limits of users without their own). */
  userId: string;
  username: string | null;
  /** Where the limits come from. */
  source: 'user' | 'default' | 'none';
  limits: Limits;
  usage: Usage;
  updatedAt: string | null;
}

const LABELS: Record<keyof Limits, string> = {
  vcpu: 'vCPU',
  memory: 'memory (MiB)',
  diskGib: 'disk (GiB)',
  instances: 'instance count',
  volumes: 'volume count',
  backupGib: 'backup storage (GiB)',
  networks: 'network count',
  securityGroups: 'security group count',
  functions: 'function count',
  functionConcurrency: 'running function invocations',
  functionMemory: 'memory of running function invocations (MiB)',
};

const UNLIMITED: Limits = {
  vcpu: null,
  memory: null,
  diskGib: null,
  instances: null,
  volumes: null,
  backupGib: null,
  networks: null,
  securityGroups: null,
  functions: null,
  functionConcurrency: null,
  functionMemory: null,
};

function limitsOf(row: QuotaRow | undefined): Limits {
  if (!row) return { ...UNLIMITED };
  const n = (v: number | null) => (v === null || v === undefined ? null : Number(v));
  return {
    vcpu: n(row.max_vcpu),
    memory: n(row.max_memory_mib),
    diskGib: n(row.max_disk_gb),
    instances: n(row.max_instances),
    volumes: n(row.max_volumes),
    backupGib: n(row.max_backup_gib),
    networks: n(row.max_networks),
    securityGroups: n(row.max_security_groups),
    functions: n(row.max_functions),
    functionConcurrency: n(row.max_function_concurrency),
    functionMemory: n(row.max_function_memory_mib),
  };
}

const NO_USAGE: Usage = {
  vcpu: 0,
  memory: 0,
  diskGib: 0,
  instances: 0,
  volumes: 0,
  backupGib: 0,
  networks: 0,
  securityGroups: 0,
  functions: 0,
  functionConcurrency: 0,
  functionMemory: 0,
};

export type QuotaDelta = Partial<Usage>;

export interface QuotasServiceDeps {
  db: Database;
  repo: QuotasRepository;
  audit: AuditService;
  clock: Clock;
}

export class QuotasService {
  private readonly sources: UsageSource[] = [];
  private generation = 0;

  constructor(private readonly deps: QuotasServiceDeps) {}

  /** A module declares what its resources count toward the quota (registered at start-up). */
  registerUsage(source: UsageSource): void {
    if (this.sources.some((s) => s.name === source.name))
      throw new Error(`usage ${source.name} registered twice`);
    this.sources.push(source);
  }

  /**
   * The limits in force for a user (own, else the defaults, else unlimited), for checks that run
   * outside a transaction (function invocations). Callers may cache them while
   * `limitsGeneration` is unchanged (it changes whenever this server sets or resets limits).
   */
  async limitsFor(userId: string): Promise<Limits> {
    return (await this.effective(this.deps.repo, userId)).limits;
  }

  get limitsGeneration(): number {
    return this.generation;
  }

  /** The user's current usage: the sum of every registered source. */
  private async usage(userId: string, repo: QuotasRepository): Promise<Usage> {
    const total: Usage = { ...NO_USAGE };
    const parts = await Promise.all(this.sources.map((s) => s.usage(userId, repo.db)));
    for (const part of parts)
      for (const key of Object.keys(total) as (keyof Usage)[]) total[key] += part[key] ?? 0;
    return total;
  }

  private async effective(
    repo: QuotasRepository,
    userId: string,
  ): Promise<{ limits: Limits; source: QuotaView['source']; row?: QuotaRow }> {
    const own = await repo.find(userId);
    if (own) return { limits: limitsOf(own), source: 'user', row: own };
    const def = await repo.find('default');
    if (def) return { limits: limitsOf(def), source: 'default', row: def };
    return { limits: { ...UNLIMITED }, source: 'none' };
  }

  /**
   * Inside the caller's transaction: lock the user's quota, add `delta` to the current usage and
   * refuse (422 quota_exceeded, naming the limit) if any limit would be passed.
   */
  async assertWithin(trx: Kysely<Tables>, userId: string, delta: QuotaDelta): Promise<void> {
    const repo = this.deps.repo.with(trx);
    await repo.lockUser(userId);
    const { limits } = await this.effective(repo, userId);
    if (Object.values(limits).every((v) => v === null)) return;
    const usage = await this.usage(userId, repo);
    for (const key of Object.keys(LABELS) as (keyof Limits)[]) {
      const max = limits[key];
      const add = delta[key] ?? 0;
      if (max === null || add <= 0) continue;
      if (usage[key] + add > max) {
        throw new UnprocessableError(
          `Quota exceeded: your ${LABELS[key]} limit is ${max}; you use ${usage[key]} and this needs ${add} more`,
          { limit: key, max, used: usage[key], requested: add },
          'quota_exceeded',
        );
      }
    }
  }

  private async view(userId: string, username: string | null): Promise<QuotaView> {
    const repo = this.deps.repo;
    const { limits, source: found, row } = await this.effective(repo, userId);
    const source = userId === 'default' && found !== 'none' ? 'default' : found;
    const usage = userId === 'default' ? { ...NO_USAGE } : await this.usage(userId, repo);
    return { userId, username, source, limits, usage, updatedAt: row?.updated_at ?? null };
  }

  private resolveId(actor: Actor, userId: string): string {
    return userId === 'me' ? actor.id : userId;
  }

  async list(actor: Actor, page: Page): Promise<ListResult<QuotaView>> {
    authorize(actor, 'quotas', 'read');
    if (!isAdmin(actor)) {
      const v = await this.view(actor.id, actor.username);
      return { items: [v], total: 1, ...page };
    }
    const { rows, total } = await this.deps.repo.users(page);
    const items = await Promise.all(rows.map((u) => this.view(u.id, u.username)));
    return { items, total, ...page };
  }

  async get(actor: Actor, userIdParam: string): Promise<QuotaView> {
    authorize(actor, 'quotas', 'read');
    const userId = this.resolveId(actor, userIdParam);
    if (userId === 'default') return this.view('default', null);
    if (!isAdmin(actor) && userId !== actor.id) throw new NotFoundError('User', userId);
    const user = await this.deps.repo.findUser(userId);
    if (!user) throw new NotFoundError('User', userId);
    return this.view(user.id, user.username);
  }

  async set(ctx: AuthenticatedContext, userIdParam: string, limits: Partial<Limits>): Promise<QuotaView> {
    authorize(ctx.actor, 'quotas', 'update');
    if (!isAdmin(ctx.actor)) throw new ForbiddenError('Only admins set quotas');
    const userId = this.resolveId(ctx.actor, userIdParam);
    let username: string | null = null;
    if (userId !== 'default') {
      const user = await this.deps.repo.findUser(userId);
      if (!user) throw new NotFoundError('User', userId);
      username = user.username;
    }
    const row: QuotaRow = {
      user_id: userId,
      max_vcpu: limits.vcpu ?? null,
      max_memory_mib: limits.memory ?? null,
      max_disk_gb: limits.diskGib ?? null,
      max_instances: limits.instances ?? null,
      max_volumes: limits.volumes ?? null,
      max_backup_gib: limits.backupGib ?? null,
      max_networks: limits.networks ?? null,
      max_security_groups: limits.securityGroups ?? null,
      max_functions: limits.functions ?? null,
      max_function_concurrency: limits.functionConcurrency ?? null,
      max_function_memory_mib: limits.functionMemory ?? null,
      updated_at: iso(this.deps.clock.now()),
      updated_by: ctx.actor.id,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).upsert(row);
      await this.deps.audit.record(
        ctx,
        {
          action: 'quotas.update',
          resourceType: 'quota',
          resourceId: userId,
          details: { limits: limitsOf(row) },
        },
        trx,
      );
    });
    this.generation++;
    return this.view(userId, username);
  }

  async reset(ctx: AuthenticatedContext, userIdParam: string): Promise<void> {
    authorize(ctx.actor, 'quotas', 'update');
    if (!isAdmin(ctx.actor)) throw new ForbiddenError('Only admins set quotas');
    const userId = this.resolveId(ctx.actor, userIdParam);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const removed = await this.deps.repo.with(trx).delete(userId);
      if (!removed) throw new NotFoundError('Quota', userId);
      await this.deps.audit.record(
        ctx,
        { action: 'quotas.reset', resourceType: 'quota', resourceId: userId },
        trx,
      );
    });
    this.generation++;
  }
}
