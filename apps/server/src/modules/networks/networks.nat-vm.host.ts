/**
 * The Proxmox side of a NAT gateway of kind `natVm`: a small ProxiCloud-managed Debian container
 * with `eth0` on the private network (the gateway's private address, the next hop routes point at)
 * and `eth1` on the public bridge (its static public address and the public gateway). The
 * configuration (networks.nat-vm.ts: sysctl file + nftables ruleset) goes in through the SSH host
 * agent's app-setup commands (`pct push` of a setup script, `pct exec … setup.sh install`), the same
 * fixed commands the apps module uses. Both NICs have the PVE firewall off: the container forwards
 * other hosts' packets, which `ipfilter` would drop.
 */
import { formatLxcNet } from '@proxicloud/proxmox-client';
import { AppError } from '../../platform/errors.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import { ManagedContainers, type ManagedCtState } from '../managed-ct/index.ts';
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

export type NatVmState = ManagedCtState;

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
  private readonly cts: ManagedContainers;
  constructor(
    conn: () => ProxmoxConnection,
    readonly settings: NatVmSettings,
  ) {
    this.cts = new ManagedContainers(conn, {
      label: 'NAT',
      templateSetting: 'PROXICLOUD_NAT_VM_TEMPLATE',
      error: (code, message) => new NatVmError(code, message),
    });
  }

  /** An online node, its container storage with the most room, and a Debian template there. */
  place(): Promise<{ node: string; storage: string; template: string }> {
    return this.cts.place(this.settings.template);
  }

  /** Create and start the container; `onCreated` records node/vmid before anything can fail later. */
  create(
    plan: NatVmPlan,
    signal: AbortSignal,
    onCreated: (node: string, vmid: number) => Promise<void>,
    detail: (t: string) => Promise<void>,
  ): Promise<{ node: string; vmid: number }> {
    return this.cts.create(
      {
        hostname: plan.name,
        description: `Managed by ProxiCloud. NAT gateway ${plan.gatewayId} owner=${plan.ownerId}. Changes made here are reverted.`,
        tags: 'proxicloud-nat',
        cores: 1,
        memoryMib: this.settings.memoryMib,
        diskGib: this.settings.diskGib,
        nets: {
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
        },
        features: 'nesting=1',
      },
      { template: this.settings.template },
      signal,
      onCreated,
      detail,
    );
  }

  /** Push the setup script and run it (exit ≠ 0 is an error carrying the script's last words). */
  async configure(plan: NatVmPlan, node: string, vmid: number, detail: (t: string) => Promise<void>) {
    const script = natVmSetupScript(plan.gatewayId, {
      privateIface: 'eth0',
      publicIface: 'eth1',
      sourceCidrs: [plan.sourceCidr],
    });
    await detail(`pct push ${vmid} setup.sh (sysctl + nftables masquerade)`);
    await this.cts.setup(node, vmid, { script }, 'install');
  }

  state(node: string, vmid: number): Promise<NatVmState> {
    return this.cts.state(node, vmid);
  }

  /** Stop and destroy the container; a container already gone is fine. */
  destroy(node: string, vmid: number, signal: AbortSignal): Promise<void> {
    return this.cts.destroy(node, vmid, signal);
  }
}
