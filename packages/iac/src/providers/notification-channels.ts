/**
 * notificationChannels: where alarms and backup policies send notifications (email, webhook, push).
 * The type replaces the channel; name, enabled and the settings change in place. Signing secrets
 * and push tokens are not in the file (a webhook gets a generated secret; set a token in the console).
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type Channel = components['schemas']['NotificationChannel'];

function observe(c: Channel): Observed {
  const spec: Spec = { name: c.name, type: c.type, enabled: c.enabled };
  if (c.config.url !== undefined) spec.url = c.config.url;
  if (c.config.to !== undefined) spec.to = c.config.to;
  if (c.config.format !== undefined) spec.format = c.config.format;
  return { id: c.id, spec, outputs: { id: c.id, hasSecret: c.hasSecret } };
}

function config(spec: Spec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['url', 'to', 'format']) if (spec[k] !== undefined && spec[k] !== null) out[k] = spec[k];
  return out;
}

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/notification-channels', { params: { query: { limit: PAGE, offset } } }),
    'list notification channels',
  );

export const notificationChannelsProvider: Provider = {
  kind: 'notificationChannels',
  description: 'notification channels: email, webhook or push',
  schema: KIND_SCHEMAS.notificationChannels as Record<string, unknown>,
  forceNew: ['type'],
  outputs: ['id', 'hasSecret'],
  ...readsFromList(list, observe),
  async create(ctx, spec, meta) {
    const body: Record<string, unknown> = { name: spec.name, type: spec.type, config: config(spec) };
    if (typeof spec.enabled === 'boolean') body.enabled = spec.enabled;
    const c = await ok(
      ctx.api.POST('/api/v1/notification-channels', { body: body as never }),
      `create notification channel ${spec.name}`,
    );
    meta.onId(c.id);
    return observe(c as Channel);
  },
  async update(ctx, id, spec) {
    const body = { name: spec.name, enabled: spec.enabled !== false, config: config(spec) };
    const c = await ok(
      ctx.api.PUT('/api/v1/notification-channels/{id}', { params: { path: { id } }, body: body as never }),
      `update notification channel ${spec.name}`,
    );
    return observe(c);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/notification-channels/{id}', { params: { path: { id } } }),
      `delete notification channel ${id}`,
    );
  },
};
