/**
 * Route table: schema template + method → handler. Every request was already validated by
 * @proxicloud/pve-schema; GETs of directory paths without a handler answer the subdirectory list
 * the way PVE's index methods do.
 */
import { getSchema } from '@proxicloud/pve-schema';
import * as cl from './cluster.ts';
import { backupRoutes, firewallRoutes, rulesApi, sdnRoutes } from './cluster-objects.ts';
import * as con from './console.ts';
import type { Handler, RequestCtx } from './context.ts';
import { reqStr, str } from './context.ts';
import { PveError } from './errors.ts';
import * as g from './guests.ts';
import { guestRrd } from './rrd.ts';
import { sdnExtrasRoutes } from './sdn-extras.ts';
import * as st from './storage.ts';
import { vzdumpRoutes } from './vzdump.ts';

const routes = new Map<string, Handler>();

export function route(method: string, template: string, h: Handler): void {
  if (!getSchema().paths[template]?.[method as 'GET'])
    throw new Error(`no such PVE API method: ${method} ${template}`);
  routes.set(`${method} ${template}`, h);
}

const N = '/nodes/{node}';
route('GET', '/version', cl.version);
route('GET', '/access/permissions', cl.accessPermissions);
route('GET', '/cluster/status', cl.clusterStatus);
route('GET', '/cluster/resources', cl.clusterResources);
route('GET', '/cluster/nextid', cl.nextId);
route('GET', '/nodes', cl.listNodes);
route('GET', `${N}/status`, cl.nodeStatus);
route('GET', `${N}/rrddata`, cl.nodeRrdData);
route('GET', `${N}/network`, cl.nodeNetwork);
route('GET', `${N}/tasks`, cl.listTasks);
route('GET', `${N}/tasks/{upid}`, cl.taskIndex);
route('GET', `${N}/tasks/{upid}/status`, cl.taskStatus);
route('GET', `${N}/tasks/{upid}/log`, cl.taskLog);
route('DELETE', `${N}/tasks/{upid}`, cl.taskStop);
route('GET', `${N}/storage`, st.listStorages);
route('GET', `${N}/storage/{storage}/status`, st.storageStatus);
route('GET', `${N}/storage/{storage}/content`, st.listContent);
route('POST', `${N}/storage/{storage}/content`, st.allocContent);
route('GET', `${N}/storage/{storage}/content/{volume}`, st.volumeAttributes);
route('DELETE', `${N}/storage/{storage}/content/{volume}`, st.deleteContent);

for (const t of ['qemu', 'lxc'] as const) {
  const G = `${N}/${t}/{vmid}`;
  route('GET', `${N}/${t}`, g.listGuests(t));
  route('POST', `${N}/${t}`, g.createGuest(t));
  route('DELETE', G, g.deleteGuest(t));
  route('GET', `${G}/config`, g.getConfig(t));
  route('PUT', `${G}/config`, g.putConfig(t));
  route('GET', `${G}/status/current`, g.statusCurrent(t));
  for (const a of ['start', 'stop', 'shutdown', 'reboot'] as const)
    route('POST', `${G}/status/${a}`, g.statusAction(t, a));
  route('POST', `${G}/clone`, g.cloneGuest(t));
  route('PUT', `${G}/resize`, g.resizeGuest(t));
  route('POST', `${G}/template`, g.makeTemplate(t));
  route('GET', `${G}/snapshot`, g.listSnapshots(t));
  route('POST', `${G}/snapshot`, g.createSnapshot(t));
  route('DELETE', `${G}/snapshot/{snapname}`, g.deleteSnapshot(t));
  route('GET', `${G}/snapshot/{snapname}/config`, g.snapshotConfig(t));
  route('PUT', `${G}/snapshot/{snapname}/config`, g.updateSnapshot(t));
  route('POST', `${G}/snapshot/{snapname}/rollback`, g.rollbackSnapshot(t));
  route('GET', `${G}/rrddata`, (req: RequestCtx) =>
    guestRrd(
      req.sim,
      g.getGuest(req.sim, reqStr(req.params, 'node'), Number(reqStr(req.params, 'vmid')), t),
      reqStr(req.params, 'timeframe'),
      str(req.params, 'cf') ?? 'AVERAGE',
    ),
  );
}
route('POST', `${N}/qemu/{vmid}/config`, g.postConfig);
for (const t of ['qemu', 'lxc'] as const) {
  route('POST', `${N}/${t}/{vmid}/vncproxy`, con.vncProxy(t));
  route('POST', `${N}/${t}/{vmid}/termproxy`, con.termProxy(t));
  route('GET', `${N}/${t}/{vmid}/vncwebsocket`, con.vncWebsocketPlain);
}
route('PUT', `${N}/qemu/{vmid}/unlink`, g.unlinkDisks);
route('GET', `${N}/qemu/{vmid}/agent/network-get-interfaces`, g.agentInterfaces);
route('GET', `${N}/qemu/{vmid}/agent/get-fsinfo`, g.agentFsinfo);
route('POST', `${N}/qemu/{vmid}/agent/ping`, g.agentPing);
route('POST', `${N}/qemu/{vmid}/agent/exec`, g.agentExec);
route('GET', `${N}/qemu/{vmid}/agent/exec-status`, g.agentExecStatus);
route('GET', '/storage/{storage}', st.storageConfig);
route('GET', `${N}/lxc/{vmid}/interfaces`, g.lxcInterfaces);

firewallRoutes(route);
sdnRoutes(route);
sdnExtrasRoutes(route, rulesApi);
backupRoutes(route);
vzdumpRoutes(route);

/** Finds the handler; directory GETs list their children like PVE's index methods. */
export function resolveHandler(method: string, template: string): Handler | undefined {
  const h = routes.get(`${method} ${template}`);
  if (h) return h;
  if (method !== 'GET') return undefined;
  const prefix = template === '/' ? '/' : `${template}/`;
  const children = new Set<string>();
  for (const p of Object.keys(getSchema().paths)) {
    if (!p.startsWith(prefix)) continue;
    const seg = p.slice(prefix.length).split('/')[0]!;
    if (seg && !seg.startsWith('{')) children.add(seg);
  }
  if (children.size === 0) return undefined;
  const list = [...children].sort();
  return () => list.map((subdir) => ({ subdir }));
}

export function notImplemented(method: string, path: string): PveError {
  return new PveError(501, `Method '${method} ${path}' not implemented`);
}
