/**
 * `proxicloud doctor`'s networking checks (docs/networking.md): SDN available, the datacenter and
 * node firewalls enabled, and the DHCP prerequisite. Pure PVE API reads; never throws.
 */
import type { ProxmoxClient } from '@proxicloud/proxmox-client';
import type { CheckResult } from './proxmox.ts';

const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function networkChecks(client: ProxmoxClient, nodes: string[]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  try {
    const zones = (await client.api.getClusterSdnZones()) as { zone: string; type: string; dhcp?: string }[];
    out.push({
      name: 'sdn',
      status: 'ok',
      message: `SDN available (${zones.length} zone${zones.length === 1 ? '' : 's'}${zones.length ? `: ${zones.map((z) => `${z.zone} (${z.type})`).join(', ')}` : ''})`,
    });
    const managed = zones.find((z) => z.zone === (process.env.PROXICLOUD_SDN_ZONE ?? 'pcloud'));
    out.push({
      name: 'dhcp',
      status: 'warn',
      message: managed
        ? `zone ${managed.zone} serves DHCP with ${managed.dhcp ?? 'nothing'}; the API cannot tell whether dnsmasq is installed on the nodes`
        : 'the API cannot tell whether dnsmasq is installed on the nodes (needed for DHCP on networks)',
      fix: 'On every node: apt install dnsmasq && systemctl disable --now dnsmasq (PVE runs one per zone)',
    });
  } catch (e) {
    out.push({
      name: 'sdn',
      status: 'fail',
      message: `SDN is not available: ${text(e)}`,
      fix: 'apt install libpve-network-perl ifupdown2; add `source /etc/network/interfaces.d/*` to /etc/network/interfaces; grant SDN.Allocate and SDN.Use on /sdn',
    });
  }
  try {
    const o = (await client.api.getClusterFirewallOptions()) as { enable?: number };
    const on = Number(o.enable ?? 0) === 1;
    out.push({
      name: 'firewall:datacenter',
      status: on ? 'ok' : 'warn',
      message: on
        ? 'the datacenter firewall is enabled'
        : 'the datacenter firewall is disabled: security groups and network isolation do not filter anything',
      ...(on
        ? {}
        : {
            fix: 'Allow the management ports first (IP set "management" or host rules), then Datacenter → Firewall → Options → Firewall: Yes',
          }),
    });
  } catch (e) {
    out.push({
      name: 'firewall:datacenter',
      status: 'fail',
      message: `cannot read the firewall options: ${text(e)}`,
      fix: 'Grant Sys.Audit on /',
    });
  }
  for (const node of nodes) {
    try {
      const o = (await client.api.getNodesFirewallOptions({ node })) as { enable?: number };
      const on = Number(o.enable ?? 1) === 1;
      out.push({
        name: `firewall:${node}`,
        status: on ? 'ok' : 'warn',
        message: on
          ? 'the node firewall is enabled'
          : 'the node firewall is disabled: guest rules are not applied on it',
        ...(on ? {} : { fix: `${node} → Firewall → Options → Firewall: Yes` }),
      });
    } catch (e) {
      out.push({
        name: `firewall:${node}`,
        status: 'warn',
        message: `cannot read the node firewall options: ${text(e)}`,
      });
    }
  }
  return out;
}
