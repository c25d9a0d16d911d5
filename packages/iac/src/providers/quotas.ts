/** quotas: per-user limits (administrators). The id is the user's id; "delete" resets to the default. */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Json, Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE } from './common.ts';

type Quota = components['schemas']['Quota'];
const LIMITS: [string, keyof Quota['limits']][] = [
  ['vcpu', 'vcpu'],
  ['memory', 'memory'],
  ['disk', 'diskGib'],
  ['instances', 'instances'],
  ['volumes', 'volumes'],
];

function observe(q: Quota): Observed {
  const spec: Spec = { name: String(q.username ?? q.userId) };
  for (const [field, key] of LIMITS) spec[field] = (q.limits[key] as Json) ?? null;
  return { id: q.userId, spec, outputs: { id: q.userId, source: String(q.source) } };
}

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/quotas', { params: { query: { limit: PAGE, offset } as never } }),
    'list quotas',
  );

async function userId(ctx: ProviderContext, name: string): Promise<string> {
  const users = await ok(
    ctx.api.GET('/api/v1/users', { params: { query: { q: name, limit: 100 } as never } }),
    `find user ${name}`,
  );
  const user = users.items.find((u) => u.username === name);
  if (!user) throw new Error(`quota: no user named ${name}`);
  return user.id;
}

async function put(ctx: ProviderContext, id: string, spec: Spec): Promise<Observed> {
  const body: Record<string, Json> = {};
  for (const [field, key] of LIMITS) body[key] = (spec[field] as Json | undefined) ?? null;
  return observe(
    await ok(
      ctx.api.PUT('/api/v1/quotas/{userId}', { params: { path: { userId: id } }, body: body as never }),
      `set quota of ${spec.name}`,
    ),
  );
}

export const quotasProvider: Provider = {
  kind: 'quotas',
  description: 'per-user limits (administrators)',
  schema: KIND_SCHEMAS.quotas as Record<string, unknown>,
  forceNew: ['name'],
  outputs: ['id', 'source'],
  normalize(spec) {
    const out = { ...spec };
    for (const [field] of LIMITS) if (out[field] === undefined) out[field] = null;
    return out;
  },
  async readAll(ctx, ids) {
    const want = new Set(ids);
    return new Map((await list(ctx)).filter((q) => want.has(q.userId)).map((q) => [q.userId, observe(q)]));
  },
  async create(ctx, spec, meta) {
    const id = await userId(ctx, String(spec.name));
    meta.onId(id);
    return put(ctx, id, spec);
  },
  async update(ctx, id, spec) {
    return put(ctx, id, spec);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/quotas/{userId}', { params: { path: { userId: id } } }),
      `reset quota ${id}`,
    );
  },
};
