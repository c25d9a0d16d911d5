/**
 * Admin settings of the notifications module, stored in the database (so they can be changed from
 * the console without a restart): the SMTP server e-mail channels send through (password sealed
 * with the master key, never returned) and whether webhook/push URLs may point to private targets.
 */
import { type Clock, iso } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/db/repository.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import { authorize } from '../iam/index.ts';
import type { NotificationsRepository } from './notifications.repository.ts';
import type { SmtpSettings } from './notifications.senders.ts';

const SMTP_AAD = 'notification_settings:smtp';

export interface SmtpView extends Omit<SmtpSettings, 'password'> {
  passwordSet: boolean;
}
export interface NotificationSettings {
  smtp: SmtpView | null;
  allowPrivateTargets: boolean;
}
export interface SmtpInput {
  host: string;
  port: number;
  security: SmtpSettings['security'];
  username?: string | null;
  password?: string;
  from: string;
  timeoutSeconds?: number;
  allowSelfSigned?: boolean;
}

export class NotificationSettingsStore {
  constructor(
    private readonly deps: {
      repo: NotificationsRepository;
      box: SecretBox;
      clock: Clock;
      audit: AuditService;
      db: Database;
    },
  ) {}

  async get(actor: Actor): Promise<NotificationSettings> {
    authorize(actor, 'notification_settings', 'read');
    return this.view();
  }

  private async view(): Promise<NotificationSettings> {
    const smtp = await this.smtp();
    const { allowPrivateTargets } = await this.targets();
    if (!smtp) return { smtp: null, allowPrivateTargets };
    const { password, ...rest } = smtp;
    return { smtp: { ...rest, passwordSet: Boolean(password) }, allowPrivateTargets };
  }

  async update(
    ctx: AuthenticatedContext,
    input: { smtp?: SmtpInput | null; allowPrivateTargets?: boolean },
  ): Promise<NotificationSettings> {
    authorize(ctx.actor, 'notification_settings', 'update');
    const now = iso(this.deps.clock.now());
    // read before the transaction: SQLite has one connection (a read outside trx would wait for it)
    const current = input.smtp ? await this.smtp() : null;
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (input.smtp !== undefined) {
        if (input.smtp === null) {
          await repo.putSetting({ key: 'smtp', value_json: 'null', secret_sealed: null, updated_at: now });
        } else {
          const { password, ...rest } = input.smtp;
          const keep = password === undefined && current?.host === rest.host ? current.password : null;
          const pass = password ?? keep;
          const value: Omit<SmtpSettings, 'password'> = {
            host: rest.host,
            port: rest.port,
            security: rest.security,
            username: rest.username ?? null,
            from: rest.from,
            timeoutSeconds: rest.timeoutSeconds ?? 10,
            allowSelfSigned: rest.allowSelfSigned ?? false,
          };
          await repo.putSetting({
            key: 'smtp',
            value_json: JSON.stringify(value),
            secret_sealed: pass ? this.deps.box.seal(pass, SMTP_AAD) : null,
            updated_at: now,
          });
        }
      }
      if (input.allowPrivateTargets !== undefined) {
        await repo.putSetting({
          key: 'targets',
          value_json: JSON.stringify({ allowPrivateTargets: input.allowPrivateTargets }),
          secret_sealed: null,
          updated_at: now,
        });
      }
      await this.deps.audit.record(
        ctx,
        {
          action: 'notification_settings.update',
          resourceType: 'notification_settings',
          details: {
            smtpHost: input.smtp ? input.smtp.host : input.smtp === null ? null : undefined,
            allowPrivateTargets: input.allowPrivateTargets,
          },
        },
        trx,
      );
    });
    return this.view();
  }

  /** The SMTP server with its password, or null when none is configured. */
  async smtp(): Promise<SmtpSettings | null> {
    const row = await this.deps.repo.setting('smtp');
    if (!row) return null;
    const value = JSON.parse(row.value_json) as Omit<SmtpSettings, 'password'> | null;
    if (!value) return null;
    return { ...value, password: row.secret_sealed ? this.deps.box.open(row.secret_sealed, SMTP_AAD) : null };
  }

  async targets(): Promise<{ allowPrivateTargets: boolean }> {
    const row = await this.deps.repo.setting('targets');
    if (!row) return { allowPrivateTargets: false };
    return JSON.parse(row.value_json) as { allowPrivateTargets: boolean };
  }
}
