import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ProxmoxConnection } from '../../deps.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { checkProxmox } from '../../platform/proxmox.ts';
import { requireProxmox } from './proxmox.pve.ts';

const CheckSchema = Type.Object(
  {
    name: Type.String(),
    status: Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('fail')]),
    message: Type.String(),
    fix: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ProxmoxCheckSchema = Type.Object(
  {
    ok: Type.Boolean(),
    mode: Type.Union([Type.Literal('demo'), Type.Literal('proxmox')]),
    label: Type.String(),
    checks: Type.Array(CheckSchema),
  },
  { $id: 'ProxmoxCheck', additionalProperties: false },
);

/** Admin diagnostics of the Proxmox connection (what `proxicloud doctor` prints). */
export async function proxmoxRoutes(
  app: FastifyInstance,
  deps: { proxmox: () => ProxmoxConnection | undefined },
): Promise<void> {
  app.addSchema(ProxmoxCheckSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/system/proxmox-check',
    {
      schema: {
        tags: ['system'],
        operationId: 'checkProxmox',
        summary:
          'Admin: check the Proxmox connection (version, token privileges per service, storages, bridges, SSH host agent)',
        response: { 200: Type.Ref(ProxmoxCheckSchema), ...errorResponses(503) },
      },
    },
    async (request) => {
      const { actor } = authContext(request);
      if (!isAdmin(actor)) throw new ForbiddenError('Only admins run the Proxmox check');
      return checkProxmox(requireProxmox(deps.proxmox()));
    },
  );
}
