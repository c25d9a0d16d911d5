import type { ProxmoxConnection } from '../../deps.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { AuditService } from '../audit/index.ts';
import { authorize } from '../iam/index.ts';
import { apiErrorOf } from '../proxmox/index.ts';
import {
  fileNameOf,
  type ImageInfo,
  type ImageKind,
  kindOfContent,
  notLaunchableReason,
  parseImageName,
} from './catalog.parse.ts';
import type { CatalogRepository, InstanceTypeRow } from './catalog.repository.ts';

export interface CatalogImage extends ImageInfo {
  /** PVE volume id: what `template` takes when launching. */
  id: string;
  name: string;
  kind: ImageKind;
  /** What it launches: vm (cloud image, installer ISO), lxc (template). */
  instanceType: 'vm' | 'lxc' | null;
  launchable: boolean;
  /** Why it cannot be launched (and how to fix that), when `launchable` is false. */
  note: string | null;
  format: string | null;
  sizeBytes: number;
  storage: string;
  /** Nodes where this file is available (local storages hold a copy per node). */
  nodes: string[];
}

export interface InstanceType {
  name: string;
  description: string;
  vcpu: number;
  /** MiB */
  memory: number;
  sizeGib: number;
  builtin: boolean;
  createdAt: string;
}

export function toInstanceType(row: InstanceTypeRow): InstanceType {
  return {
    name: row.name,
    description: row.description,
    vcpu: Number(row.vcpu),
    memory: Number(row.memory_mib),
    sizeGib: Number(row.disk_gb),
    builtin: Number(row.builtin) === 1,
    createdAt: row.created_at,
  };
}

export interface CatalogFilter {
  kind?: ImageKind;
  type?: 'vm' | 'lxc';
  os?: string;
  q?: string;
}

export interface CatalogServiceDeps {
  db: Database;
  repo: CatalogRepository;
  audit: AuditService;
  clock: Clock;
  proxmox: () => ProxmoxConnection;
  /** How long the storage content scan is reused (default 30 s). */
  ttlMs?: number;
}

const CONTENTS = ['vztmpl', 'import', 'iso'] as const;

export class CatalogService {
  private cache: { at: number; images: CatalogImage[] } | null = null;
  private inflight: Promise<CatalogImage[]> | null = null;

  constructor(private readonly deps: CatalogServiceDeps) {}

  invalidate(): void {
    this.cache = null;
  }

  /** Every launch source found in storage content across the online nodes (cached). */
  async images(): Promise<CatalogImage[]> {
    const ttl = this.deps.ttlMs ?? 30_000;
    if (this.cache && Date.now() - this.cache.at < ttl) return this.cache.images;
    this.inflight ??= this.scan()
      .then((images) => {
        this.cache = { at: Date.now(), images };
        return images;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private async scan(): Promise<CatalogImage[]> {
    const { client } = this.deps.proxmox();
    try {
      const nodes = (await client.nodes.list()).filter((n) => n.status === 'online').map((n) => n.node);
      const hasAgent = this.deps.proxmox().hostAgent !== null;
      const byId = new Map<string, CatalogImage>();
      await Promise.all(
        nodes.map(async (node) => {
          const storages = await client.node(node).storage.list({ enabled: true });
          for (const s of storages) {
            const content = String(s.content ?? '').split(',');
            for (const c of CONTENTS) {
              if (!content.includes(c)) continue;
              const items = await client.node(node).storageOf(s.storage).content({ content: c });
              for (const item of items) {
                const kind = kindOfContent(c, item.volid);
                if (!kind) continue;
                const existing = byId.get(item.volid);
                if (existing) {
                  if (!existing.nodes.includes(node)) existing.nodes.push(node);
                  continue;
                }
                const name = fileNameOf(item.volid);
                const info = parseImageName(name, kind);
                const note = notLaunchableReason(c, kind, name, {
                  hostAgent: hasAgent,
                  importContent: content.includes('import'),
                });
                byId.set(item.volid, {
                  id: item.volid,
                  name,
                  kind,
                  instanceType: kind === 'lxc-template' ? 'lxc' : 'vm',
                  launchable: note === null,
                  note,
                  ...info,
                  format: item.format ?? null,
                  sizeBytes: Number(item.size ?? 0),
                  storage: s.storage,
                  nodes: [node],
                });
              }
            }
          }
        }),
      );
      const order: Record<ImageKind, number> = { 'cloud-image': 0, 'lxc-template': 1, iso: 2 };
      return [...byId.values()]
        .map((i) => ({ ...i, nodes: i.nodes.sort() }))
        .sort(
          (a, b) => order[a.kind] - order[b.kind] || a.os.localeCompare(b.os) || a.name.localeCompare(b.name),
        );
    } catch (e) {
      throw apiErrorOf(e);
    }
  }

  async list(actor: Actor, filter: CatalogFilter, page: Page): Promise<ListResult<CatalogImage>> {
    authorize(actor, 'catalog', 'read');
    const q = filter.q?.toLowerCase();
    const all = (await this.images()).filter(
      (i) =>
        (!filter.kind || i.kind === filter.kind) &&
        (!filter.type || i.instanceType === filter.type) &&
        (!filter.os || i.os === filter.os.toLowerCase()) &&
        (!q || i.name.toLowerCase().includes(q) || `${i.os} ${i.version ?? ''}`.includes(q)),
    );
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, ...page };
  }

  /**
   * A launch source by volid, file name, or `<os>-<version>` alias (`debian-12`, `ubuntu-22.04`: the
   * newest launchable image of that OS whose version is or starts with it, for `type`); 422 when unknown
   * or not launchable as `type`.
   */
  async resolve(template: string, type: 'vm' | 'lxc'): Promise<CatalogImage> {
    const images = await this.images();
    const matches = images.filter((i) => i.id === template || i.name === template);
    // by file name, prefer the copy that can be launched as `type` (the same .img may be in iso and import)
    let image =
      matches.find((i) => i.id === template) ??
      matches.find((i) => i.launchable && i.instanceType === type && !isoCloudImage(i)) ??
      matches.find((i) => i.launchable && i.instanceType === type) ??
      matches[0] ??
      byAlias(images, template, type);
    // a cloud image in ISO storage whose import twin already exists: use the twin
    if (image && isoCloudImage(image)) {
      const twin = images.find((i) => i.id === `${image!.storage}:import/${image!.name}` && i.launchable);
      if (twin) image = twin;
    }
    if (!image) {
      throw new UnprocessableError(
        `Template '${template}' is not in the catalog (GET /api/v1/catalog lists what can be launched)`,
        { field: 'template' },
        'unknown_template',
      );
    }
    if (!image.launchable) {
      throw new UnprocessableError(
        `Template '${template}' cannot be launched: ${image.note ?? 'not launchable'}`,
        { field: 'template' },
        'template_not_launchable',
      );
    }
    if (image.instanceType !== type) {
      const what = image.kind === 'iso' ? 'an installer ISO' : `a ${image.kind}`;
      throw new UnprocessableError(
        `Template '${template}' is ${what} for ${image.instanceType} instances, not a ${type} template`,
        { field: 'template' },
        'template_mismatch',
      );
    }
    return image;
  }

  // ---- instance types ----

  async listTypes(actor: Actor): Promise<InstanceType[]> {
    authorize(actor, 'instance_types', 'read');
    return (await this.deps.repo.listTypes()).map(toInstanceType);
  }

  async getType(name: string): Promise<InstanceType | null> {
    const row = await this.deps.repo.findType(name);
    return row ? toInstanceType(row) : null;
  }

  async createType(
    ctx: AuthenticatedContext,
    input: { name: string; description?: string; vcpu: number; memory: number; sizeGib: number },
  ): Promise<InstanceType> {
    authorize(ctx.actor, 'instance_types', 'create');
    if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only admins manage instance types');
    const row: InstanceTypeRow = {
      name: input.name,
      description: input.description ?? '',
      vcpu: input.vcpu,
      memory_mib: input.memory,
      disk_gb: input.sizeGib,
      builtin: 0,
      created_at: iso(this.deps.clock.now()),
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      if (await repo.findType(input.name))
        throw new ConflictError(`Instance type '${input.name}' already exists`);
      await repo.insertType(row);
      await this.deps.audit.record(
        ctx,
        {
          action: 'instance_types.create',
          resourceType: 'instance_type',
          resourceId: input.name,
          details: { ...input },
        },
        trx,
      );
    });
    ctx.resourceId = input.name;
    return toInstanceType(row);
  }

  async deleteType(ctx: AuthenticatedContext, name: string): Promise<void> {
    authorize(ctx.actor, 'instance_types', 'delete');
    if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only admins manage instance types');
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      const repo = this.deps.repo.with(trx);
      const row = await repo.findType(name);
      if (!row) throw new NotFoundError('Instance type', name);
      if (Number(row.builtin) === 1)
        throw new ConflictError(`'${name}' is a built-in instance type and cannot be deleted`);
      await repo.deleteType(name);
      await this.deps.audit.record(
        ctx,
        { action: 'instance_types.delete', resourceType: 'instance_type', resourceId: name },
        trx,
      );
    });
  }
}

/** A disk image found in ISO storage (launched through a hard link into the import directory). */
export function isoCloudImage(i: CatalogImage): boolean {
  return i.kind === 'cloud-image' && i.id.startsWith(`${i.storage}:iso/`);
}

/** `debian-12` → the newest launchable debian 12.x cloud image or template for `type` (numeric version order; never an ISO). */
function byAlias(images: CatalogImage[], template: string, type: 'vm' | 'lxc'): CatalogImage | undefined {
  const m = /^([a-z][a-z0-9]*)-(\d+(?:\.\d+)*)$/.exec(template.toLowerCase());
  if (!m) return undefined;
  const [, os, version] = m as unknown as [string, string, string];
  return images
    .filter(
      (i) =>
        i.launchable &&
        i.kind !== 'iso' && // an alias means a ready system, never an installer
        i.instanceType === type &&
        i.os === os &&
        i.version !== null &&
        i.version !== undefined &&
        (i.version === version || i.version.startsWith(`${version}.`)),
    )
    .sort((a, b) => (b.version ?? '').localeCompare(a.version ?? '', 'en', { numeric: true }))[0];
}
