/** securityGroups: firewall rule sets (a PVE cluster security group each). Description and rules change in place. */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Json, Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type SecurityGroup = components['schemas']['SecurityGroup'];
const RULE_FIELDS = [
  'direction',
  'protocol',
  'fromPort',
  'toPort',
  'cidr',
  'sourceSecurityGroupId',
  'description',
];

/** a rule as the file writes it: no server id, fields in one order */
const rule = (r: Record<string, unknown>): Record<string, Json> => {
  const out: Record<string, Json> = {};
  for (const k of RULE_FIELDS) if (r[k] !== undefined && r[k] !== null) out[k] = r[k] as Json;
  return out;
};

const observe = (g: SecurityGroup): Observed => ({
  id: g.id,
  spec: {
    name: g.name,
    description: g.description,
    rules: g.rules.map((r) => rule(r as Record<string, unknown>)),
  },
  outputs: { id: g.id, pveGroup: g.pveGroup },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/security-groups', { params: { query: { limit: PAGE, offset } } }),
    'list security groups',
  );

const body = (spec: Spec) => ({
  name: String(spec.name),
  description: (spec.description as string | undefined) ?? '',
  rules: ((spec.rules as Record<string, unknown>[] | undefined) ?? []).map(rule),
});

export const securityGroupsProvider: Provider = {
  kind: 'securityGroups',
  description: 'firewall rule sets attached to instances',
  schema: KIND_SCHEMAS.securityGroups as Record<string, unknown>,
  forceNew: [],
  outputs: ['id', 'pveGroup'],
  normalize(spec) {
    const out = { ...spec };
    if (Array.isArray(out.rules)) out.rules = (out.rules as Record<string, unknown>[]).map(rule);
    return out;
  },
  ...readsFromList(list, observe),
  async create(ctx, spec, meta) {
    const g = await ok(
      ctx.api.POST('/api/v1/security-groups', { body: body(spec) as never }),
      `create security group ${spec.name}`,
    );
    meta.onId(g.id);
    return observe(g);
  },
  async update(ctx, id, spec) {
    const g = await ok(
      ctx.api.PUT('/api/v1/security-groups/{id}', { params: { path: { id } }, body: body(spec) as never }),
      `update security group ${spec.name}`,
    );
    return observe(g);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/security-groups/{id}', { params: { path: { id } } }),
      `delete security group ${id}`,
    );
  },
};
