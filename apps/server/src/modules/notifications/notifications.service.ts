import { type Clock, iso } from '../../platform/clock.ts';
import { newId, randomToken, type SecretBox } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type {
  ChannelRow,
  ChannelType,
  DeliveryRow,
  NotificationsRepository,
} from './notifications.repository.ts';
import {
  DeliveryError,
  type OutgoingMessage,
  postGuarded,
  pushRequest,
  type SmtpSettings,
  sendEmail,
  webhookRequest,
} from './notifications.senders.ts';
import { NotificationSettingsStore } from './notifications.settings.ts';
import { checkTargetUrl } from './notifications.targets.ts';

export interface ChannelConfigView {
  url?: string;
  to?: string[];
  format?: 'ntfy' | 'gotify';
}
export interface ChannelConfigInput extends ChannelConfigView {
  secret?: string;
  token?: string;
}
export interface NotificationChannel {
  id: string;
  name: string;
  ownerId: string;
  type: ChannelType;
  enabled: boolean;
  config: ChannelConfigView;
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface Delivery {
  id: string;
  channelId: string;
  event: string;
  subject: string;
  status: DeliveryRow['status'];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  responseStatus: number | null;
  createdAt: string;
  completedAt: string | null;
}

/** What another module asks for (see index.ts: NotificationsPort). */
export interface NotifyRequest {
  /** Whose channels: a channel id that is not this user's is skipped (never someone else's). */
  ownerId: string;
  channelIds: readonly string[];
  /** Dotted event name, e.g. `alarm.state_changed`, `backup.failed`. */
  event: string;
  subject: string;
  body: string;
  /** Machine-readable details for webhooks (no secrets). */
  data?: Record<string, unknown>;
}
export interface NotifyResult {
  deliveries: { id: string; channelId: string; status: Delivery['status'] }[];
}

export const MAX_CHANNELS_PER_USER = 50;
/** Delay before attempt 2, 3 and 4; a delivery fails for good after the 4th attempt. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000] as const;
export const HTTP_TIMEOUT_MS = 10_000;
/** A claim older than this is a server that died mid-send: the delivery is tried again. */
const STALE_CLAIM_MS = 5 * 60_000;
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

interface Secrets {
  secret?: string;
  token?: string;
}

export function toChannel(row: ChannelRow): NotificationChannel {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    type: row.type,
    enabled: Number(row.enabled) === 1,
    config: JSON.parse(row.config_json) as ChannelConfigView,
    hasSecret: row.secret_sealed !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    channelId: row.channel_id,
    event: row.event,
    subject: row.subject,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export interface NotificationsServiceDeps {
  db: Database;
  repo: NotificationsRepository;
  audit: AuditService;
  clock: Clock;
  logger: Logger;
  box: SecretBox;
  bus: EventBus;
}

export class NotificationsService {
  readonly settings: NotificationSettingsStore;

  constructor(private readonly deps: NotificationsServiceDeps) {
    this.settings = new NotificationSettingsStore({
      repo: deps.repo,
      box: deps.box,
      clock: deps.clock,
      audit: deps.audit,
      db: deps.db,
    });
  }

  // ---- channels (API)

  async list(actor: Actor, page: Page): Promise<ListResult<NotificationChannel>> {
    authorize(actor, 'notification_channels', 'read');
    const { rows, total } = await this.deps.repo.list(actor, page);
    return { items: rows.map(toChannel), total, ...page };
  }

  async get(actor: Actor, id: string): Promise<NotificationChannel> {
    authorize(actor, 'notification_channels', 'read');
    return toChannel(await this.row(actor, id));
  }

  private async row(actor: Actor, id: string): Promise<ChannelRow> {
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('Notification channel', id);
    return row;
  }

  async create(
    ctx: AuthenticatedContext,
    input: { name: string; type: ChannelType; config: ChannelConfigInput; enabled?: boolean },
  ): Promise<NotificationChannel & { generatedSecret?: string }> {
    authorize(ctx.actor, 'notification_channels', 'create');
    const { view, secrets } = await this.validateConfig(input.type, input.config, {});
    let generatedSecret: string | undefined;
    if (input.type === 'webhook' && !secrets.secret) {
      generatedSecret = randomToken(32);
      secrets.secret = generatedSecret;
    }
    const now = iso(this.deps.clock.now());
    const id = newId('nch');
    const row: ChannelRow = {
      id,
      owner_id: ctx.actor.id,
      name: input.name,
      type: input.type,
      enabled: input.enabled === false ? 0 : 1,
      config_json: JSON.stringify(view),
      secret_sealed: this.seal(id, secrets),
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (await repo.findByName(ctx.actor.id, input.name))
        throw new ConflictError(`You already have a notification channel named '${input.name}'`);
      if ((await repo.countOwned(ctx.actor.id)) >= MAX_CHANNELS_PER_USER)
        throw new ConflictError(
          `You already have ${MAX_CHANNELS_PER_USER} notification channels; delete one first`,
        );
      await repo.insert(row);
      await this.deps.audit.record(
        ctx,
        {
          action: 'notification_channels.create',
          resourceType: 'notification_channel',
          resourceId: id,
          details: { name: input.name, type: input.type },
        },
        trx,
      );
    });
    ctx.resourceId = id;
    const channel = toChannel(row);
    this.publish('created', channel);
    return generatedSecret ? { ...channel, generatedSecret } : channel;
  }

  async update(
    ctx: AuthenticatedContext,
    id: string,
    patch: { name?: string; enabled?: boolean; config?: ChannelConfigInput },
  ): Promise<NotificationChannel> {
    authorize(ctx.actor, 'notification_channels', 'update');
    const current = await this.row(ctx.actor, id);
    const set: Partial<ChannelRow> = { updated_at: iso(this.deps.clock.now()) };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (patch.config) {
      const kept = this.unseal(current);
      const { view, secrets } = await this.validateConfig(current.type, patch.config, kept);
      set.config_json = JSON.stringify(view);
      set.secret_sealed = this.seal(id, secrets);
    }
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (patch.name !== undefined && patch.name !== current.name) {
        if (await repo.findByName(current.owner_id, patch.name))
          throw new ConflictError(`A notification channel named '${patch.name}' already exists`);
      }
      await repo.update(id, set);
      await this.deps.audit.record(
        ctx,
        {
          action: 'notification_channels.update',
          resourceType: 'notification_channel',
          resourceId: id,
          details: { fields: Object.keys(patch) },
        },
        trx,
      );
    });
    const channel = toChannel({ ...current, ...set });
    this.publish('updated', channel);
    return channel;
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'notification_channels', 'delete');
    const row = await this.row(ctx.actor, id);
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await this.deps.repo.with(trx).delete(id);
      await this.deps.audit.record(
        ctx,
        {
          action: 'notification_channels.delete',
          resourceType: 'notification_channel',
          resourceId: id,
          details: { name: row.name, type: row.type },
        },
        trx,
      );
    });
    this.publish('deleted', toChannel(row));
  }

  async deliveries(actor: Actor, id: string, page: Page): Promise<ListResult<Delivery>> {
    authorize(actor, 'notification_channels', 'read');
    await this.row(actor, id);
    const { rows, total } = await this.deps.repo.deliveries(id, page);
    return { items: rows.map(toDelivery), total, ...page };
  }

  /** Send a test message now (no retries) and answer with the delivery's outcome. */
  async test(ctx: AuthenticatedContext, id: string): Promise<Delivery> {
    authorize(ctx.actor, 'notification_channels', 'update');
    const row = await this.row(ctx.actor, id);
    const [deliveryId] = await this.enqueue([row], {
      ownerId: row.owner_id,
      channelIds: [id],
      event: 'test',
      subject: `ProxiCloud test notification (${row.name})`,
      body: `This is a test message for the notification channel "${row.name}", sent by ${ctx.actor.username}. If you can read it, the channel works.`,
      data: { channelId: id, requestedBy: ctx.actor.username },
    });
    await this.attempt(deliveryId!, { retry: false });
    const done = await this.deps.repo.findDelivery(deliveryId!);
    return toDelivery(done!);
  }

  // ---- the port other modules use

  /** Checks that every channel id exists and belongs to `ownerId` (422 names the unknown ones). */
  async assertChannels(ownerId: string, channelIds: readonly string[]): Promise<void> {
    const unique = [...new Set(channelIds)];
    const rows = await this.deps.repo.findOwned(ownerId, unique);
    const found = new Set(rows.map((r) => r.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length)
      throw new ValidationError(
        `Unknown notification channel(s): ${missing.join(', ')}`,
        { field: 'channelIds', missing },
        'unknown_notification_channel',
      );
  }

  /**
   * Record one delivery per enabled channel of the owner and make the first attempt now; failed
   * attempts are retried by the `notifications.deliver` job with backoff. Never throws for a
   * delivery problem (it lands in the delivery log); callers may skip awaiting it.
   */
  async notify(request: NotifyRequest): Promise<NotifyResult> {
    const rows = (await this.deps.repo.findOwned(request.ownerId, [...new Set(request.channelIds)])).filter(
      (r) => Number(r.enabled) === 1,
    );
    if (rows.length === 0) return { deliveries: [] };
    const ids = await this.enqueue(rows, request);
    await Promise.all(ids.map((id) => this.attempt(id, { retry: true })));
    const out: NotifyResult['deliveries'] = [];
    for (const id of ids) {
      const d = await this.deps.repo.findDelivery(id);
      if (d) out.push({ id, channelId: d.channel_id, status: d.status });
    }
    return { deliveries: out };
  }

  /** The retry job: deliveries whose next attempt is due (and ones a dead server left behind). */
  async deliverDue(limit = 100): Promise<number> {
    const now = this.deps.clock.now();
    await this.deps.repo.releaseStale(iso(new Date(now.getTime() - STALE_CLAIM_MS)), iso(now));
    const due = await this.deps.repo.due(iso(now), limit);
    for (const id of due) await this.attempt(id, { retry: true });
    return due.length;
  }

  async applyRetention(days: number): Promise<void> {
    const before = new Date(this.deps.clock.now().getTime() - days * 86_400_000);
    await this.deps.repo.deleteFinishedBefore(iso(before));
  }

  // ---- internals

  private async enqueue(rows: ChannelRow[], request: NotifyRequest): Promise<string[]> {
    const now = iso(this.deps.clock.now());
    const ids: string[] = [];
    for (const row of rows) {
      const id = newId('ndl');
      await this.deps.repo.insertDelivery({
        id,
        channel_id: row.id,
        owner_id: row.owner_id,
        event: request.event.slice(0, 100),
        subject: request.subject.slice(0, 200),
        body: request.body.slice(0, 10_000),
        data_json: JSON.stringify(request.data ?? {}),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        claimed_at: null,
        last_error: null,
        response_status: null,
        created_at: now,
        completed_at: null,
      });
      ids.push(id);
    }
    return ids;
  }

  private async attempt(id: string, options: { retry: boolean }): Promise<void> {
    const repo = this.deps.repo;
    if (!(await repo.claim(id, 'pending', iso(this.deps.clock.now())))) return;
    const delivery = (await repo.findDelivery(id))!;
    const attempts = Number(delivery.attempts) + 1;
    const channel = await repo.find(delivery.channel_id);
    try {
      if (!channel) throw new DeliveryError('the channel was deleted', false);
      const status = await this.send(channel, delivery);
      await repo.updateDelivery(id, {
        status: 'succeeded',
        attempts,
        response_status: status,
        last_error: null,
        next_attempt_at: null,
        completed_at: iso(this.deps.clock.now()),
      });
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError(String((e as Error).message ?? e), true);
      const retry = options.retry && err.retryable && attempts <= RETRY_DELAYS_MS.length;
      const now = this.deps.clock.now();
      await repo.updateDelivery(id, {
        status: retry ? 'pending' : 'failed',
        attempts,
        response_status: err.responseStatus,
        last_error: err.message.slice(0, 500),
        next_attempt_at: retry ? iso(new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]!)) : null,
        completed_at: retry ? null : iso(now),
      });
      this.deps.logger.warn(
        { deliveryId: id, channelId: delivery.channel_id, attempt: attempts, retry, error: err.message },
        'notification delivery failed',
      );
    }
  }

  private async send(channel: ChannelRow, d: DeliveryRow): Promise<number | null> {
    const config = JSON.parse(channel.config_json) as ChannelConfigView;
    const secrets = this.unseal(channel);
    const msg: OutgoingMessage = {
      deliveryId: d.id,
      event: d.event,
      subject: d.subject,
      body: d.body,
      data: JSON.parse(d.data_json) as Record<string, unknown>,
      channel: { id: channel.id, name: channel.name },
      timestamp: iso(this.deps.clock.now()),
    };
    const { allowPrivateTargets } = await this.settings.targets();
    switch (channel.type) {
      case 'email': {
        const smtp: SmtpSettings | null = await this.settings.smtp();
        if (!smtp)
          throw new DeliveryError('no SMTP server is configured (admin: notification settings)', true);
        await sendEmail(smtp, config.to ?? [], msg);
        return null;
      }
      case 'webhook': {
        const { headers, body } = webhookRequest(msg, secrets.secret ?? null);
        return postGuarded(
          { url: config.url!, allowPrivate: allowPrivateTargets, timeoutMs: HTTP_TIMEOUT_MS },
          headers,
          body,
        );
      }
      case 'push': {
        const { headers, body } = pushRequest(msg, config.format ?? 'ntfy', secrets.token ?? null);
        return postGuarded(
          { url: config.url!, allowPrivate: allowPrivateTargets, timeoutMs: HTTP_TIMEOUT_MS },
          headers,
          body,
        );
      }
    }
  }

  private async validateConfig(
    type: ChannelType,
    input: ChannelConfigInput,
    kept: Secrets,
  ): Promise<{ view: ChannelConfigView; secrets: Secrets }> {
    const allowed: Record<ChannelType, readonly string[]> = {
      email: ['to'],
      webhook: ['url', 'secret'],
      push: ['url', 'token', 'format'],
    };
    for (const key of Object.keys(input)) {
      if (!allowed[type].includes(key))
        throw new ValidationError(`config.${key} does not apply to ${type} channels`, {
          field: `config.${key}`,
        });
    }
    if (type === 'email') {
      const to = [...new Set((input.to ?? []).map((a) => a.trim()))];
      if (to.length === 0)
        throw new ValidationError('config.to needs at least one address', { field: 'config.to' });
      const bad = to.filter((a) => !EMAIL.test(a));
      if (bad.length)
        throw new ValidationError(`Not an e-mail address: ${bad.join(', ')}`, {
          field: 'config.to',
          invalid: bad,
        });
      return { view: { to }, secrets: {} };
    }
    if (!input.url)
      throw new ValidationError(`config.url is required for ${type} channels`, { field: 'config.url' });
    const { allowPrivateTargets } = await this.settings.targets();
    const problem = await checkTargetUrl(input.url, allowPrivateTargets);
    if (problem)
      throw new ValidationError(
        `config.url ${problem}`,
        { field: 'config.url' },
        'notification_target_refused',
      );
    if (type === 'webhook')
      return { view: { url: input.url }, secrets: { secret: input.secret ?? kept.secret } };
    return {
      view: { url: input.url, format: input.format ?? 'ntfy' },
      secrets: { token: input.token ?? kept.token },
    };
  }

  private seal(id: string, secrets: Secrets): string | null {
    const clean: Secrets = {};
    if (secrets.secret) clean.secret = secrets.secret;
    if (secrets.token) clean.token = secrets.token;
    if (!clean.secret && !clean.token) return null;
    return this.deps.box.seal(JSON.stringify(clean), `notification_channel:${id}`);
  }

  private unseal(row: ChannelRow): Secrets {
    if (!row.secret_sealed) return {};
    return JSON.parse(this.deps.box.open(row.secret_sealed, `notification_channel:${row.id}`)) as Secrets;
  }

  private publish(verb: 'created' | 'updated' | 'deleted', channel: NotificationChannel): void {
    this.deps.bus.publish({
      type: `notification_channel.${verb}`,
      resource: 'notification_channel',
      resourceId: channel.id,
      ownerId: channel.ownerId,
      data: channel,
    });
  }
}
