/**
 * The `secretEnv` of one instance over HTTP:
 *  - `GET  /instances/{id}/secret-env`         the references (env name → secret name, version), never values;
 *  - `POST /instances/{id}/secret-env/refresh` re-inject the current versions into a RUNNING container now
 *    (`pct push`, the same path as at start). VMs get their secrets from cloud-init at boot, so they answer
 *    409 `refresh_not_supported` (reboot them instead); stopped containers answer 409 `invalid_state`
 *    (their file is written at the next start anyway). Audited as `secrets.inject` with the caller as actor.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Clock, iso } from '../../platform/clock.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { type AuthenticatedContext, authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { authorize } from '../iam/index.ts';
import type { InstancesRepository } from './instances.repository.ts';
import { InstanceIdParams } from './instances.schemas.ts';
import { GUEST_ENV_FILE, type InstanceSecretEnv } from './instances.secret-env.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const InstanceSecretEnvSchema = Type.Object(
  {
    instanceId: Type.String(),
    file: Type.String({
      description: 'Where the guest finds the values (root-only, systemd EnvironmentFile=)',
    }),
    refreshable: Type.Boolean({
      description: 'POST …/secret-env/refresh would work now (a running container)',
    }),
    secretEnv: Type.Array(
      Type.Object({
        envName: Type.String(),
        ref: Type.String({ description: 'As given at launch: a secret name or a shared secret id' }),
        secretId: Nullable(Type.String()),
        name: Nullable(Type.String()),
        version: Type.Union([Type.Integer(), Type.Null()], {
          description: 'Current version (injected next)',
        }),
        problem: Nullable(Type.String({ description: 'Why the reference does not resolve now' })),
      }),
    ),
  },
  { $id: 'InstanceSecretEnv' },
);

export const SecretEnvRefreshSchema = Type.Object(
  {
    instanceId: Type.String(),
    file: Type.String(),
    refreshedAt: Type.String({ format: 'date-time' }),
    injected: Type.Array(
      Type.Object({
        envName: Type.String(),
        secretId: Type.String(),
        name: Type.String(),
        version: Type.Integer(),
      }),
    ),
  },
  { $id: 'SecretEnvRefresh' },
);

export class InstanceSecretEnvApi {
  constructor(
    private readonly deps: { repo: InstancesRepository; secretEnv: InstanceSecretEnv; clock: Clock },
  ) {}

  private async row(ctx: AuthenticatedContext, id: string) {
    const row = await this.deps.repo.findScoped(ctx.actor, id);
    if (!row || row.status === 'terminated') throw new NotFoundError('Instance', id);
    return row;
  }

  async show(ctx: AuthenticatedContext, id: string) {
    authorize(ctx.actor, 'instances', 'read');
    const row = await this.row(ctx, id);
    const secretEnv = await this.deps.secretEnv.describe(row);
    return {
      instanceId: row.id,
      file: GUEST_ENV_FILE,
      refreshable:
        row.type === 'lxc' && row.status === 'running' && !row.active_operation_id && secretEnv.length > 0,
      secretEnv,
    };
  }

  async refresh(ctx: AuthenticatedContext, id: string) {
    authorize(ctx.actor, 'instances', 'update');
    const row = await this.row(ctx, id);
    if (row.type === 'vm')
      throw new ConflictError(
        `Instance ${id} is a VM: its secrets reach the guest through cloud-init at boot, so they cannot be ` +
          'refreshed while it runs. Reboot it to apply the current versions.',
        { type: row.type },
        'refresh_not_supported',
      );
    if (row.active_operation_id)
      throw new ConflictError(
        `Instance ${id} is busy (operation ${row.active_operation_id}); try again when it finishes`,
        { operationId: row.active_operation_id },
        'instance_busy',
      );
    if (row.status !== 'running' || row.vmid === null || !row.node)
      throw new ConflictError(
        `Container ${id} is ${row.status}: secrets can only be pushed into a running container. ` +
          'The current versions are written when it starts.',
        { status: row.status },
        'invalid_state',
      );
    if (!(await this.deps.secretEnv.hasRefs(row)))
      throw new ConflictError(
        `Instance ${id} has no secretEnv: there is nothing to refresh`,
        undefined,
        'no_secret_env',
      );
    const injected = await this.deps.secretEnv.pushNow(row, ctx);
    return {
      instanceId: row.id,
      file: GUEST_ENV_FILE,
      refreshedAt: iso(this.deps.clock.now()),
      injected: injected.map((i) => ({
        envName: i.envName,
        secretId: i.secretId,
        name: i.name,
        version: i.version,
      })),
    };
  }
}

export async function instanceSecretEnvRoutes(
  app: FastifyInstance,
  api: InstanceSecretEnvApi,
): Promise<void> {
  app.addSchema(InstanceSecretEnvSchema);
  app.addSchema(SecretEnvRefreshSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/instances/:id/secret-env',
    {
      schema: {
        tags: ['instances'],
        operationId: 'getInstanceSecretEnv',
        summary: "The instance's secretEnv: env name → secret name and current version (never values)",
        params: InstanceIdParams,
        response: { 200: Type.Ref(InstanceSecretEnvSchema), ...errorResponses(404) },
      },
    },
    async (request) => api.show(authContext(request), request.params.id),
  );

  r.post(
    '/instances/:id/secret-env/refresh',
    {
      config: { audit: { action: 'secrets.inject', resourceType: 'instance', resourceIdParam: 'id' } },
      schema: {
        tags: ['instances'],
        operationId: 'refreshInstanceSecretEnv',
        summary: 'Re-inject the current secret versions into a running container now',
        description:
          `Rewrites ${GUEST_ENV_FILE} in the container (pct push, 0600 root). Services read it again when ` +
          'they restart. 409 refresh_not_supported for VMs (reboot them: cloud-init writes the file at boot), ' +
          '409 invalid_state for a container that is not running, 409 no_secret_env, 409 instance_busy.',
        params: InstanceIdParams,
        response: { 200: Type.Ref(SecretEnvRefreshSchema), ...errorResponses(404, 409, 422, 502, 503) },
      },
    },
    async (request) => api.refresh(authContext(request), request.params.id),
  );
}
