/**
 * backupPolicies: scheduled backups of instances, volumes or tagged instances. Every field changes
 * in place (the API replaces a policy with PUT); deleting a policy keeps its recovery points.
 * Targets reference other resources: `{instanceId: ${instances.web.id}}`, `{volumeId: …}`, `{tag: …}`.
 */
import type { components } from '@proxicloud/sdk';
import { KIND_SCHEMAS } from '../kinds.ts';
import type { Json, Observed, Spec } from '../model.ts';
import type { Provider, ProviderContext } from '../provider.ts';
import { listAll, ok, okOrGone, PAGE, readsFromList } from './common.ts';

type Policy = components['schemas']['BackupPolicy'];

/** Fields sent to the API as they are in the file. */
const FIELDS = [
  'name',
  'schedule',
  'timezone',
  'targets',
  'mode',
  'storage',
  'retention',
  'enabled',
  'missedRunPolicy',
  'notifyChannelIds',
  'notifyOn',
  'zfsSend',
] as const;

/** retention without unset keys, so `{keepDaily: 7}` in the file equals what the API answers */
function cleanRetention(r: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (r && typeof r === 'object')
    for (const [k, v] of Object.entries(r as Record<string, unknown>)) if (typeof v === 'number') out[k] = v;
  return out;
}

function observe(p: Policy): Observed {
  return {
    id: p.id,
    spec: {
      name: p.name,
      schedule: p.schedule,
      timezone: p.timezone,
      targets: p.targets as unknown as Json,
      mode: p.mode,
      storage: p.storage,
      retention: cleanRetention(p.retention),
      enabled: p.enabled,
      missedRunPolicy: p.missedRunPolicy,
      notifyChannelIds: p.notifyChannelIds,
      notifyOn: p.notifyOn,
      zfsSend: p.zfsSend,
    },
    outputs: {
      id: p.id,
      cron: p.cron,
      nextRun: p.nextRuns[0] ?? null,
      scheduleDescription: p.scheduleDescription,
    },
  };
}

function body(spec: Spec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (spec[k] !== undefined && spec[k] !== null) out[k] = spec[k];
  out.retention = cleanRetention(spec.retention);
  return out;
}

const list = (ctx: ProviderContext) =>
  listAll(
    (offset) => ctx.api.GET('/api/v1/backup-policies', { params: { query: { limit: PAGE, offset } } }),
    'list backup policies',
  );

export const backupPoliciesProvider: Provider = {
  kind: 'backupPolicies',
  description: 'scheduled backups of instances and volumes with retention',
  schema: KIND_SCHEMAS.backupPolicies as Record<string, unknown>,
  forceNew: [],
  outputs: ['id', 'cron', 'nextRun', 'scheduleDescription'],
  normalize(spec) {
    return spec.retention === undefined ? spec : { ...spec, retention: cleanRetention(spec.retention) };
  },
  ...readsFromList(list, observe),
  async create(ctx, spec, meta) {
    const p = await ok(
      ctx.api.POST('/api/v1/backup-policies', { body: body(spec) as never }),
      `create backup policy ${spec.name}`,
    );
    meta.onId(p.id);
    return observe(p);
  },
  async update(ctx, id, spec) {
    const p = await ok(
      ctx.api.PUT('/api/v1/backup-policies/{id}', { params: { path: { id } }, body: body(spec) as never }),
      `update backup policy ${spec.name}`,
    );
    return observe(p);
  },
  async delete(ctx, id) {
    await okOrGone(
      ctx.api.DELETE('/api/v1/backup-policies/{id}', { params: { path: { id } } }),
      `delete backup policy ${id}`,
    );
  },
};
