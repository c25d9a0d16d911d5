/**
 * Functions: configuration, code versions, aliases, the function URL and cron schedules.
 * Invocations are in functions.invoker.ts. Every change creates an audit entry (route config);
 * every configuration or code change creates an immutable version and moves the `live` alias.
 */
import { createHash } from 'node:crypto';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId, randomString } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Scheduler } from '../../platform/schedules/scheduler.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { SecretsPort } from '../secrets/index.ts';
import {
  type CodeFiles,
  codeHash,
  codeSize,
  decodeFiles,
  encodeFiles,
  readInline,
  readZip,
  textFiles,
} from './functions.code.ts';
import { checkGoBuild } from './functions.gobuild.ts';
import type { FunctionRow, FunctionsRepository, VersionRow } from './functions.repository.ts';
import type { RunnerSet } from './functions.runners.ts';
import type { Cors, CreateFunctionBody, UpdateFunctionBody } from './functions.schemas.ts';
import type { FunctionsSettings } from './functions.settings.ts';

export const SCHEDULE_KIND = 'functions.invoke';
export const MAX_SCHEDULES_PER_FUNCTION = 20;
export const LIVE = 'live';

export interface FunctionConfig {
  runtime: 'nodejs' | 'python3' | 'go';
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  env: Record<string, string>;
  secrets: Record<string, string>;
  network: boolean;
}

export interface FunctionView {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  runtime: FunctionConfig['runtime'];
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  env: Record<string, string>;
  secrets: Record<string, string>;
  /** The same map as `secrets` under the secrets vault's contract name (issue 14). */
  secretEnv: Record<string, string>;
  network: boolean;
  concurrency: number;
  failureWebhook: string | null;
  version: number;
  liveVersion: number;
  codeSha256: string;
  codeSize: number;
  url: { url: string; urlId: string; auth: 'none' | 'iam'; cors: Cors | null } | null;
  lastInvokedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FunctionsServiceDeps {
  db: Database;
  repo: FunctionsRepository;
  clock: Clock;
  bus: EventBus;
  scheduler: Scheduler;
  secrets: SecretsPort;
  runners: RunnerSet;
  settings: FunctionsSettings;
  /** Per-user limits (functions, functionConcurrency, functionMemory) from /api/v1/quotas. */
  quotas?: QuotasService;
}

/**
 * The secrets map of a create/update body: `secrets` (functions' own name) or `secretEnv` (the
 * secrets vault's name, as instances take it). Both with different maps is refused.
 */
export function secretsOfBody(body: {
  secrets?: Record<string, string>;
  secretEnv?: Record<string, string>;
}): Record<string, string> | undefined {
  const { secrets, secretEnv } = body;
  if (secrets && secretEnv && !sameMap(secrets, secretEnv))
    throw new ValidationError('Give secrets or secretEnv (the same map), not two different ones', {
      issues: [{ field: 'body.secretEnv', message: 'differs from body.secrets' }],
    });
  return secretEnv ?? secrets;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

export const urlPath = (urlId: string) => `/fn/${urlId}/`;

export function configOf(row: FunctionRow): FunctionConfig {
  return {
    runtime: row.runtime as FunctionConfig['runtime'],
    handler: row.handler,
    memoryMb: Number(row.memory_mb),
    timeoutSeconds: Number(row.timeout_seconds),
    env: JSON.parse(row.env) as Record<string, string>,
    secrets: JSON.parse(row.secrets) as Record<string, string>,
    network: Number(row.network) === 1,
  };
}

export class FunctionsService {
  /** Immutable versions, cached (code decoded once per server). */
  private readonly versionCache = new Map<string, { row: VersionRow; files?: CodeFiles }>();

  constructor(private readonly deps: FunctionsServiceDeps) {}

  async view(row: FunctionRow): Promise<FunctionView> {
    const cfg = configOf(row);
    const live = await this.deps.repo.alias(row.id, LIVE);
    const latest = await this.version(row.id, Number(row.latest_version));
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      ownerId: row.owner_id,
      ...cfg,
      secretEnv: cfg.secrets,
      concurrency: Number(row.concurrency),
      failureWebhook: row.failure_webhook,
      version: Number(row.latest_version),
      liveVersion: live ? Number(live.version) : Number(row.latest_version),
      codeSha256: latest.row.code_sha256,
      codeSize: Number(latest.row.code_size),
      url: row.url_id
        ? {
            url: urlPath(row.url_id),
            urlId: row.url_id,
            auth: (row.url_auth ?? 'iam') as 'none' | 'iam',
            cors: row.url_cors ? (JSON.parse(row.url_cors) as Cors) : null,
          }
        : null,
      lastInvokedAt: row.last_invoked_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(actor: Actor, q: string | undefined, page: Page): Promise<ListResult<FunctionView>> {
    authorize(actor, 'functions', 'read');
    const { rows, total } = await this.deps.repo.list(actor, q, page);
    return { items: await Promise.all(rows.map((r) => this.view(r))), total, ...page };
  }

  /** The function if the actor may see it (404 otherwise). */
  async row(actor: Actor, id: string): Promise<FunctionRow> {
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Function', id);
    return row;
  }

  async get(actor: Actor, id: string): Promise<FunctionView> {
    authorize(actor, 'functions', 'read');
    return this.view(await this.row(actor, id));
  }

  async version(functionId: string, version: number): Promise<{ row: VersionRow; files?: CodeFiles }> {
    const key = `${functionId}:${version}`;
    let hit = this.versionCache.get(key);
    if (!hit) {
      const row = await this.deps.repo.version(functionId, version);
      if (!row) throw new NotFoundError('Function version', `${functionId}:${version}`);
      hit = { row };
      if (this.versionCache.size > 500) this.versionCache.delete(this.versionCache.keys().next().value!);
      this.versionCache.set(key, hit);
    }
    return hit;
  }

  async codeOf(functionId: string, version: number): Promise<CodeFiles> {
    const v = await this.version(functionId, version);
    v.files ??= decodeFiles(v.row.code);
    return v.files;
  }

  /** `memoryQuota`: refuse a memoryMb above the owner's functionMemory quota (it could never run). */
  private async checkConfig(cfg: FunctionConfig, ownerId: string, memoryQuota = true): Promise<void> {
    const quota = memoryQuota ? ((await this.deps.quotas?.limitsFor(ownerId))?.functionMemory ?? null) : null;
    if (quota !== null && cfg.memoryMb > quota)
      throw new UnprocessableError(
        `Quota exceeded: your limit for the memory of running function invocations is ${quota} MiB, so a function with ${cfg.memoryMb} MiB could never run`,
        { limit: 'functionMemory', max: quota, requested: cfg.memoryMb },
        'quota_exceeded',
      );
    if (cfg.memoryMb > this.deps.settings.maxMemoryMb)
      throw new ValidationError(
        `memoryMb is at most ${this.deps.settings.maxMemoryMb} MiB here`,
        { field: 'memoryMb' },
        'quota_exceeded',
      );
    if (cfg.runtime === 'python3' && !/^[A-Za-z0-9_./]+\.[A-Za-z_][A-Za-z0-9_]*$/.test(cfg.handler))
      throw new ValidationError('Python handlers are module.function', { field: 'handler' });
    if (cfg.runtime === 'go' && !/^main\.[A-Za-z_][A-Za-z0-9_]*$/.test(cfg.handler))
      throw new ValidationError('Go handlers are main.FunctionName (like main.Handler)', {
        field: 'handler',
      });
  }

  private readCode(code: { files: Record<string, string> } | { zipBase64: string }): CodeFiles {
    return 'files' in code
      ? readInline(code.files)
      : readZip(Buffer.from(code.zipBase64, 'base64'), this.deps.settings.maxCodeBytes);
  }

  async create(ctx: AuthenticatedContext, body: CreateFunctionBody): Promise<FunctionView> {
    authorize(ctx.actor, 'functions', 'create');
    const cfg: FunctionConfig = {
      runtime: body.runtime,
      handler: body.handler,
      memoryMb: body.memoryMb,
      timeoutSeconds: body.timeoutSeconds,
      env: body.env ?? {},
      secrets: secretsOfBody(body) ?? {},
      network: body.network ?? false,
    };
    await this.checkConfig(cfg, ctx.actor.id);
    const files = this.readCode(body.code);
    await checkGoBuild(this.deps.runners, cfg, files);
    const id = newId('fn');
    const consumer = { kind: 'function' as const, id, ownerId: ctx.actor.id };
    if (Object.keys(cfg.secrets).length) await this.deps.secrets.validateEnv(consumer, cfg.secrets);
    const now = iso(this.deps.clock.now());
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (await repo.findByName(ctx.actor.id, body.name))
        throw new ConflictError(`You already have a function named '${body.name}'`);
      if ((await repo.countOwned(ctx.actor.id)) >= this.deps.settings.maxFunctionsPerUser)
        throw new ConflictError(
          `You already have ${this.deps.settings.maxFunctionsPerUser} functions (quota); delete one first`,
          { quota: 'functions', limit: this.deps.settings.maxFunctionsPerUser },
          'quota_exceeded',
        );
      await this.deps.quotas?.assertWithin(trx, ctx.actor.id, { functions: 1 });
      await repo.insert({
        id,
        owner_id: ctx.actor.id,
        name: body.name,
        description: body.description ?? '',
        runtime: cfg.runtime,
        handler: cfg.handler,
        memory_mb: cfg.memoryMb,
        timeout_seconds: cfg.timeoutSeconds,
        env: JSON.stringify(cfg.env),
        secrets: JSON.stringify(cfg.secrets),
        network: cfg.network ? 1 : 0,
        concurrency: body.concurrency ?? 10,
        failure_webhook: body.failureWebhook ?? null,
        latest_version: 1,
        url_id: null,
        url_auth: null,
        url_cors: null,
        last_invoked_at: null,
        created_at: now,
        updated_at: now,
      });
      await this.insertVersion(repo, id, 1, files, cfg, body.description ?? '', now);
      await repo.putAlias({ function_id: id, name: LIVE, version: 1, updated_at: now });
    });
    if (Object.keys(cfg.secrets).length) await this.deps.secrets.setEnv(consumer, cfg.secrets);
    ctx.resourceId = id;
    const view = await this.get(ctx.actor, id);
    this.publish('created', view);
    return view;
  }

  private async insertVersion(
    repo: FunctionsRepository,
    id: string,
    version: number,
    files: CodeFiles,
    cfg: FunctionConfig,
    description: string,
    now: string,
  ): Promise<void> {
    await repo.insertVersion({
      function_id: id,
      version,
      code_sha256: codeHash(files),
      code_size: codeSize(files),
      code: encodeFiles(files),
      config: JSON.stringify(cfg),
      description,
      created_at: now,
    });
  }

  /** New configuration and/or code: a new immutable version (and `live` moves unless publish=false). */
  async update(
    ctx: AuthenticatedContext,
    id: string,
    body: UpdateFunctionBody,
    zip?: Buffer,
  ): Promise<FunctionView> {
    authorize(ctx.actor, 'functions', 'update');
    const row = await this.row(ctx.actor, id);
    const prev = configOf(row);
    const secrets = secretsOfBody(body);
    const cfg: FunctionConfig = {
      runtime: body.runtime ?? prev.runtime,
      handler: body.handler ?? prev.handler,
      memoryMb: body.memoryMb ?? prev.memoryMb,
      timeoutSeconds: body.timeoutSeconds ?? prev.timeoutSeconds,
      env: body.env ?? prev.env,
      secrets: secrets ?? prev.secrets,
      network: body.network ?? prev.network,
    };
    await this.checkConfig(cfg, row.owner_id, cfg.memoryMb !== prev.memoryMb);
    const consumer = { kind: 'function' as const, id, ownerId: row.owner_id };
    if (secrets && Object.keys(secrets).length) await this.deps.secrets.validateEnv(consumer, secrets);
    const files = zip
      ? readZip(zip, this.deps.settings.maxCodeBytes)
      : body.code
        ? this.readCode(body.code)
        : await this.codeOf(id, Number(row.latest_version));
    await checkGoBuild(this.deps.runners, cfg, files);
    const now = iso(this.deps.clock.now());
    const version = Number(row.latest_version) + 1;
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      await repo.update(id, {
        runtime: cfg.runtime,
        handler: cfg.handler,
        memory_mb: cfg.memoryMb,
        timeout_seconds: cfg.timeoutSeconds,
        env: JSON.stringify(cfg.env),
        secrets: JSON.stringify(cfg.secrets),
        network: cfg.network ? 1 : 0,
        ...(body.concurrency !== undefined ? { concurrency: body.concurrency } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.failureWebhook !== undefined ? { failure_webhook: body.failureWebhook } : {}),
        latest_version: version,
        updated_at: now,
      });
      await this.insertVersion(repo, id, version, files, cfg, body.description ?? row.description, now);
      if (body.publish !== false)
        await repo.putAlias({ function_id: id, name: LIVE, version, updated_at: now });
    });
    if (secrets) await this.deps.secrets.setEnv(consumer, secrets);
    ctx.resourceId = id;
    const view = await this.get(ctx.actor, id);
    this.publish('updated', view);
    return view;
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'functions', 'delete');
    const row = await this.row(ctx.actor, id);
    for (const s of await this.schedules(row))
      await this.deps.scheduler.removeFor(SCHEDULE_KIND, s.resourceId);
    await this.deps.db.kysely.transaction().execute(async (trx) => this.deps.repo.with(trx).delete(id));
    await this.deps.secrets.forget({ kind: 'function', id });
    await this.deps.runners.evict(`${id}:`);
    for (const key of [...this.versionCache.keys()])
      if (key.startsWith(`${id}:`)) this.versionCache.delete(key);
    this.deps.bus.publish({
      type: 'function.deleted',
      resource: 'function',
      resourceId: id,
      ownerId: row.owner_id,
      data: { id },
    });
  }

  async versions(actor: Actor, id: string) {
    authorize(actor, 'functions', 'read');
    await this.row(actor, id);
    const [versions, aliases] = await Promise.all([this.deps.repo.versions(id), this.deps.repo.aliases(id)]);
    return {
      versions: versions.map((v) => {
        const c = JSON.parse(v.config) as FunctionConfig;
        return {
          version: Number(v.version),
          codeSha256: v.code_sha256,
          codeSize: Number(v.code_size),
          runtime: c.runtime,
          handler: c.handler,
          memoryMb: c.memoryMb,
          timeoutSeconds: c.timeoutSeconds,
          description: v.description,
          createdAt: v.created_at,
        };
      }),
      aliases: aliases.map((a) => ({ name: a.name, version: Number(a.version), updatedAt: a.updated_at })),
    };
  }

  async putAlias(ctx: AuthenticatedContext, id: string, name: string, version: number) {
    authorize(ctx.actor, 'functions', 'update');
    await this.row(ctx.actor, id);
    await this.version(id, version);
    await this.deps.repo.putAlias({ function_id: id, name, version, updated_at: iso(this.deps.clock.now()) });
    return this.versions(ctx.actor, id);
  }

  async deleteAlias(ctx: AuthenticatedContext, id: string, name: string): Promise<void> {
    authorize(ctx.actor, 'functions', 'update');
    await this.row(ctx.actor, id);
    if (name === LIVE)
      throw new ConflictError("The 'live' alias cannot be deleted; point it at another version");
    if (!(await this.deps.repo.deleteAlias(id, name))) throw new NotFoundError('Alias', name);
  }

  /** Version for a qualifier: a number, an alias name, or (default) `live`. */
  async resolveQualifier(row: FunctionRow, qualifier?: string): Promise<number> {
    if (qualifier && /^\d+$/.test(qualifier)) {
      await this.version(row.id, Number(qualifier));
      return Number(qualifier);
    }
    const alias = await this.deps.repo.alias(row.id, qualifier ?? LIVE);
    if (!alias) {
      if (!qualifier) return Number(row.latest_version);
      throw new NotFoundError('Alias', qualifier);
    }
    return Number(alias.version);
  }

  async code(actor: Actor, id: string, version?: number) {
    authorize(actor, 'functions', 'read');
    const row = await this.row(actor, id);
    const v = version ?? (await this.resolveQualifier(row));
    const files = await this.codeOf(id, v);
    return { version: v, codeSha256: codeHash(files), files: textFiles(files) };
  }

  async setUrl(ctx: AuthenticatedContext, id: string, auth: 'none' | 'iam', cors: Cors | null | undefined) {
    authorize(ctx.actor, 'functions', 'update');
    const row = await this.row(ctx.actor, id);
    const urlId = row.url_id ?? randomString(20, 'abcdefghijklmnopqrstuvwxyz0123456789');
    await this.deps.repo.update(id, {
      url_id: urlId,
      url_auth: auth,
      url_cors: cors ? JSON.stringify(cors) : null,
      updated_at: iso(this.deps.clock.now()),
    });
    return (await this.get(ctx.actor, id)).url!;
  }

  async deleteUrl(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'functions', 'update');
    await this.row(ctx.actor, id);
    await this.deps.repo.update(id, { url_id: null, url_auth: null, url_cors: null });
  }

  // ---- schedules (persisted scheduler; one schedule row per function schedule)

  private async schedules(row: FunctionRow) {
    const all = await this.deps.scheduler.list({ kind: SCHEDULE_KIND, ownerId: row.owner_id });
    return all.filter((s) => (s.payload as { functionId?: string } | null)?.functionId === row.id);
  }

  private scheduleView(s: Awaited<ReturnType<FunctionsService['schedules']>>[number]) {
    const p = s.payload as { payload?: unknown };
    return {
      id: s.resourceId,
      cron: s.cron,
      timezone: s.timezone,
      payload: p.payload ?? null,
      enabled: s.enabled,
      nextRunAt: s.nextRunAt,
      lastRunAt: s.lastRunAt,
      lastStatus: s.lastStatus,
      lastError: s.lastError,
      nextRuns: s.enabled ? this.deps.scheduler.preview({ cron: s.cron, timezone: s.timezone }, 3) : [],
    };
  }

  async listSchedules(actor: Actor, id: string) {
    authorize(actor, 'functions', 'read');
    return (await this.schedules(await this.row(actor, id))).map((s) => this.scheduleView(s));
  }

  async addSchedule(
    ctx: AuthenticatedContext,
    id: string,
    body: { cron: string; timezone?: string; payload?: unknown; enabled?: boolean },
  ) {
    authorize(ctx.actor, 'functions', 'update');
    const row = await this.row(ctx.actor, id);
    if ((await this.schedules(row)).length >= MAX_SCHEDULES_PER_FUNCTION)
      throw new ConflictError(`A function has at most ${MAX_SCHEDULES_PER_FUNCTION} schedules`);
    const payloadText = JSON.stringify(body.payload ?? null);
    if (payloadText.length > 256 * 1024)
      throw new ValidationError('payload is larger than 256 KiB', { field: 'payload' });
    const scheduleId = newId('fsch');
    const s = await this.deps.scheduler.upsert({
      kind: SCHEDULE_KIND,
      ownerId: row.owner_id,
      resourceId: scheduleId,
      cron: body.cron,
      ...(body.timezone ? { timezone: body.timezone } : {}),
      enabled: body.enabled ?? true,
      payload: { functionId: id, payload: body.payload ?? null },
    });
    ctx.resourceId = id;
    return this.scheduleView(s);
  }

  async deleteSchedule(ctx: AuthenticatedContext, id: string, scheduleId: string): Promise<void> {
    authorize(ctx.actor, 'functions', 'update');
    const row = await this.row(ctx.actor, id);
    if (!(await this.schedules(row)).some((s) => s.resourceId === scheduleId))
      throw new NotFoundError('Schedule', scheduleId);
    await this.deps.scheduler.removeFor(SCHEDULE_KIND, scheduleId);
  }

  /** Key of a warm sandbox: function, version and a hash of what the sandbox starts with. */
  static sandboxKey(id: string, version: number, cfg: FunctionConfig, env: Record<string, string>): string {
    const h = createHash('sha256')
      .update(JSON.stringify([cfg, env]))
      .digest('hex')
      .slice(0, 16);
    return `${id}:${version}:${h}`;
  }

  private publish(what: 'created' | 'updated', view: FunctionView): void {
    this.deps.bus.publish({
      type: `function.${what}`,
      resource: 'function',
      resourceId: view.id,
      ownerId: view.ownerId,
      data: view,
    });
  }
}
