/**
 * alarms: metric thresholds on an instance, node, volume or bucket that notify channels. What is
 * watched (resourceType, resourceId, metric) replaces the alarm; the rest changes in place.
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type Alarm = components['schemas']['Alarm'];

const observe = (a: Alarm): Observed => ({
  id: a.id,
  spec: {
    name: a.name,
    resourceType: a.resourceType,
    resourceId: a.resourceId,
    metric: a.metric,
    comparison: a.comparison,
    threshold: a.threshold,
    durationSeconds: a.durationSeconds,
    channelIds: a.channelIds,
  },
  outputs: { id: a.id, state: a.state, unit: a.unit },
});

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/alarms', { params: { query: { limit: PAGE, offset } } }),
    'list alarms',
  );

const mutable = (spec: Spec) => ({
  name: spec.name,
  comparison: spec.comparison,
  threshold: spec.threshold,
  durationSeconds: spec.durationSeconds,
  channelIds: (spec.channelIds as string[] | undefined) ?? [],
});

export const alarmsProvider: Provider = {
  kind: 'alarms',
  description: 'metric alarms that notify channels',
  schema: KIND_SCHEMAS.alarms as Record<string, unknown>,
  forceNew: ['resourceType', 'resourceId', 'metric'],
  outputs: ['id', 'state', 'unit'],
  ...readsFromList(list, observe),
  async create(ctx, spec, meta) {
    const body = {
      ...mutable(spec),
      resourceType: spec.resourceType,
      resourceId: spec.resourceId,
      metric: spec.metric,
    };
    const a = await ok(ctx.api.POST('/api/v1/alarms', { body: body as never }), `create alarm ${spec.name}`);
    meta.onId(a.id);
    return observe(a);
  },
  async update(ctx, id, spec) {
    const a = await ok(
      ctx.api.PUT('/api/v1/alarms/{id}', { params: { path: { id } }, body: mutable(spec) as never }),
      `update alarm ${spec.name}`,
    );
    return observe(a);
  },
  async delete(ctx, id) {
    await okOrGone(ctx.api.DELETE('/api/v1/alarms/{id}', { params: { path: { id } } }), `delete alarm ${id}`);
  },
};
