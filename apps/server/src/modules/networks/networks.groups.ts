/**
 * Security groups: named inbound/outbound rule sets. Stored here, compiled to a PVE cluster
 * security group (rules) plus a member IP set (the addresses of every attached instance's NICs,
 * which group-to-group rules name). Because guests reference the cluster group, one change
 * reaches every attached instance at once, without a restart. A change is written to the
 * database, then to Proxmox; if Proxmox refuses, the database change is undone and Proxmox
 * is put back to the previous rules.
 */
import { type Clock, iso } from '../../platform/clock.ts';
import { newId } from '../../platform/crypto.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Actor, ListResult, Page } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { AuthenticatedContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { Mutex } from '../../platform/mutex.ts';
import type { EventBus } from '../events/index.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesPort } from '../instances/index.ts';
import type { QuotasService } from '../quotas/index.ts';
import type { PveNetworking } from './networks.pve.ts';
import type { NetworksRepository, RuleRow, SecurityGroupRow } from './networks.repository.ts';
import { checkRule, findCycle, memberSet, type RuleInput } from './networks.rules.ts';
import type { FirewallSync } from './networks.sync.ts';
import { type SecurityGroup, toSecurityGroup } from './networks.views.ts';

export interface SecurityGroupInput {
  name: string;
  description?: string;
  rules?: RuleInput[];
}

export interface SecurityGroupsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  repo: NetworksRepository;
  instances: InstancesPort;
  pve: () => PveNetworking;
  sync: FirewallSync;
  quotas?: QuotasService;
}

export const MAX_RULES = 100;

/** Firewall changes of this process, one at a time (PVE rule positions are not transactional). */
export const firewallMutex = new Mutex();

export class SecurityGroupsService {
  constructor(private readonly deps: SecurityGroupsDeps) {}

  private now(): string {
    return iso(this.deps.clock.now());
  }

  async list(actor: Actor, q: string | undefined, page: Page): Promise<ListResult<SecurityGroup>> {
    authorize(actor, 'security_groups', 'read');
    const { rows, total } = await this.deps.repo.listGroups(actor, q, page);
    const rules = await this.deps.repo.rulesOf(rows.map((r) => r.id));
    return { items: rows.map((r) => toSecurityGroup(r, rules)), total, ...page };
  }

  async scoped(actor: Actor, id: string): Promise<SecurityGroupRow> {
    const row = await this.deps.repo.findGroupScoped(actor, id);
    if (!row) throw new NotFoundError('Security group', id);
    return row;
  }

  async get(actor: Actor, id: string): Promise<SecurityGroup & { instanceIds: string[] }> {
    authorize(actor, 'security_groups', 'read');
    const row = await this.scoped(actor, id);
    return {
      ...toSecurityGroup(row, await this.deps.repo.rulesOf([id])),
      instanceIds: await this.deps.repo.instancesOfGroup(id),
    };
  }

  /** Rules checked against the owner's groups (404 for unknown/foreign peers, 400 for loops). */
  private async checkRules(ownerId: string, groupId: string, rules: RuleInput[]): Promise<RuleRow[]> {
    if (rules.length > MAX_RULES)
      throw new ValidationError(`A security group holds at most ${MAX_RULES} rules`, { field: 'rules' });
    for (const [i, r] of rules.entries()) checkRule(r, i);
    const peers = [
      ...new Set(rules.flatMap((r) => (r.sourceSecurityGroupId ? [r.sourceSecurityGroupId] : []))),
    ];
    const owned = await this.deps.repo.groupsOwned(
      ownerId,
      peers.filter((p) => p !== groupId),
    );
    for (const p of peers)
      if (p !== groupId && !owned.some((o) => o.id === p)) throw new NotFoundError('Security group', p);
    const edges = await this.deps.repo.referenceEdges(ownerId);
    edges.set(groupId, peers);
    const cycle = findCycle(groupId, edges);
    if (cycle)
      throw new ValidationError(
        `Security group rules would reference each other in a loop: ${cycle.join(' → ')}`,
        { field: 'rules', cycle },
        'security_group_loop',
      );
    return rules.map((r, position) => ({
      id: newId('sgr'),
      group_id: groupId,
      position,
      direction: r.direction,
      protocol: r.protocol,
      from_port: r.fromPort ?? null,
      to_port: r.toPort ?? null,
      cidr: r.cidr ?? null,
      source_group_id: r.sourceSecurityGroupId ?? null,
      description: r.description ?? null,
    }));
  }

  async create(ctx: AuthenticatedContext, input: SecurityGroupInput): Promise<SecurityGroup> {
    authorize(ctx.actor, 'security_groups', 'create');
    const ownerId = ctx.actor.id;
    const id = newId('sg');
    const now = this.now();
    const row: SecurityGroupRow = {
      id,
      owner_id: ownerId,
      name: input.name,
      description: input.description ?? '',
      pve_group: `sg${id.slice(3, 17)}`,
      created_at: now,
      updated_at: now,
    };
    return firewallMutex.run(async () => {
      const rules = await this.checkRules(ownerId, id, input.rules ?? []);
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if ((await repo.groupsOfOwner(ownerId)).some((g) => g.name === input.name))
          throw new ConflictError(
            `You already have a security group named '${input.name}'`,
            { field: 'name' },
            'name_taken',
          );
        await this.deps.quotas?.assertWithin(trx, ownerId, { securityGroups: 1 });
        await repo.insertGroup(row);
        await repo.replaceRules(id, rules);
      });
      try {
        await this.deps.sync.syncGroup(row);
      } catch (e) {
        await this.deps.repo.deleteGroup(id);
        await this.removeFromPve(row).catch(() => undefined);
        throw e;
      }
      ctx.resourceId = id;
      const view = toSecurityGroup(row, rules);
      this.publish(view, 'created');
      return view;
    });
  }

  async update(
    ctx: AuthenticatedContext,
    id: string,
    input: Partial<SecurityGroupInput>,
  ): Promise<SecurityGroup> {
    authorize(ctx.actor, 'security_groups', 'update');
    const before = await this.scoped(ctx.actor, id);
    return firewallMutex.run(async () => {
      const oldRules = await this.deps.repo.rulesOf([id]);
      const rules =
        input.rules !== undefined ? await this.checkRules(before.owner_id, id, input.rules) : oldRules;
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        const repo = this.deps.repo.with(trx);
        if (
          input.name !== undefined &&
          input.name !== before.name &&
          (await repo.groupsOfOwner(before.owner_id)).some((g) => g.name === input.name)
        )
          throw new ConflictError(
            `You already have a security group named '${input.name}'`,
            { field: 'name' },
            'name_taken',
          );
        await repo.updateGroup(id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          updated_at: this.now(),
        });
        if (input.rules !== undefined) await repo.replaceRules(id, rules);
      });
      const after = (await this.deps.repo.findGroup(id))!;
      try {
        await this.deps.sync.syncGroup(after);
      } catch (e) {
        // put the database and Proxmox back to the previous rules
        await this.deps.db.kysely.transaction().execute(async (trx) => {
          const repo = this.deps.repo.with(trx);
          await repo.updateGroup(id, {
            name: before.name,
            description: before.description,
            updated_at: before.updated_at,
          });
          await repo.replaceRules(id, oldRules);
        });
        await this.deps.sync
          .syncGroup(before)
          .catch((err) =>
            this.deps.logger.warn(
              { err, securityGroup: id },
              'restoring the previous rules failed; the reconciler retries',
            ),
          );
        throw e;
      }
      const view = toSecurityGroup(after, rules);
      this.publish(view, 'updated');
      return view;
    });
  }

  async delete(ctx: AuthenticatedContext, id: string): Promise<void> {
    authorize(ctx.actor, 'security_groups', 'delete');
    const row = await this.scoped(ctx.actor, id);
    await firewallMutex.run(async () => {
      const attached = await this.deps.repo.instancesOfGroup(id);
      const live: string[] = [];
      for (const i of attached) {
        const inst = await this.deps.instances.find(i);
        if (inst && inst.status !== 'terminated') live.push(inst.name);
      }
      if (live.length)
        throw new ConflictError(
          `Security group '${row.name}' is attached to ${live.length} instance(s): ${live.join(', ')}`,
          { instanceIds: attached, instanceNames: live },
          'security_group_in_use',
        );
      const refs = (await this.deps.repo.referencing(id)).filter((g) => g !== id);
      if (refs.length) {
        const names = (await this.deps.repo.groupsByIds(refs)).map((g) => g.name);
        throw new ConflictError(
          `Security group '${row.name}' is referenced by the rules of: ${names.join(', ')}`,
          { securityGroupIds: refs },
          'security_group_referenced',
        );
      }
      await this.removeFromPve(row);
      await this.deps.repo.deleteGroup(id);
    });
    this.deps.bus.publish({
      type: 'security_group.deleted',
      resource: 'security_group',
      resourceId: id,
      ownerId: row.owner_id,
      data: { id },
    });
  }

  private async removeFromPve(row: SecurityGroupRow): Promise<void> {
    const pve = this.deps.pve();
    await pve.deleteGroup(row.pve_group);
    await pve.deleteIpset(memberSet(row.pve_group));
  }

  private publish(view: SecurityGroup, type: 'created' | 'updated'): void {
    this.deps.bus.publish({
      type: `security_group.${type}`,
      resource: 'security_group',
      resourceId: view.id,
      ownerId: view.ownerId,
      data: view,
    });
  }
}
