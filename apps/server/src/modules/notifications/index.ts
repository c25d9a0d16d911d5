/**
 * Notifications: per-user channels (e-mail over the admin's SMTP server, HMAC-signed webhooks,
 * ntfy/Gotify push), a delivery log with retries, and the NotificationsPort other modules
 * (alarms, backups, …) use to tell a user something happened.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { createSecretBox } from '../../platform/crypto.ts';
import { notificationsMigrations as migrations } from './notifications.migrations.ts';
import { NotificationsRepository } from './notifications.repository.ts';
import { notificationsRoutes } from './notifications.routes.ts';
import { NotificationsService, type NotifyRequest, type NotifyResult } from './notifications.service.ts';

export { signature as webhookSignature } from './notifications.senders.ts';
export type { Delivery, NotificationChannel, NotifyRequest, NotifyResult } from './notifications.service.ts';

/** Days a finished delivery stays in the log. */
export const DELIVERY_RETENTION_DAYS = 30;

/**
 * What other modules use: `notify()` records one delivery per enabled channel of `ownerId` among
 * `channelIds` (ids of other users are skipped), sends it and retries failures with backoff; it
 * never throws for a delivery problem. `assertChannels()` validates channel ids a user picks
 * (e.g. on an alarm or a backup plan): 422 `unknown_notification_channel` with `details.missing`.
 */
export interface NotificationsPort {
  notify(request: NotifyRequest): Promise<NotifyResult>;
  assertChannels(ownerId: string, channelIds: readonly string[]): Promise<void>;
}

export interface NotificationsExports {
  port: NotificationsPort;
  service: NotificationsService;
}

export const notificationsModule: ServerModule<
  Pick<ModuleDeps, 'db' | 'audit' | 'clock' | 'bus' | 'ownership' | 'logger' | 'config' | 'jobs'>,
  NotificationsExports
> = {
  name: 'notifications',
  tags: [
    {
      name: 'notifications',
      description: 'Notification channels (e-mail, webhook, push), their delivery log and the SMTP settings',
    },
  ],
  migrations,
  async register(app, deps) {
    deps.bus.registerResource('notification_channel');
    const repo = new NotificationsRepository(deps.db.kysely);
    const service = new NotificationsService({
      db: deps.db,
      repo,
      audit: deps.audit,
      clock: deps.clock,
      logger: deps.logger,
      box: createSecretBox(deps.config.masterKey),
      bus: deps.bus,
    });
    await notificationsRoutes(app, service);
    deps.ownership.register({
      resourceType: 'notification_channels',
      count: (userId, k) => new NotificationsRepository(k).countOwned(userId),
      reassign: (from, to, k) => new NotificationsRepository(k).reassign(from, to),
    });
    deps.jobs.register({
      name: 'notifications.deliver',
      intervalMs: 5_000,
      run: async () => {
        await service.deliverDue();
      },
    });
    deps.jobs.register({
      name: 'notifications.retention',
      intervalMs: 6 * 3600_000,
      run: () => service.applyRetention(DELIVERY_RETENTION_DAYS),
    });
    const port: NotificationsPort = {
      notify: (request) => service.notify(request),
      assertChannels: (ownerId, ids) => service.assertChannels(ownerId, ids),
    };
    return { port, service };
  },
};
