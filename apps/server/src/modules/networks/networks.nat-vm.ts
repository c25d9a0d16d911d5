/**
 * What ProxiCloud writes into a NAT VM (the NAT gateway kind the issue calls "NAT VM": a small
 * Debian LXC with one NIC on the private network and one on the public bridge). This module is the
 * configuration only — the sysctl file and the nftables ruleset — and is proven with real packets
 * (networks.nat-vm.packets.test.ts). The container itself (create, push, health, re-create) is
 * networks.nat-vm.host.ts and the `natVm` kind of networks.nat-gateways.ts.
 *
 *  - `/etc/sysctl.d/90-proxicloud-nat.conf`: IPv4 forwarding on, reverse-path filtering strict;
 *  - `/etc/nftables.conf`: one table `inet proxicloud_nat`: forward only new connections from the
 *    private ranges out of the public interface (and their replies), masquerade them behind the
 *    public address; everything else that would be forwarded is dropped.
 */

export interface NatVmSpec {
  /** interface on the private network (the gateway address of the private side lives here) */
  privateIface: string;
  /** interface on the public bridge (the static public address) */
  publicIface: string;
  /** the private ranges the gateway translates (route tables pointing at it) */
  sourceCidrs: string[];
}

const IFACE = /^[A-Za-z0-9_.-]{1,15}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function check(spec: NatVmSpec): void {
  for (const i of [spec.privateIface, spec.publicIface])
    if (!IFACE.test(i)) throw new Error(`'${i}' is not an interface name`);
  if (spec.privateIface === spec.publicIface)
    throw new Error('the private and public interfaces must differ');
  if (!spec.sourceCidrs.length) throw new Error('a NAT VM translates at least one range');
  for (const c of spec.sourceCidrs) {
    const m = CIDR.exec(c);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32)
      throw new Error(`'${c}' is not an IPv4 CIDR`);
  }
}

export function natVmSysctl(): string {
  return [
    '# written by ProxiCloud (NAT gateway); changes are overwritten',
    'net.ipv4.ip_forward = 1',
    'net.ipv4.conf.all.rp_filter = 1',
    '',
  ].join('\n');
}

export function natVmRuleset(spec: NatVmSpec): string {
  check(spec);
  const src = `{ ${spec.sourceCidrs.join(', ')} }`;
  return [
    '#!/usr/sbin/nft -f',
    '# written by ProxiCloud (NAT gateway); changes are overwritten',
    'table inet proxicloud_nat',
    'delete table inet proxicloud_nat',
    'table inet proxicloud_nat {',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    '    ct state established,related accept',
    `    iifname "${spec.privateIface}" oifname "${spec.publicIface}" ip saddr ${src} ct state new accept`,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "${spec.publicIface}" ip saddr ${src} masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
}
