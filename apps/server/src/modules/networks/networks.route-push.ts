/**
 * How routes reach a running guest, without a restart: one `ip -force -batch -` run inside the
 * guest whose standard input holds `route replace <cidr> via <next hop> proto 250` lines for the
 * wanted routes and `route del <cidr> proto 250` lines for the ones no longer wanted. Protocol 250
 * marks ProxiCloud's routes (the guest's own routes are never touched).
 *
 *  - VMs: the QEMU guest agent (`POST …/agent/exec` with `input-data`, then `GET …/agent/exec-status`);
 *  - containers: the SSH host agent (`pct exec <vmid> -- ip -force -batch -`, batch on stdin).
 *
 * Deleting a route the guest no longer has (it rebooted) is not an error.
 */
import type { ProxmoxClient } from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import type { InstanceRow } from '../instances/index.ts';

export const ROUTE_PROTO = 250;

export interface GuestRoute {
  destinationCidr: string;
  via: string;
}

export function routeBatch(want: GuestRoute[], remove: string[]): string {
  const lines = want.map((r) => `route replace ${r.destinationCidr} via ${r.via} proto ${ROUTE_PROTO}`);
  for (const d of remove) lines.push(`route del ${d} proto ${ROUTE_PROTO}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** stderr lines of `ip -batch` that are real failures (not "route already gone"). */
export function batchFailures(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/No such process$/.test(l) && !/^Command failed -:\d+$/.test(l));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class GuestRoutePusher {
  constructor(private readonly proxmox: () => ProxmoxConnection) {}

  private get client(): ProxmoxClient {
    return this.proxmox().client;
  }

  /** Runs the batch in the guest; throws with the guest's message when a line failed. */
  async push(row: InstanceRow, batch: string, signal?: AbortSignal): Promise<void> {
    if (!batch) return;
    const node = row.node!;
    const vmid = Number(row.vmid);
    const argv = ['ip', '-force', '-batch', '-'];
    if (row.type === 'lxc') {
      const agent = this.proxmox().hostAgent;
      if (!agent?.guestRoutes)
        throw new Error(
          'containers get routes through the SSH host agent (PROXMOX_SSH_HOST is not configured)',
        );
      const res = await (await agent.guestRoutes(node)).applyBatch(vmid, batch);
      const bad = batchFailures(res.stderr);
      if (res.exitCode !== 0 && bad.length) throw new Error(bad.join('; '));
      return;
    }
    const api = this.client.api;
    const { pid } = (await api.postNodesQemuAgentExec({
      node,
      vmid,
      command: argv,
      'input-data': batch,
    })) as { pid: number };
    for (let i = 0; i < 100; i++) {
      signal?.throwIfAborted();
      const st = (await api.getNodesQemuAgentExecStatus({ node, vmid, pid })) as {
        exited: boolean | number;
        exitcode?: number;
        'err-data'?: string;
      };
      if (st.exited) {
        const bad = batchFailures(st['err-data'] ?? '');
        if ((st.exitcode ?? 0) !== 0 && bad.length) throw new Error(bad.join('; '));
        return;
      }
      await sleep(100);
    }
    throw new Error('the guest agent did not finish `ip -batch` within 10 s');
  }
}
