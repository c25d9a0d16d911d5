import type { Kysely, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { type Actor, isAdmin, type Page, pageOf, scope } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';

export type AppStatus =
  | 'creating'
  | 'installing'
  | 'configuring'
  | 'health-check'
  | 'ready'
  | 'failed'
  | 'updating'
  | 'deleting';
export type AppHealth = 'healthy' | 'unhealthy' | 'unknown';

export interface AppTemplatesTable {
  id: string;
  owner_id: string;
  shared: number;
  version: string;
  document: string;
  source: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppsTable {
  id: string;
  owner_id: string;
  name: string;
  template_id: string;
  template_version: string;
  /** The template document the app was deployed (or last updated) with. */
  template: string;
  instance_id: string | null;
  status: AppStatus;
  health: AppHealth;
  health_detail: string | null;
  health_checked_at: string | null;
  ip: string | null;
  /** Parameter values except secrets (JSON). */
  params: string;
  /** Secret parameter values, sealed with the master key (aad = app id). */
  sealed_secrets: string | null;
  volume_ids: string;
  error: string | null;
  active_operation_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppLogsTable {
  app_id: string;
  seq: number;
  step: string;
  stream: string;
  line: string;
  at: string;
}

declare module '../../platform/db/schema.ts' {
  interface Tables {
    app_templates: AppTemplatesTable;
    apps: AppsTable;
    app_logs: AppLogsTable;
  }
}

export type AppRow = Selectable<AppsTable>;
export type AppTemplateRow = Selectable<AppTemplatesTable>;
export type AppLogRow = Selectable<AppLogsTable>;

export class AppsRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  with(db: Kysely<Tables>): AppsRepository {
    return new AppsRepository(db);
  }

  /* templates */
  visibleTemplates(actor: Actor): Promise<AppTemplateRow[]> {
    let q = this.db.selectFrom('app_templates').selectAll();
    if (!isAdmin(actor)) q = q.where((eb) => eb.or([eb('owner_id', '=', actor.id), eb('shared', '=', 1)]));
    return q.orderBy('id').execute();
  }

  findTemplate(id: string): Promise<AppTemplateRow | undefined> {
    return this.db.selectFrom('app_templates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertTemplate(row: AppTemplateRow): Promise<void> {
    await this.db.insertInto('app_templates').values(row).execute();
  }

  async updateTemplate(id: string, patch: Partial<AppTemplateRow>): Promise<void> {
    await this.db.updateTable('app_templates').set(patch).where('id', '=', id).execute();
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.db.deleteFrom('app_templates').where('id', '=', id).execute();
  }

  /* apps */
  list(actor: Actor, page: Page): Promise<{ rows: AppRow[]; total: number }> {
    return pageOf<AppRow>(scope(this.db.selectFrom('apps'), actor), page, [['created_at', 'desc'], ['id']]);
  }

  find(id: string): Promise<AppRow | undefined> {
    return this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findScoped(actor: Actor, id: string): Promise<AppRow | undefined> {
    return scope(this.db.selectFrom('apps').selectAll().where('id', '=', id), actor).executeTakeFirst();
  }

  findByName(ownerId: string, name: string): Promise<AppRow | undefined> {
    return this.db
      .selectFrom('apps')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: AppRow): Promise<void> {
    await this.db.insertInto('apps').values(row).execute();
  }

  async patch(id: string, patch: Partial<AppRow>): Promise<void> {
    await this.db.updateTable('apps').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('app_logs').where('app_id', '=', id).execute();
    await this.db.deleteFrom('apps').where('id', '=', id).execute();
  }

  countLive(ownerId: string, db: Executor = this.db): Promise<number> {
    return db
      .selectFrom('apps')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirst()
      .then((r) => Number(r?.n ?? 0));
  }

  async reassign(from: string, to: string, db: Executor = this.db): Promise<number> {
    const res = await db
      .updateTable('apps')
      .set({ owner_id: to })
      .where('owner_id', '=', from)
      .executeTakeFirst();
    await db.updateTable('app_templates').set({ owner_id: to }).where('owner_id', '=', from).execute();
    return Number(res.numUpdatedRows ?? 0);
  }

  readyApps(): Promise<AppRow[]> {
    return this.db
      .selectFrom('apps')
      .selectAll()
      .where('status', '=', 'ready')
      .where('active_operation_id', 'is', null)
      .orderBy('id')
      .limit(500)
      .execute();
  }

  /* logs */
  async appendLogs(
    appId: string,
    step: string,
    lines: { stream: string; line: string }[],
    at: string,
  ): Promise<void> {
    if (!lines.length) return;
    const last = await this.db
      .selectFrom('app_logs')
      .select((eb) => eb.fn.max('seq').as('m'))
      .where('app_id', '=', appId)
      .executeTakeFirst();
    let seq = Number(last?.m ?? 0);
    await this.db
      .insertInto('app_logs')
      .values(
        lines.map((l) => ({
          app_id: appId,
          seq: ++seq,
          step,
          stream: l.stream,
          line: l.line.slice(0, 2000),
          at,
        })),
      )
      .execute();
  }

  logs(appId: string, after: number, limit: number): Promise<AppLogRow[]> {
    return this.db
      .selectFrom('app_logs')
      .selectAll()
      .where('app_id', '=', appId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }
}
