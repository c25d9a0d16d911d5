import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { apiName, findApidoc, formatSource, generate } from '../scripts/gen-types.ts';
import type { ArgsOf, PathOf, PveApi, ResultOf } from './api.ts';
import { type EndpointKey, PVE_API } from './generated/endpoints.ts';

const committedFile = fileURLToPath(new URL('./generated/endpoints.ts', import.meta.url));
const apidoc = findApidoc();

describe('generated endpoints', () => {
  // Needs the full schema (shared/pve/apidoc.json beside the repository, or PVE_APIDOC).
  it.skipIf(!apidoc)('are up to date with apidoc.json', () => {
    const fresh = formatSource(generate(apidoc!));
    const committed = readFileSync(committedFile, 'utf8');
    if (fresh !== committed) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      expect.fail(
        `packages/proxmox-client/src/generated/endpoints.ts is stale (first difference at line ${line + 1}: ` +
          `committed ${JSON.stringify(a[line])}, generated ${JSON.stringify(b[line])}). ` +
          'Regenerate with: npm run gen-types -w @proxicloud/proxmox-client',
      );
    }
  });

  it('name methods by verb and path', () => {
    expect(apiName('GET', '/nodes/{node}/qemu/{vmid}/snapshot')).toBe('getNodesQemuSnapshot');
    expect(apiName('DELETE', '/cluster/firewall/groups/{group}/{pos}')).toBe(
      'deleteClusterFirewallGroupsByGroupByPos',
    );
    expect(apiName('GET', '/nodes/{node}/qemu/{vmid}/agent/get-fsinfo')).toBe('getNodesQemuAgentGetFsinfo');
    expect(apiName('PUT', '/cluster/sdn')).toBe('putClusterSdn');
  });

  it('cover what ProxiCloud may use: guests, consoles, storage, tasks, SDN, firewall, backups, metrics, pools, HA', () => {
    const keys = new Set<string>(Object.values(PVE_API));
    const required: string[] = [];
    for (const g of ['qemu', 'lxc']) {
      const b = `/nodes/{node}/${g}/{vmid}`;
      required.push(
        `GET ${b}/config`,
        `PUT ${b}/config`,
        `POST ${b}/status/start`,
        `POST ${b}/status/suspend`,
        `POST ${b}/status/resume`,
        `POST ${b}/snapshot`,
        `GET ${b}/snapshot/{snapname}/config`,
        `POST ${b}/migrate`,
        `POST ${b}/vncproxy`,
        `POST ${b}/termproxy`,
        `GET ${b}/vncwebsocket`,
        `GET ${b}/rrddata`,
        `GET ${b}/firewall/rules`,
        `PUT ${b}/firewall/options`,
        `POST ${b}/firewall/ipset/{name}`,
        `POST ${b}/firewall/aliases`,
        `PUT ${b}/firewall/aliases/{name}`,
      );
    }
    required.push(
      'GET /nodes/{node}/storage/{storage}/content',
      'POST /nodes/{node}/storage/{storage}/upload',
      'GET /nodes/{node}/tasks/{upid}/status',
      'DELETE /nodes/{node}/tasks/{upid}',
      'GET /cluster/tasks',
      'GET /cluster/resources',
      'PUT /cluster/sdn',
      'POST /cluster/sdn/zones',
      'POST /cluster/sdn/vnets/{vnet}/subnets',
      'GET /cluster/sdn/ipams/{ipam}/status',
      'POST /cluster/sdn/dns',
      'DELETE /cluster/sdn/controllers/{controller}',
      'POST /cluster/sdn/vnets/{vnet}/firewall/rules',
      'PUT /cluster/sdn/vnets/{vnet}/firewall/options',
      'POST /cluster/firewall/groups',
      'PUT /cluster/firewall/groups/{group}/{pos}',
      'POST /cluster/firewall/rules',
      'POST /cluster/firewall/ipset/{name}',
      'DELETE /cluster/firewall/ipset/{name}/{cidr}',
      'POST /cluster/firewall/aliases',
      'POST /cluster/backup',
      'GET /cluster/backup/{id}/included_volumes',
      'GET /cluster/backup-info/not-backed-up',
      'POST /nodes/{node}/vzdump',
      'GET /nodes/{node}/vzdump/defaults',
      'PUT /cluster/metrics/server/{id}',
      'GET /pools',
      'PUT /pools/{poolid}',
      'POST /cluster/ha/resources',
      'POST /cluster/ha/rules',
      'GET /cluster/ha/status/current',
    );
    expect(required.filter((k) => !keys.has(k))).toEqual([]);
    expect(keys.size).toBe(Object.keys(PVE_API).length); // one name per endpoint
  });

  it('type path values, parameters and results from the endpoint', () => {
    expectTypeOf<PathOf<'GET /nodes/{node}/qemu/{vmid}/snapshot'>>().toEqualTypeOf<{
      node: string | number;
      vmid: string | number;
    }>();
    expectTypeOf<PathOf<'GET /cluster/resources'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<ArgsOf<'POST /nodes/{node}/qemu/{vmid}/snapshot'>>().toMatchTypeOf<{
      node: string | number;
      vmid: string | number;
      snapname: string;
    }>();
    expectTypeOf<ResultOf<'GET /version'>['release']>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<PveApi['putClusterSdn']>[0]>().toEqualTypeOf<
      ArgsOf<'PUT /cluster/sdn'> | undefined
    >();
    // Required path values and parameters are required in the args object.
    const api = null as unknown as PveApi;
    const typed = () => {
      // @ts-expect-error vmid is missing
      void api.getNodesQemuSnapshot({ node: 'pve1' });
      // @ts-expect-error snapname is required
      void api.postNodesQemuSnapshot({ node: 'pve1', vmid: 100 });
      void api.postNodesQemuSnapshot({ node: 'pve1', vmid: 100, snapname: 's1', vmstate: true });
      void api.getClusterResources();
    };
    expect(typed).toBeTypeOf('function');
    const k: EndpointKey = 'PUT /cluster/sdn';
    expect(Object.values(PVE_API)).toContain(k);
  });
});
