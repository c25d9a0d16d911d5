/**
 * The `/_sim/` HTTP test API (same auth as the PVE API), for e2e tests in other processes:
 *   GET    /_sim/state            → inspect() snapshot
 *   GET    /_sim/faults           → active faults
 *   POST   /_sim/faults {latency?, httpError?, failTask?, hang?, dropConnection?,
 *                        nodeOffline?: {node, offline}, storageFull?: {storage, full},
 *                        withholdPrivilege?: {privilege, withheld}}
 *   DELETE /_sim/faults           → reset all faults
 *   POST   /_sim/seed {count, runningRatio?} → bulk-create guests, returns the vmids
 *   POST   /_sim/guest-agent {vmid, available?, mounts?: {scsi1: '/data'}} → what a VM's guest
 *                        agent reports (get-fsinfo mounts; available=false: agent not answering)
 *   POST   /_sim/load {vmid, cpu: 0..1 | null} → force a guest's CPU load (null: back to normal)
 */
import type { AuthResult } from './auth.ts';
import type { SimContext } from './context.ts';
import { PveError } from './errors.ts';
import type { HttpErrorFault, PathFault, TaskFailFault } from './faults.ts';
import { setGuestAgent } from './inspect.ts';
import { setGuestLoad } from './load.ts';
import { seedGuests } from './seed.ts';

export function createSimApi(sim: SimContext, inspect: () => unknown) {
  return (method: string, path: string, body: Record<string, unknown>, _auth: AuthResult): unknown => {
    const f = sim.faults;
    const key = `${method} ${path.replace(/\/+$/, '')}`;
    switch (key) {
      case 'GET /_sim/state':
        return inspect();
      case 'GET /_sim/faults':
        return f.snapshot();
      case 'DELETE /_sim/faults':
        f.reset();
        return f.snapshot();
      case 'POST /_sim/faults': {
        const known = [
          'latency',
          'httpError',
          'failTask',
          'hang',
          'dropConnection',
          'nodeOffline',
          'storageFull',
          'withholdPrivilege',
        ];
        const unknown = Object.keys(body).filter((k) => !known.includes(k));
        if (unknown.length) throw new PveError(400, `unknown fault kind(s): ${unknown.join(', ')}`);
        if (body.latency !== undefined) f.latency(Number(body.latency));
        if (body.httpError) f.httpError(body.httpError as HttpErrorFault);
        if (body.failTask) f.failTask(body.failTask as TaskFailFault);
        if (body.hang) f.hang(body.hang as PathFault);
        if (body.dropConnection) f.dropConnection(body.dropConnection as PathFault);
        if (body.nodeOffline) {
          const n = body.nodeOffline as { node: string; offline?: boolean };
          f.nodeOffline(n.node, n.offline ?? true);
        }
        if (body.storageFull) {
          const s = body.storageFull as { storage: string; full?: boolean };
          f.storageFull(s.storage, s.full ?? true);
        }
        if (body.withholdPrivilege) {
          const w = body.withholdPrivilege as { privilege: string; withheld?: boolean };
          f.withholdPrivilege(String(w.privilege), w.withheld ?? true);
        }
        return f.snapshot();
      }
      case 'POST /_sim/seed': {
        const count = Number(body.count);
        if (!Number.isInteger(count) || count < 1 || count > 100_000)
          throw new PveError(400, 'count must be 1..100000');
        return seedGuests(sim.world, count, { runningRatio: body.runningRatio as number | undefined });
      }
      case 'POST /_sim/guest-agent': {
        const vmid = Number(body.vmid);
        if (!Number.isInteger(vmid)) throw new PveError(400, 'vmid must be an integer');
        setGuestAgent(sim, vmid, {
          ...(body.available !== undefined ? { available: Boolean(body.available) } : {}),
          ...(body.mounts !== undefined ? { mounts: body.mounts as Record<string, string> } : {}),
        });
        const g = sim.world.guests.get(vmid)!;
        return { vmid, available: !g.guestAgent?.down, mounts: g.guestAgent?.mounts ?? {} };
      }
      case 'POST /_sim/load':
        return setGuestLoad(sim, Number(body.vmid), body.cpu === null ? null : Number(body.cpu));
      default:
        throw new PveError(404, `no such simulator endpoint: ${key}`);
    }
  };
}
