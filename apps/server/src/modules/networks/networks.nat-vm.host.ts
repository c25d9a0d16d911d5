/**
 * The Proxmox side of a NAT gateway of kind `natVm`: a small ProxiCloud-managed Debian container
 * with `eth0` on the private network (the gateway's private address, the next hop routes point at)
 * and `eth1` on the public bridge (its static public address and the public gateway). The
 * configuration (networks.nat-vm.ts: sysctl file + nftables ruleset) goes in through the SSH host
 * agent's app-setup commands (`pct push` of a setup script, `pct exec … setup.sh install`), the same
 * fixed commands the apps module uses. Both NICs have the PVE firewall off: the container forwards
 * other hosts' packets, which `ipfilter` would drop.
 */
import { formatLxcNet, formatLxcRootfs } from '@proxicloud/proxmox-client';
import { AppError } from '../../platform/errors.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import { waitTask } from '../instances/index.ts';
import { isGone } from '../proxmox/index.ts';
import { type NatVmSpec, natVmRuleset, natVmSysctl } from './networks.nat-vm.ts';

/** A step of the NAT VM that failed for a known reason (its code and message reach the operation). */
export class NatVmError extends AppError {
  readonly status = 422;
}

export interface NatVmSettings {
  /** The bridge of the public side (PROXICLOUD_NAT_PUBLIC_BRIDGE, default vmbr0). */
  publicBridge: string;
  /** The public addresses NAT VMs get theirs from (PROXICLOUD_NAT_PUBLIC_CIDR); null: kind off. */
  publicCidr: string | null;
  /** The public side's router (PROXICLOUD_NAT_PUBLIC_GATEWAY; default the pool's first host). */
  publicGateway: string | null;
  /** Container template volid (PROXICLOUD_NAT_VM_TEMPLATE; default the node's newest Debian). */
  template: string | null;
  memoryMib: number;
  diskGib: number;
}

export function natVmSettingsFromEnv(env = process.env): NatVmSettings {
  return {
    publicBridge: env.PROXICLOUD_NAT_PUBLIC_BRIDGE || 'vmbr0',
    publicCidr: env.PROXICLOUD_NAT_PUBLIC_CIDR || null,
    publicGateway: env.PROXICLOUD_NAT_PUBLIC_GATEWAY || null,
    template: env.PROXICLOUD_NAT_VM_TEMPLATE || null,
    memoryMib: 256,
    diskGib: 2,
  };
}

export interface NatVmPlan {
  gatewayId: string;
  ownerId: string;
  name: string;
  /** the private network: its vnet, its CIDR (what is translated) and the gateway's address there */
  vnet: string;
  sourceCidr: string;
  privateAddress: string;
  /** `a.b.c.d/nn` on the public bridge, and the public gateway */
  publicAddress: string;
  publicPrefix: number;
  publicGateway: string;
}

export type NatVmState = 'running' | 'stopped' | 'missing';

/** The setup script pushed into the container: writes the two files and applies them. */
export function natVmSetupScript(gatewayId: string, spec: NatVmSpec): string {
  const eof = 'PROXICLOUD_NAT_EOF';
  return [
    '#!/bin/bash',
    `# ProxiCloud NAT gateway ${gatewayId}: forwarding + nftables masquerade (written by ProxiCloud)`,
    'set -euo pipefail',
    'echo "writing /etc/sysctl.d/90-proxicloud-nat.conf"',
    `cat > /etc/sysctl.d/90-proxicloud-nat.conf <<'${eof}'`,
    natVmSysctl().trimEnd(),
    eof,
    'sysctl -q -p /etc/sysctl.d/90-proxicloud-nat.conf',
    'if ! command -v nft >/dev/null; then',
    '  echo "installing nftables"',
    '  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables',
    'fi',
    'echo "writing /etc/nftables.conf"',
    `cat > /etc/nftables.conf <<'${eof}'`,
    natVmRuleset(spec).trimEnd(),
    eof,
    'nft -f /etc/nftables.conf',
    'systemctl enable -q nftables',
    'echo "NAT gateway ready"',
    '',
  ].join('\n');
}

export class NatVmHost {
  constructor(
    private readonly conn: () => ProxmoxConnection,
    readonly settings: NatVmSettings,
  ) {}

  private get client() {
    return this.conn().client;
  }

  /** An online node, its container storage with the most room, and a Debian template there. */
  async place(): Promise<{ node: string; storage: string; template: string }> {
    const reasons: string[] = [];
    for (const node of await this.conn().listNodes()) {
      try {
        const api = this.client.node(node);
        const storages = (await api.storage.list({ enabled: true })) as {
          storage: string;
          content?: string;
          avail?: number;
          active?: number;
        }[];
        const holds = (s: (typeof storages)[number], c: string) =>
          String(s.content ?? '')
            .split(',')
            .includes(c) && s.active !== 0;
        const root = storages
          .filter((s) => holds(s, 'rootdir'))
          .sort((a, b) => (b.avail ?? 0) - (a.avail ?? 0))[0];
        if (!root) {
          reasons.push(`${node}: no storage holds containers`);
          continue;
        }
        let template = this.settings.template;
        if (!template) {
          const found: string[] = [];
          for (const s of storages.filter((x) => holds(x, 'vztmpl'))) {
            const items = (await api.storageOf(s.storage).content({ content: 'vztmpl' })) as {
              volid: string;
            }[];
            found.push(...items.map((i) => i.volid).filter((v) => /\/debian-\d+/.test(v)));
          }
          template = found.sort().at(-1) ?? null;
        }
        if (!template) {
          reasons.push(
            `${node}: no Debian container template (download one, or set PROXICLOUD_NAT_VM_TEMPLATE)`,
          );
          continue;
        }
        return { node, storage: root.storage, template };
      } catch (e) {
        reasons.push(`${node}: ${(e as Error).message}`);
      }
    }
    throw new NatVmError('no_placement', `no node can hold the NAT container: ${reasons.join('; ')}`);
  }

  /** Create and start the container; `onCreated` records node/vmid before anything can fail later. */
  async create(
    plan: NatVmPlan,
    signal: AbortSignal,
    onCreated: (node: string, vmid: number) => Promise<void>,
    detail: (t: string) => Promise<void>,
  ): Promise<{ node: string; vmid: number }> {
    const { node, storage, template } = await this.place();
    const vmid = await this.client.cluster.nextId();
    await onCreated(node, vmid);
    await detail(`creating container ${vmid} on ${node} from ${template}`);
    const upid = await this.client.node(node).lxc.create({
      vmid,
      hostname: plan.name,
      ostemplate: template,
      description: `Managed by ProxiCloud. NAT gateway ${plan.gatewayId} owner=${plan.ownerId}. Changes made here are reverted.`,
      tags: 'proxicloud-nat',
      cores: 1,
      memory: this.settings.memoryMib,
      swap: 0,
      rootfs: formatLxcRootfs({ volume: `${storage}:${this.settings.diskGib}` }),
      net0: formatLxcNet({
        name: 'eth0',
        bridge: plan.vnet,
        firewall: false,
        ip: `${plan.privateAddress}/${plan.sourceCidr.split('/')[1]}`,
      }),
      net1: formatLxcNet({
        name: 'eth1',
        bridge: this.settings.publicBridge,
        firewall: false,
        ip: `${plan.publicAddress}/${plan.publicPrefix}`,
        gw: plan.publicGateway,
      }),
      unprivileged: true,
      features: 'nesting=1',
      onboot: true,
      start: false,
    } as Parameters<ReturnType<typeof this.client.node>['lxc']['create']>[0]);
    await waitTask(this.client, node, upid, signal);
    await detail(`starting container ${vmid}`);
    await waitTask(this.client, node, await this.client.node(node).guest('lxc', vmid).start({}), signal);
    return { node, vmid };
  }

  /** Push the setup script and run it (exit ≠ 0 is an error carrying the script's last words). */
  async configure(plan: NatVmPlan, node: string, vmid: number, detail: (t: string) => Promise<void>) {
    const host = this.conn().hostAgent;
    if (!host?.appSetup)
      throw new NatVmError('host_agent_required', 'the SSH host agent (PROXMOX_SSH_*) is not configured');
    const agent = await host.appSetup(node);
    const script = natVmSetupScript(plan.gatewayId, {
      privateIface: 'eth0',
      publicIface: 'eth1',
      sourceCidrs: [plan.sourceCidr],
    });
    await detail(`pct push ${vmid} setup.sh (sysctl + nftables masquerade)`);
    await agent.push(vmid, 'setup.sh', script);
    const res = await agent.runPhase(vmid, 'install');
    if (res.exitCode !== 0)
      throw new NatVmError(
        'setup_failed',
        `the NAT setup script exited with status ${res.exitCode}: ${res.stderr.trim().split('\n').at(-1) ?? ''}`,
      );
  }

  async state(node: string, vmid: number): Promise<NatVmState> {
    try {
      const s = (await this.client.node(node).guest('lxc', vmid).status()) as { status?: string };
      return s.status === 'running' ? 'running' : 'stopped';
    } catch (e) {
      if (isGone(e)) return 'missing';
      throw e;
    }
  }

  /** Stop and destroy the container; a container already gone is fine. */
  async destroy(node: string, vmid: number, signal: AbortSignal): Promise<void> {
    const g = this.client.node(node).guest('lxc', vmid);
    const state = await this.state(node, vmid);
    if (state === 'missing') return;
    if (state === 'running') await waitTask(this.client, node, await g.stop({}), signal);
    try {
      await waitTask(
        this.client,
        node,
        await g.delete({ purge: true, 'destroy-unreferenced-disks': true }),
        signal,
      );
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  }
}
