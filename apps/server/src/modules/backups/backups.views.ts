/** Rows → API views (camelCase, parsed JSON). */
import type { PruneOptions } from '@proxicloud/pve-schema';
import type { PointRow, PolicyRow, RunRow } from './backups.repository.ts';
import type { TargetOutcome } from './backups.runner.ts';
import type { PolicyTarget } from './backups.service.ts';

export interface RunSummary {
  id: string;
  status: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface Policy {
  id: string;
  ownerId: string;
  name: string;
  schedule: string;
  cron: string;
  timezone: string;
  scheduleDescription: string;
  nextRuns: string[];
  targets: PolicyTarget[];
  mode: 'snapshot' | 'suspend' | 'stop';
  storage: string;
  retention: PruneOptions;
  enabled: boolean;
  missedRunPolicy: 'run_once' | 'skip';
  notifyChannelIds: string[];
  notifyOn: ('failure' | 'success' | 'missed')[];
  zfsSend: boolean;
  lastRun: RunSummary | null;
  createdAt: string;
  updatedAt: string;
}

export function toPolicy(
  r: PolicyRow,
  extra: { description: string; nextRuns: string[]; lastRun: RunRow | null; defaultStorage: string },
): Policy {
  return {
    id: r.id,
    ownerId: r.owner_id,
    name: r.name,
    schedule: r.schedule,
    cron: r.cron,
    timezone: r.timezone,
    scheduleDescription: extra.description,
    nextRuns: extra.nextRuns,
    targets: JSON.parse(r.targets),
    mode: r.mode,
    storage: r.storage ?? extra.defaultStorage,
    retention: JSON.parse(r.retention),
    enabled: r.enabled === 1,
    missedRunPolicy: r.missed_run_policy,
    notifyChannelIds: JSON.parse(r.notify_channel_ids),
    notifyOn: JSON.parse(r.notify_on),
    zfsSend: r.zfs_send === 1,
    lastRun: extra.lastRun
      ? {
          id: extra.lastRun.id,
          status: extra.lastRun.status,
          createdAt: extra.lastRun.created_at,
          finishedAt: extra.lastRun.finished_at,
        }
      : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface Run {
  id: string;
  ownerId: string;
  policyId: string | null;
  policyName: string | null;
  trigger: RunRow['trigger'];
  status: RunRow['status'];
  scheduledFor: string | null;
  operationId: string | null;
  targets: TargetOutcome[];
  prunedRecoveryPointIds: string[];
  sizeBytes: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export function toRun(r: RunRow): Run {
  const outcomes = JSON.parse(r.outcomes) as TargetOutcome[];
  const targets = JSON.parse(r.targets) as { type: 'instance' | 'volume'; id: string; name: string }[];
  return {
    id: r.id,
    ownerId: r.owner_id,
    policyId: r.policy_id,
    policyName: r.policy_name,
    trigger: r.trigger,
    status: r.status,
    scheduledFor: r.scheduled_for,
    operationId: r.operation_id,
    targets:
      outcomes.length > 0
        ? outcomes
        : targets.map((t) => ({
            resourceType: t.type,
            resourceId: t.id,
            resourceName: t.name,
            node: null,
            status: r.status === 'skipped' ? 'skipped' : 'pending',
            sizeBytes: null,
            recoveryPointId: null,
            upid: null,
            log: [],
            error: null,
            startedAt: null,
            finishedAt: null,
          })),
    prunedRecoveryPointIds: JSON.parse(r.pruned),
    sizeBytes: Number(r.size_bytes),
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.started_at && r.finished_at ? Date.parse(r.finished_at) - Date.parse(r.started_at) : null,
  };
}

export interface RecoveryPoint {
  id: string;
  ownerId: string;
  policyId: string | null;
  runId: string | null;
  resourceType: 'instance' | 'volume';
  resourceId: string;
  resourceName: string;
  node: string;
  storage: string;
  volid: string | null;
  snapshotId: string | null;
  copyRef: string | null;
  guestType: string | null;
  vmid: number | null;
  mode: string | null;
  sizeBytes: number;
  config: Record<string, string> | null;
  restoring: boolean;
  createdAt: string;
}

export function toPoint(r: PointRow): RecoveryPoint {
  return {
    id: r.id,
    ownerId: r.owner_id,
    policyId: r.policy_id,
    runId: r.run_id,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    node: r.node,
    storage: r.storage,
    volid: r.volid,
    snapshotId: r.snapshot_id,
    copyRef: r.copy_ref,
    guestType: r.guest_type,
    vmid: r.vmid === null ? null : Number(r.vmid),
    mode: r.mode,
    sizeBytes: Number(r.size_bytes),
    config: r.config ? JSON.parse(r.config) : null,
    restoring: r.active_operation_id !== null,
    createdAt: r.created_at,
  };
}
