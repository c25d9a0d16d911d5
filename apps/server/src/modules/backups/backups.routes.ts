import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses, ListOf, NoContent, page } from '../../platform/http/schemas.ts';
import type { RunStatus } from './backups.repository.ts';
import type { BackupRestores } from './backups.restore.ts';
import type { BackupRunsService } from './backups.runs.ts';
import {
  BackupNowBody,
  CreatePolicyBody,
  PointIdParams,
  PointListQuery,
  PolicyIdParams,
  PolicyListQuery,
  PolicySchema,
  RecoveryPointSchema,
  ResourceIdParams,
  RestoreAcceptedSchema,
  RestoreBody,
  RetentionPreviewBody,
  RetentionPreviewSchema,
  RetentionSchema,
  RunAcceptedSchema,
  RunIdParams,
  RunListQuery,
  RunSchema,
  RunSummarySchema,
  SchedulePreviewQuery,
  SchedulePreviewSchema,
  TargetOutcomeSchema,
  TargetSchema,
  UpdatePolicyBody,
} from './backups.schemas.ts';
import type { BackupsService, PolicyInput } from './backups.service.ts';

const tags = ['backups'];

export async function backupsRoutes(
  app: FastifyInstance,
  deps: {
    service: BackupsService;
    runs: BackupRunsService;
    restores: BackupRestores;
    deletePoint: (ctx: ReturnType<typeof authContext>, id: string) => Promise<void>;
  },
): Promise<void> {
  for (const s of [
    RetentionSchema,
    TargetSchema,
    RunSummarySchema,
    PolicySchema,
    TargetOutcomeSchema,
    RunSchema,
    RunAcceptedSchema,
    RecoveryPointSchema,
    RestoreAcceptedSchema,
    RetentionPreviewSchema,
    SchedulePreviewSchema,
  ])
    app.addSchema(s);
  const { service, runs, restores } = deps;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/backup-policies',
    {
      schema: {
        tags,
        operationId: 'listBackupPolicies',
        summary: 'Your backup policies with their next runs and last result (admins: all)',
        querystring: PolicyListQuery,
        response: { 200: ListOf(Type.Ref(PolicySchema)), ...errorResponses() },
      },
    },
    async (request) => service.listPolicies(authContext(request).actor, page(request.query)),
  );

  r.post(
    '/backup-policies',
    {
      config: { audit: { action: 'backups.policy.create', resourceType: 'backup_policy' } },
      schema: {
        tags,
        operationId: 'createBackupPolicy',
        summary: 'Create a backup policy: schedule (preset or cron + time zone), targets, retention',
        body: CreatePolicyBody,
        response: { 201: Type.Ref(PolicySchema), ...errorResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createPolicy(authContext(request), request.body as PolicyInput)),
  );

  r.get(
    '/backup-policies/schedule-preview',
    {
      schema: {
        tags,
        operationId: 'previewBackupSchedule',
        summary: 'A schedule in words and its next 5 runs (for the policy editor)',
        querystring: SchedulePreviewQuery,
        response: { 200: Type.Ref(SchedulePreviewSchema), ...errorResponses() },
      },
    },
    async (request) => service.previewSchedule(request.query.schedule, request.query.timezone),
  );

  r.post(
    '/backup-policies/retention-preview',
    {
      schema: {
        tags,
        operationId: 'previewBackupRetention',
        summary: 'Which current recovery points a retention setting would keep',
        body: RetentionPreviewBody,
        response: { 200: Type.Ref(RetentionPreviewSchema), ...errorResponses(404) },
      },
    },
    async (request) =>
      service.previewRetention(
        authContext(request).actor,
        request.body as Parameters<BackupsService['previewRetention']>[1],
      ),
  );

  r.get(
    '/backup-policies/:id',
    {
      schema: {
        tags,
        operationId: 'getBackupPolicy',
        summary: 'One backup policy',
        params: PolicyIdParams,
        response: { 200: Type.Ref(PolicySchema), ...errorResponses(404) },
      },
    },
    async (request) => service.getPolicy(authContext(request).actor, request.params.id),
  );

  r.put(
    '/backup-policies/:id',
    {
      config: {
        audit: { action: 'backups.policy.update', resourceType: 'backup_policy', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'updateBackupPolicy',
        summary: 'Replace a backup policy (the schedule is recomputed)',
        params: PolicyIdParams,
        body: UpdatePolicyBody,
        response: { 200: Type.Ref(PolicySchema), ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      service.updatePolicy(authContext(request), request.params.id, request.body as PolicyInput),
  );

  r.delete(
    '/backup-policies/:id',
    {
      config: {
        audit: { action: 'backups.policy.delete', resourceType: 'backup_policy', resourceIdParam: 'id' },
      },
      schema: {
        tags,
        operationId: 'deleteBackupPolicy',
        summary: 'Delete a backup policy (its recovery points are kept)',
        params: PolicyIdParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await service.deletePolicy(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/backup-policies/:id/run',
    {
      config: { audit: { action: 'backups.run', resourceType: 'backup_run' } },
      schema: {
        tags,
        operationId: 'runBackupPolicy',
        summary: 'Run a policy now (202: the run and its operation)',
        params: PolicyIdParams,
        response: { 202: Type.Ref(RunAcceptedSchema), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await runs.runPolicy(authContext(request), request.params.id)),
  );

  r.get(
    '/backup-runs',
    {
      schema: {
        tags,
        operationId: 'listBackupRuns',
        summary: 'Backup runs, newest first',
        querystring: RunListQuery,
        response: { 200: ListOf(Type.Ref(RunSchema)), ...errorResponses(404) },
      },
    },
    async (request) =>
      runs.listRuns(
        authContext(request).actor,
        { policyId: request.query.policyId, status: request.query.status as RunStatus | undefined },
        page(request.query),
      ),
  );

  r.get(
    '/backup-runs/:id',
    {
      schema: {
        tags,
        operationId: 'getBackupRun',
        summary: 'One run: per-target outcome, size, task log excerpt, what retention removed',
        params: RunIdParams,
        response: { 200: Type.Ref(RunSchema), ...errorResponses(404) },
      },
    },
    async (request) => runs.getRun(authContext(request).actor, request.params.id),
  );

  r.get(
    '/recovery-points',
    {
      schema: {
        tags,
        operationId: 'listRecoveryPoints',
        summary: 'Recovery points (backups you can restore), newest first',
        querystring: PointListQuery,
        response: { 200: ListOf(Type.Ref(RecoveryPointSchema)), ...errorResponses() },
      },
    },
    async (request) =>
      service.listPoints(
        authContext(request).actor,
        {
          instanceId: request.query.instanceId,
          volumeId: request.query.volumeId,
          policyId: request.query.policyId,
        },
        page(request.query),
      ),
  );

  r.get(
    '/recovery-points/:id',
    {
      schema: {
        tags,
        operationId: 'getRecoveryPoint',
        summary: 'One recovery point (with the backed-up configuration)',
        params: PointIdParams,
        response: { 200: Type.Ref(RecoveryPointSchema), ...errorResponses(404) },
      },
    },
    async (request) => service.getPoint(authContext(request).actor, request.params.id),
  );

  r.delete(
    '/recovery-points/:id',
    {
      config: {
        audit: {
          action: 'backups.recovery_point.delete',
          resourceType: 'recovery_point',
          resourceIdParam: 'id',
        },
      },
      schema: {
        tags,
        operationId: 'deleteRecoveryPoint',
        summary: 'Delete a recovery point (its archive or snapshot)',
        params: PointIdParams,
        response: { 204: NoContent, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await deps.deletePoint(authContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/recovery-points/:id/restore',
    {
      config: { audit: { action: 'backups.restore', resourceType: 'recovery_point', resourceIdParam: 'id' } },
      schema: {
        tags,
        operationId: 'restoreRecoveryPoint',
        summary: 'Restore to a new instance/volume (default) or over the original (typed confirmation)',
        params: PointIdParams,
        body: RestoreBody,
        response: { 202: Type.Ref(RestoreAcceptedSchema), ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await restores.restore(authContext(request), request.params.id, request.body)),
  );

  r.post(
    '/instances/:id/backup',
    {
      config: { audit: { action: 'backups.run', resourceType: 'backup_run' } },
      schema: {
        tags,
        operationId: 'backupInstance',
        summary: 'Back up an instance now (vzdump, zstd)',
        params: ResourceIdParams,
        body: Type.Optional(BackupNowBody),
        response: { 202: Type.Ref(RunAcceptedSchema), ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await runs.backupResource(authContext(request), 'instance', request.params.id, request.body ?? {}),
        ),
  );

  r.post(
    '/volumes/:id/backup',
    {
      config: { audit: { action: 'backups.run', resourceType: 'backup_run' } },
      schema: {
        tags,
        operationId: 'backupVolume',
        summary: 'Back up a volume now (ZFS snapshot)',
        params: ResourceIdParams,
        body: Type.Optional(BackupNowBody),
        response: { 202: Type.Ref(RunAcceptedSchema), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await runs.backupResource(authContext(request), 'volume', request.params.id, request.body ?? {}),
        ),
  );
}
