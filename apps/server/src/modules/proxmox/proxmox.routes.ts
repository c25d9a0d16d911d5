import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ProxmoxConnection } from '../../deps.ts';
import { isAdmin } from '../../platform/db/repository.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { checkProxmox } from '../../platform/proxmox.ts';
import { authorize } from '../iam/index.ts';
import type { ResourceCache } from './proxmox.cache.ts';
import type { NodeInventory } from './proxmox.inventory.ts';
import { apiErrorOf, requireProxmox } from './proxmox.pve.ts';

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

const NodeStorageSchema = Type.Object(
  {
    storage: Type.String(),
    type: Type.String({ description: 'PVE storage type (dir, lvmthin, zfspool, …)' }),
    content: Type.Array(Type.String(), { description: 'PVE content types (images, rootdir, iso, …)' }),
    shared: Type.Boolean(),
    /** what `storage` takes for a launch of this type */
    vm: Type.Boolean({ description: 'holds VM disks (content images)' }),
    lxc: Type.Boolean({ description: 'holds container root disks (content rootdir)' }),
    availBytes: Type.Integer({ minimum: 0 }),
    totalBytes: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const NodeLaunchOptionsSchema = Type.Object(
  {
    node: Type.String(),
    status: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    storages: Type.Array(NodeStorageSchema, { description: 'Enabled, active storages; empty when offline' }),
    bridges: Type.Array(Type.String(), { description: 'Linux/OVS bridges; empty when offline' }),
  },
  { $id: 'NodeLaunchOptions', additionalProperties: false },
);

const NodeParams = Type.Object(
  { node: Type.String({ pattern: '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$' }) },
  { additionalProperties: false },
);

/** Admin diagnostics of the Proxmox connection (what `proxicloud doctor` prints). */
export async function proxmoxRoutes(
  app: FastifyInstance,
  deps: {
    proxmox: () => ProxmoxConnection | undefined;
    inventory: NodeInventory;
    cache: ResourceCache;
  },
): Promise<void> {
  app.addSchema(ProxmoxCheckSchema);
  app.addSchema(NodeLaunchOptionsSchema);
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

  // What a launch can pick on one node (the console's storage and bridge pickers): read-only,
  // anyone who can read the catalog.
  r.get(
    '/catalog/nodes/:node',
    {
      schema: {
        tags: ['catalog'],
        operationId: 'getNodeLaunchOptions',
        summary: "A node's storages (which hold VM disks / containers, free space) and network bridges",
        params: NodeParams,
        response: { 200: Type.Ref(NodeLaunchOptionsSchema), ...errorResponses(404, 502, 503) },
      },
    },
    async (request) => {
      authorize(authContext(request).actor, 'catalog', 'read');
      requireProxmox(deps.proxmox());
      const { node } = request.params;
      try {
        const entry = (await deps.cache.get(5000)).nodes.get(node);
        if (!entry) throw new NotFoundError('Node', node);
        if (entry.status !== 'online') return { node, status: 'offline' as const, storages: [], bridges: [] };
        const [storages, bridges] = await Promise.all([
          deps.inventory.storagesOf(node),
          deps.inventory.bridgesOf(node),
        ]);
        return {
          node,
          status: 'online' as const,
          storages: storages
            .filter((s) => Number(s.active ?? 1) !== 0)
            .map((s) => {
              const content = String(s.content ?? '')
                .split(',')
                .filter(Boolean);
              return {
                storage: s.storage,
                type: String(s.type ?? ''),
                content,
                shared: Number(s.shared ?? 0) === 1,
                vm: content.includes('images'),
                lxc: content.includes('rootdir'),
                availBytes: Math.max(0, Math.floor(Number(s.avail ?? 0))),
                totalBytes: Math.max(0, Math.floor(Number(s.total ?? 0))),
              };
            })
            .sort((a, b) => a.storage.localeCompare(b.storage)),
          bridges: [...bridges].sort(),
        };
      } catch (e) {
        throw apiErrorOf(e);
      }
    },
  );
}
