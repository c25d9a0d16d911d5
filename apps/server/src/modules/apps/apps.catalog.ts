/**
 * The template catalog: built-ins (files, apps.builtin.ts) plus custom templates (database), with
 * visibility (yours, shared ones, and every one for admins) and the API views.
 */

import type { Clock } from '../../platform/clock.ts';
import { iso } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import { authorize } from '../iam/index.ts';
import type { BuiltinCatalog } from './apps.builtin.ts';
import type { AppsRepository, AppTemplateRow } from './apps.repository.ts';
import type { AppTemplate } from './apps.template.ts';
import { checkTemplate, checkTemplateText, type TemplateProblem } from './apps.validate.ts';

export interface ResolvedTemplate {
  template: AppTemplate;
  builtin: boolean;
  shared: boolean;
  ownerId: string | null;
}

export const logoUrl = (id: string) => `/api/v1/app-templates/${id}/logo`;

export function templateSummary(r: ResolvedTemplate) {
  const t = r.template;
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    category: t.category,
    version: t.version,
    logo: logoUrl(t.id),
    minimums: { ...t.minimums },
    builtin: r.builtin,
    shared: r.shared,
    ownerId: r.ownerId,
    baseType: t.base.type,
  };
}

function invalid(problems: TemplateProblem[]): UnprocessableError {
  const first = problems[0];
  const where = first ? `${first.line !== undefined ? `line ${first.line}: ` : ''}${first.path || '/'}` : '';
  return new UnprocessableError(
    `The template is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}; first at ${where}: ${first?.message})`,
    { problems },
    'invalid_template',
  );
}

export class AppCatalog {
  constructor(
    private readonly deps: {
      builtins: BuiltinCatalog;
      repo: AppsRepository;
      clock: Clock;
      /** Fetch a template text from a URL (a Git raw file); injectable for tests. */
      fetchText: (url: string) => Promise<string>;
    },
  ) {}

  private fromRow(row: AppTemplateRow): ResolvedTemplate {
    return {
      template: JSON.parse(row.document) as AppTemplate,
      builtin: false,
      shared: Number(row.shared) === 1,
      ownerId: row.owner_id,
    };
  }

  async list(actor: Actor): Promise<ResolvedTemplate[]> {
    authorize(actor, 'app_templates', 'read');
    const out: ResolvedTemplate[] = [...this.deps.builtins.templates.values()].map((template) => ({
      template,
      builtin: true,
      shared: true,
      ownerId: null,
    }));
    for (const row of await this.deps.repo.visibleTemplates(actor)) out.push(this.fromRow(row));
    return out;
  }

  /** A template the actor may see, or 404. */
  async get(actor: Actor, id: string): Promise<ResolvedTemplate> {
    authorize(actor, 'app_templates', 'read');
    const builtin = this.deps.builtins.templates.get(id);
    if (builtin) return { template: builtin, builtin: true, shared: true, ownerId: null };
    const row = await this.deps.repo.findTemplate(id);
    if (!row || (!isAdmin(actor) && row.owner_id !== actor.id && Number(row.shared) !== 1))
      throw new NotFoundError('App template', id);
    return this.fromRow(row);
  }

  /** The current version of a template, whoever asks (update checks); null when gone. */
  async current(id: string): Promise<AppTemplate | null> {
    const builtin = this.deps.builtins.templates.get(id);
    if (builtin) return builtin;
    const row = await this.deps.repo.findTemplate(id);
    return row ? (JSON.parse(row.document) as AppTemplate) : null;
  }

  logo(id: string): { type: string; body: string | Buffer } | null {
    const svg = this.deps.builtins.logos.get(id);
    if (svg) return { type: 'image/svg+xml', body: svg };
    return null;
  }

  async customLogo(actor: Actor, id: string): Promise<{ type: string; body: Buffer } | null> {
    const r = await this.get(actor, id);
    const m = /^data:(image\/(?:svg\+xml|png));base64,(.+)$/.exec(r.template.logo);
    return m ? { type: m[1]!, body: Buffer.from(m[2]!, 'base64') } : null;
  }

  /** Add (or replace) a custom template from a parsed body, YAML/JSON text or a Git URL. */
  async create(
    ctx: AuthenticatedContext,
    input: { document?: unknown; text?: string; gitUrl?: string; shared?: boolean; replace?: boolean },
  ): Promise<ResolvedTemplate> {
    const { actor } = ctx;
    authorize(actor, 'app_templates', 'create');
    if (input.shared) authorize(actor, 'app_templates', 'share');
    let source: string | null = null;
    let text = input.text;
    if (input.gitUrl) {
      source = input.gitUrl;
      try {
        text = await this.deps.fetchText(input.gitUrl);
      } catch (e) {
        throw new UnprocessableError(
          `Could not fetch the template from ${input.gitUrl}: ${(e as Error).message}`,
          { field: 'gitUrl' },
          'template_fetch_failed',
        );
      }
    }
    const res = text !== undefined ? checkTemplateText(text) : checkTemplate(input.document);
    if (!res.template) throw invalid(res.problems);
    const t = res.template;
    if (this.deps.builtins.templates.has(t.id))
      throw new ConflictError(
        `'${t.id}' is a built-in template id; choose another id`,
        { field: 'id' },
        'template_id_taken',
      );
    const now = iso(this.deps.clock.now());
    const existing = await this.deps.repo.findTemplate(t.id);
    if (existing) {
      if (existing.owner_id !== actor.id || !input.replace)
        throw new ConflictError(
          existing.owner_id === actor.id
            ? `You already have a template '${t.id}' (pass replace=true to replace it)`
            : `The template id '${t.id}' is taken; choose another id`,
          { field: 'id' },
          'template_id_taken',
        );
      await this.deps.repo.updateTemplate(t.id, {
        document: JSON.stringify(t),
        version: t.version,
        shared: input.shared === undefined ? existing.shared : input.shared ? 1 : 0,
        source,
        updated_at: now,
      });
    } else {
      await this.deps.repo.insertTemplate({
        id: t.id,
        owner_id: actor.id,
        shared: input.shared ? 1 : 0,
        version: t.version,
        document: JSON.stringify(t),
        source,
        created_at: now,
        updated_at: now,
      });
    }
    ctx.resourceId = t.id;
    return this.get(actor, t.id);
  }

  async remove(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'app_templates', 'delete');
    if (this.deps.builtins.templates.has(id))
      throw new ConflictError('Built-in templates cannot be deleted', undefined, 'template_builtin');
    const row = await this.deps.repo.findTemplate(id);
    if (!row || (!isAdmin(ctx.actor) && row.owner_id !== ctx.actor.id))
      throw new NotFoundError('App template', id);
    await this.deps.repo.deleteTemplate(id);
    ctx.resourceId = id;
  }
}
