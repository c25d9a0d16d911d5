/**
 * Apps: deploy (checked up front, then one `app.deploy` operation), list/get/logs, update and
 * removal requests. The work itself is in apps.operations.ts.
 */
import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../platform/clock.ts';
import { newId, type SecretBox } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import type { Tables } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesService } from '../instances/index.ts';
import type { OperationEngine, OperationView } from '../operations/index.ts';
import type { AppCatalog } from './apps.catalog.ts';
import { fill, resolveParams } from './apps.params.ts';
import type { AppRow, AppsRepository } from './apps.repository.ts';
import type { App, DeployAppInput } from './apps.schemas.ts';
import type { AppTemplate } from './apps.template.ts';

export const DEPLOY_STEPS = [
  { name: 'creating', title: 'Create the instance and volumes' },
  { name: 'installing', title: 'Install (setup script)' },
  { name: 'configuring', title: 'Configure' },
  { name: 'health-check', title: 'Health check' },
  { name: 'ready', title: 'Ready' },
];
export const UPDATE_STEPS = [
  { name: 'snapshot', title: 'Snapshot the volumes' },
  { name: 'updating', title: 'Run the update step' },
  { name: 'health-check', title: 'Health check' },
  { name: 'ready', title: 'Ready' },
];
export const DELETE_STEPS = [
  { name: 'terminate', title: 'Terminate the instance' },
  { name: 'volumes', title: 'Delete the volumes' },
  { name: 'forget', title: 'Remove the app' },
];

export interface DeployParams {
  appId: string;
  launchOperationId: string;
}
export interface UpdateParams {
  appId: string;
}
export interface DeleteParams {
  appId: string;
  deleteVolumes: boolean;
}

export interface AppsServiceDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  engine: OperationEngine;
  repo: AppsRepository;
  catalog: AppCatalog;
  instanceTypes: CatalogService;
  instances: InstancesService;
  proxmox: () => ProxmoxConnection;
  box: SecretBox;
}

const SECRET_MASK = '********';

export class AppsService {
  constructor(private readonly deps: AppsServiceDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  async view(row: AppRow): Promise<App> {
    const t = JSON.parse(row.template) as AppTemplate;
    const current = await this.deps.catalog.current(row.template_id);
    const secretKeys = t.parameters.filter((p) => p.type === 'secret').map((p) => p.key);
    const plain = JSON.parse(row.params) as Record<string, unknown>;
    const values = { ...plain, ip: row.ip, name: row.name };
    const params: Record<string, unknown> = { ...plain };
    for (const k of secretKeys) params[k] = SECRET_MASK;
    const err = row.error ? (JSON.parse(row.error) as App['error']) : null;
    return {
      id: row.id,
      name: row.name,
      templateId: row.template_id,
      templateName: t.name,
      version: row.template_version,
      latestVersion: current?.version ?? null,
      updateAvailable: !!current && current.version !== row.template_version,
      baseType: t.base.type,
      status: row.status,
      health: { status: row.health, detail: row.health_detail, checkedAt: row.health_checked_at },
      url: row.ip ? fill(t.url, values) : null,
      notes: row.ip ? fill(t.notes, values) : null,
      instanceId: row.instance_id,
      ip: row.ip,
      params,
      volumeIds: JSON.parse(row.volume_ids) as string[],
      error: err,
      activeOperationId: row.active_operation_id,
      ownerId: row.owner_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async publish(
    id: string,
    type: 'created' | 'updated' | 'deleted' = 'updated',
    ownerId?: string,
  ): Promise<void> {
    if (type === 'deleted') {
      if (ownerId)
        this.deps.bus.publish({
          type: 'app.deleted',
          resource: 'app',
          resourceId: id,
          ownerId,
          data: { id },
        });
      return;
    }
    const row = await this.deps.repo.find(id);
    if (!row) return;
    this.deps.bus.publish({
      type: `app.${type}`,
      resource: 'app',
      resourceId: id,
      ownerId: row.owner_id,
      data: await this.view(row),
    });
  }

  async list(actor: Actor, page: Page): Promise<ListResult<App>> {
    authorize(actor, 'apps', 'read');
    const { rows, total } = await this.deps.repo.list(actor, page);
    return { items: await Promise.all(rows.map((r) => this.view(r))), total, ...page };
  }

  async scoped(actor: Actor, id: string): Promise<AppRow> {
    const row = await this.deps.repo.findScoped(actor, id);
    if (!row) throw new NotFoundError('App', id);
    return row;
  }

  async get(actor: Actor, id: string): Promise<App> {
    authorize(actor, 'apps', 'read');
    return this.view(await this.scoped(actor, id));
  }

  async logs(actor: Actor, id: string, after = 0, limit = 1000) {
    authorize(actor, 'apps', 'read');
    await this.scoped(actor, id);
    const items = (await this.deps.repo.logs(id, after, limit)).map((l) => ({
      seq: Number(l.seq),
      step: l.step,
      stream: l.stream,
      line: l.line,
      at: l.at,
    }));
    return { items, next: items.at(-1)?.seq ?? after };
  }

  /** vcpu/memory/disk of a deploy: the template's minimums, raised by the request; never below them. */
  private async sizing(t: AppTemplate, it: DeployAppInput['instanceType']) {
    let want: { vcpu?: number; memoryMib?: number; diskGib?: number } = {};
    if (typeof it === 'string') {
      const type = await this.deps.instanceTypes.getType(it);
      if (!type)
        throw new UnprocessableError(
          `Unknown instance type '${it}'`,
          { field: 'instanceType' },
          'unknown_instance_type',
        );
      want = { vcpu: type.vcpu, memoryMib: type.memory, diskGib: type.sizeGib };
    } else if (it) want = it;
    const m = t.minimums;
    const below = (k: 'vcpu' | 'memoryMib' | 'diskGib', unit: string) => {
      if (want[k] !== undefined && want[k]! < m[k])
        throw new UnprocessableError(
          `${t.name} needs at least ${m[k]} ${unit} (${k}); asked for ${want[k]}`,
          { field: `instanceType.${k}`, minimum: m[k] },
          'below_minimum',
        );
    };
    below('vcpu', 'vCPU');
    below('memoryMib', 'MiB of memory');
    below('diskGib', 'GiB of root disk');
    return {
      vcpu: want.vcpu ?? m.vcpu,
      memory: want.memoryMib ?? m.memoryMib,
      sizeGib: want.diskGib ?? m.diskGib,
    };
  }

  async deploy(
    ctx: AuthenticatedContext,
    input: DeployAppInput,
  ): Promise<{ app: App; operation: OperationView }> {
    const { actor } = ctx;
    authorize(actor, 'apps', 'create');
    authorize(actor, 'instances', 'create');
    const { template: t } = await this.deps.catalog.get(actor, input.templateId);
    const params = resolveParams(t, input.params ?? {});
    const size = await this.sizing(t, input.instanceType);
    if (await this.deps.repo.findByName(actor.id, input.name))
      throw new ConflictError(
        `You already have an app named '${input.name}'`,
        { field: 'name' },
        'app_name_taken',
      );
    const pve = this.deps.proxmox();
    if (pve.mode === 'proxmox' && t.downloads.some((d) => d.sha256 === null))
      throw new UnprocessableError(
        `Template ${t.id} has downloads without a SHA-256 (run npm run apps:pin where the internet is reachable)`,
        { downloads: t.downloads.filter((d) => d.sha256 === null).map((d) => d.name) },
        'app_not_pinned',
      );
    if (t.base.type === 'lxc' && !pve.hostAgent?.appSetup)
      throw new UnprocessableError(
        'Container apps are set up through the SSH host agent (PROXMOX_SSH_*), which is not configured',
        undefined,
        'host_agent_required',
      );
    if (t.volumes.length > 0 && t.base.type === 'vm')
      throw new ValidationError('VM app templates cannot declare volumes yet', undefined, 'unsupported');
    const id = newId('app');
    const userData =
      t.base.type === 'vm' && t.setup.userData
        ? fill(t.setup.userData, { ...params.plain, name: input.name }) // no secrets (apps.validate.ts)
        : undefined;
    const launched = await this.deps.instances.launch(ctx, {
      name: input.name,
      type: t.base.type,
      template: t.base.image,
      vcpu: size.vcpu,
      memory: size.memory,
      sizeGib: size.sizeGib,
      tags: { app: t.id, 'app-id': id },
      ...(input.networkIds ? { networkIds: input.networkIds } : {}),
      ...(input.securityGroupIds ? { securityGroupIds: input.securityGroupIds } : {}),
      ...(userData ? { userData } : {}),
      ...(t.base.type === 'lxc' && t.base.features ? { lxcFeatures: t.base.features } : {}),
    });
    ctx.resourceId = id;
    const now = this.now();
    const operation = await this.deps.db.kysely.transaction().execute(async (trx: Kysely<Tables>) => {
      const repo = this.deps.repo.with(trx);
      const op = await this.deps.engine.enqueue<DeployParams>(trx, {
        action: 'app.deploy',
        ownerId: actor.id,
        resourceType: 'app',
        resourceId: id,
        params: { appId: id, launchOperationId: launched.operation.id },
        steps: DEPLOY_STEPS,
        requestId: ctx.requestId,
      });
      await repo.insert({
        id,
        owner_id: actor.id,
        name: input.name,
        template_id: t.id,
        template_version: t.version,
        template: JSON.stringify(t),
        instance_id: launched.instance.id,
        status: 'creating',
        health: 'unknown',
        health_detail: null,
        health_checked_at: null,
        ip: null,
        params: JSON.stringify(params.plain),
        sealed_secrets: Object.keys(params.secrets).length
          ? this.deps.box.seal(JSON.stringify(params.secrets), `app:${id}`)
          : null,
        volume_ids: '[]',
        error: null,
        active_operation_id: op.id,
        created_at: now,
        updated_at: now,
      });
      return op;
    });
    this.deps.engine.wake();
    await this.publish(id, 'created');
    return { app: await this.get(actor, id), operation };
  }

  private async act(
    ctx: AuthenticatedContext,
    id: string,
    action: 'app.update' | 'app.delete',
    status: 'updating' | 'deleting',
    params: UpdateParams | DeleteParams,
    steps: typeof DEPLOY_STEPS,
  ): Promise<{ app: App; operation: OperationView }> {
    const row = await this.scoped(ctx.actor, id);
    ctx.resourceId = id;
    const operation = await this.deps.db.kysely.transaction().execute(async (trx: Kysely<Tables>) => {
      const repo = this.deps.repo.with(trx);
      const fresh = await repo.find(id);
      if (!fresh) throw new NotFoundError('App', id);
      if (fresh.active_operation_id)
        throw new ConflictError(`App ${id} is busy (${fresh.status})`, { status: fresh.status }, 'app_busy');
      const op = await this.deps.engine.enqueue(trx, {
        action,
        ownerId: row.owner_id,
        resourceType: 'app',
        resourceId: id,
        params,
        steps,
        requestId: ctx.requestId,
      });
      await repo.patch(id, { status, active_operation_id: op.id, error: null, updated_at: this.now() });
      return op;
    });
    this.deps.engine.wake();
    await this.publish(id);
    return { app: await this.get(ctx.actor, id), operation };
  }

  async update(ctx: AuthenticatedContext, id: string): Promise<{ app: App; operation: OperationView }> {
    authorize(ctx.actor, 'apps', 'update');
    const row = await this.scoped(ctx.actor, id);
    const current = await this.deps.catalog.current(row.template_id);
    if (!current)
      throw new ConflictError(`Template ${row.template_id} no longer exists`, undefined, 'template_gone');
    if (current.version === row.template_version)
      throw new ConflictError(
        `${row.name} already runs ${current.name} ${current.version}`,
        undefined,
        'up_to_date',
      );
    if (current.base.type === 'vm')
      throw new ConflictError(
        `${row.name} is a VM app: cloud-init ran its setup at first boot and does not run again. Update it inside the VM (apt), or deploy ${current.name} ${current.version} anew`,
        { version: current.version },
        'update_unsupported',
      );
    if (!['ready', 'failed'].includes(row.status) || !row.instance_id)
      throw new ConflictError(`App ${id} is ${row.status}`, { status: row.status }, 'invalid_state');
    return this.act(ctx, id, 'app.update', 'updating', { appId: id }, UPDATE_STEPS);
  }

  async remove(
    ctx: AuthenticatedContext,
    id: string,
    opts: { confirm?: string; deleteVolumes?: boolean },
  ): Promise<{ app: App; operation: OperationView }> {
    authorize(ctx.actor, 'apps', 'delete');
    const row = await this.scoped(ctx.actor, id);
    if (opts.confirm !== row.id && opts.confirm !== row.name)
      throw new ValidationError(
        `Removing deletes the app's instance${opts.deleteVolumes ? ' and its volumes' : ''}. Confirm with ?confirm=${row.id} (or its name)`,
        { field: 'confirm' },
        'confirmation_required',
      );
    return this.act(
      ctx,
      id,
      'app.delete',
      'deleting',
      { appId: id, deleteVolumes: opts.deleteVolumes ?? false },
      DELETE_STEPS,
    );
  }

  /** Secret parameter values (for app.env), unsealed. */
  secretsOf(row: AppRow): Record<string, string> {
    return row.sealed_secrets
      ? (JSON.parse(this.deps.box.open(row.sealed_secrets, `app:${row.id}`)) as Record<string, string>)
      : {};
  }
}
