/**
 * Named formats of the PVE schema (`format: "pve-vmid"` …), checked the way PVE's Perl code
 * (PVE::JSONSchema, PVE::Storage, qemu-server, pve-container, pve-firewall) checks them, with the
 * same error texts (they end with "\n", as PVE's `die` messages do).
 *
 * A format check either returns normally or throws `FormatError`. Hash formats (property strings
 * whose sub-keys the schema dump does not spell out, such as `pve-qm-ipconfig`) are described in
 * `NAMED_PROPERTY_FORMATS` and parsed by the property-string parser in validate.ts.
 * Formats we do not know are accepted and recorded in `unknownFormatsSeen`.
 */
import type { ParamSchema } from './types.ts';

export class FormatError extends Error {
  /** Sub-key errors of a property string (`net0.bridge` → message). */
  readonly errors: Record<string, string> | undefined;
  constructor(message: string, errors?: Record<string, string>) {
    super(message);
    this.errors = errors;
  }
}

const fail = (msg: string): never => {
  throw new FormatError(`${msg}\n`);
};

// --- building blocks (PVE::Tools) -------------------------------------------------------------
const IPV4OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
export const IPV4RE = `(?:(?:${IPV4OCTET}\\.){3}${IPV4OCTET})`;
const H16 = '(?:[0-9a-fA-F]{1,4})';
const LS32 = `(?:(?:${H16}:${H16})|${IPV4RE})`;
export const IPV6RE =
  '(?:' +
  [
    `(?:(?:${H16}:){6})${LS32}`,
    `(?:::(?:${H16}:){5})${LS32}`,
    `(?:(?:${H16})?::(?:${H16}:){4})${LS32}`,
    `(?:(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3})${LS32}`,
    `(?:(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2})${LS32}`,
    `(?:(?:(?:${H16}:){0,3}${H16})?::(?:${H16}:){1})${LS32}`,
    `(?:(?:(?:${H16}:){0,4}${H16})?::)${LS32}`,
    `(?:(?:(?:${H16}:){0,5}${H16})?::)${H16}`,
    `(?:(?:(?:${H16}:){0,6}${H16})?::)`,
  ].join('|') +
  ')';
const reIPv4 = new RegExp(`^${IPV4RE}$`);
const reIPv6 = new RegExp(`^${IPV6RE}$`);
const reCidr4 = new RegExp(`^${IPV4RE}/(\\d+)$`);
const reCidr6 = new RegExp(`^${IPV6RE}/(\\d+)$`);
const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const ID_RE = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const DNS_RE = /^(([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)\.)*([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/;
const EMAIL_RE = /^[\w+\-~]+(\.[\w+\-~]+)*@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/;
const EMAIL_USER_RE = /^[\w+\-~]+(\.[\w+\-~]+)*$/;
const TAG_RE = /^[a-z0-9_][a-z0-9_\-+.]*$/i;

export const isIPv4 = (v: string) => reIPv4.test(v);
export const isIPv6 = (v: string) => reIPv6.test(v);
export const isIP = (v: string) => isIPv4(v) || isIPv6(v);
export const isCidr4 = (v: string) => {
  const m = reCidr4.exec(v);
  return !!m && Number(m[1]) > 7 && Number(m[1]) <= 32;
};
export const isCidr6 = (v: string) => {
  const m = reCidr6.exec(v);
  return !!m && Number(m[1]) > 7 && Number(m[1]) <= 128;
};
const isDnsName = (v: string) => DNS_RE.test(v);

/** PVE::Tools::split_list: `,` `;` and whitespace separate items (NUL if present). */
export function splitList(text: string): string[] {
  if (text.includes('\0')) return text.split('\0');
  return text
    .replace(/[,;]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '');
}

/** PVE::JSONSchema::parse_size: `\d+(\.\d+)?[KMGT]?` → bytes, or undefined. */
export function parseSize(value: string): number | undefined {
  const m = /^(\d+(\.\d+)?)([KMGT])?$/.exec(value);
  if (!m) return undefined;
  const mult = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[3] as 'K' | 'M' | 'G' | 'T'] ?? 1;
  return Math.floor(Number(m[1]) * mult);
}

// --- calendar events (proxmox-time / PVE::CalendarEvent syntax) -------------------------------
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const CAL_KEYWORDS = new Set([
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'yearly',
  'annually',
  'quarterly',
  'semiannually',
  'semi-annually',
]);

function calComponent(spec: string, max: number): boolean {
  // comma-separated list of: *, N, N..M, with optional /R repetition
  return spec.split(',').every((item) => {
    const m = /^(\*|\d{1,4}(?:\.\.\d{1,4})?)(?:\/(\d{1,4}))?$/.exec(item);
    if (!m) return false;
    if (m[1] === '*') return true;
    const [a, b] = m[1]!.split('..').map(Number);
    if (a! > max || (b !== undefined && (b > max || b < a!))) return false;
    return true;
  });
}

export function isCalendarEvent(event: string): boolean {
  const s = event.trim().toLowerCase();
  if (s === '') return false;
  if (CAL_KEYWORDS.has(s)) return true;
  const parts = s.split(/\s+/);
  let i = 0;
  // weekday list: mon,tue or mon..fri
  if (parts[i] && /^[a-z]/.test(parts[i]!)) {
    const ok = parts[i]!.split(',').every((d) => {
      const r = d.split('..');
      return r.length <= 2 && r.every((x) => WEEKDAYS.includes(x.slice(0, 3)) && /^[a-z]+$/.test(x));
    });
    if (!ok) return false;
    i++;
  }
  // date: [YYYY-]MM-DD
  if (parts[i]?.includes('-')) {
    const d = parts[i]!.split('-');
    if (d.length === 3) {
      if (!calComponent(d[0]!, 9999) || !calComponent(d[1]!, 12) || !calComponent(d[2]!, 31)) return false;
    } else if (d.length === 2) {
      if (!calComponent(d[0]!, 12) || !calComponent(d[1]!, 31)) return false;
    } else return false;
    i++;
  }
  // time: HH:MM[:SS] or MM (minute only, e.g. "*/15" or "5")
  if (parts[i] !== undefined) {
    const t = parts[i]!.split(':');
    if (t.length === 1) {
      if (!calComponent(t[0]!, 59)) return false;
    } else if (t.length === 2 || t.length === 3) {
      if (!calComponent(t[0]!, 23) || !calComponent(t[1]!, 59)) return false;
      if (t.length === 3 && !calComponent(t[2]!, 59)) return false;
    } else return false;
    i++;
  }
  return i === parts.length && i > 0;
}

// --- firewall (pve-firewall) -----------------------------------------------------------------
const FW_PROTOCOLS = new Set([
  'ip',
  'icmp',
  'igmp',
  'ggp',
  'ipencap',
  'st',
  'tcp',
  'egp',
  'igp',
  'pup',
  'udp',
  'hmp',
  'xns-idp',
  'rdp',
  'iso-tp4',
  'dccp',
  'xtp',
  'ddp',
  'idpr-cmtp',
  'ipv6',
  'ipv6-route',
  'ipv6-frag',
  'idrp',
  'rsvp',
  'gre',
  'esp',
  'ah',
  'skip',
  'ipv6-icmp',
  'icmpv6',
  'ipv6-nonxt',
  'ipv6-opts',
  'vmtp',
  'eigrp',
  'ospf',
  'ax.25',
  'ipip',
  'etherip',
  'encap',
  'pim',
  'ipcomp',
  'vrrp',
  'l2tp',
  'isis',
  'sctp',
  'fc',
  'mobility-header',
  'udplite',
  'mpls-in-ip',
  'manet',
  'hip',
  'shim6',
  'wesp',
  'rohc',
]);
const FW_ALIAS_RE = /^(?:(?:dc|guest)\/)?[a-z][a-z0-9_-]+$/i;

function fwAddress(list: string): void {
  if (list.startsWith('+')) {
    if (!/^\+(?:(?:dc|guest)\/)?[a-z][a-z0-9_-]+$/i.test(list)) fail(`invalid ipset name '${list}'`);
    return;
  }
  const items = list.split(',');
  for (const item of items) {
    const range = item.split('-');
    if (range.length === 2 && isIP(range[0]!) && isIP(range[1]!)) continue;
    if (isIP(item)) continue;
    const m = /^(.+)\/(\d+)$/.exec(item);
    if (m && isIPv4(m[1]!) && Number(m[2]) <= 32) continue;
    if (m && isIPv6(m[1]!) && Number(m[2]) <= 128) continue;
    if (items.length === 1 && FW_ALIAS_RE.test(item)) continue;
    fail(`invalid address '${item}'`);
  }
}

function fwPorts(list: string): void {
  for (const item of list.split(',')) {
    const m = /^(\d+)(?::(\d+))?$/.exec(item);
    if (m) {
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      if (a > 65535 || b > 65535) fail(`invalid port '${item}'`);
      if (b < a) fail(`invalid port range '${item}'`);
      continue;
    }
    if (!/^[a-z][a-z0-9-]*$/i.test(item)) fail(`invalid port '${item}'`);
  }
}

// --- storage / guest volumes ------------------------------------------------------------------
/** PVE::Storage::parse_volume_id. */
export function parseVolumeId(volid: string): { storage: string; name: string } {
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):([\s\S]+)$/i.exec(volid);
  if (!m || m[2]!.includes('\n')) fail(`unable to parse volume ID '${volid}'`);
  return { storage: m![1]!, name: m![2]! };
}

// --- the format table -------------------------------------------------------------------------
type Check = (value: string) => void;

export const FORMATS: Record<string, Check> = {
  string: () => {},
  regex: () => {},
  urlencoded: (v) => {
    if (!/^[-%a-zA-Z0-9_.!~*'()]*$/.test(v)) fail(`invalid urlencoded string: ${v}`);
  },
  'pve-configid': (v) => {
    if (!CONFIGID_RE.test(v)) fail(`invalid configuration ID '${v}'`);
  },
  'pve-storage-id': (v) => {
    if (!ID_RE.test(v)) fail(`storage ID '${v}' contains illegal characters`);
  },
  'pve-bridge-id': (v) => {
    if (!/^[-_.\w]+$/.test(v)) fail(`invalid bridge ID '${v}'`);
  },
  'pve-vmid': (v) => {
    if (!/^[1-9][0-9]{2,8}$/.test(v)) fail('value does not look like a valid VM ID');
  },
  'pve-node': (v) => {
    if (!/^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/.test(v))
      fail('value does not look like a valid node name');
  },
  'mac-addr': (v) => {
    if (!/^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(v))
      fail('value does not look like a valid unicast MAC address');
  },
  'mac-prefix': (v) => {
    if (!/^[a-f0-9][02468ace](?::[a-f0-9]{2}){0,2}:?$/i.test(v))
      fail('value does not look like a valid unicast MAC address prefix');
  },
  ipv4: (v) => {
    if (!isIPv4(v)) fail('value does not look like a valid IPv4 address');
  },
  ipv6: (v) => {
    if (!isIPv6(v)) fail('value does not look like a valid IPv6 address');
  },
  ip: (v) => {
    if (!isIP(v)) fail('value does not look like a valid IP address');
  },
  ipv4mask: (v) => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v);
    const n = m ? m.slice(1).reduce((acc, o) => acc * 256 + Number(o), 0) : -1;
    const bits = n >= 0 ? n.toString(2).padStart(32, '0') : '';
    if (!m || m.slice(1).some((o) => Number(o) > 255) || !/^1*0*$/.test(bits))
      fail('value does not look like a valid IP netmask');
  },
  CIDRv4: (v) => {
    if (!isCidr4(v)) fail('value does not look like a valid IPv4 CIDR network');
  },
  CIDRv6: (v) => {
    if (!isCidr6(v)) fail('value does not look like a valid IPv6 CIDR network');
  },
  CIDR: (v) => {
    if (!isCidr4(v) && !isCidr6(v)) fail('value does not look like a valid CIDR network');
  },
  FullRangeCIDR: (v) => {
    const m = /^(.+)\/(\d+)$/.exec(v);
    const ok = !!m && ((isIPv4(m[1]!) && Number(m[2]) <= 32) || (isIPv6(m[1]!) && Number(m[2]) <= 128));
    if (!ok) fail('value does not look like a valid CIDR network');
  },
  IPorCIDR: (v) => {
    if (!isIP(v) && !isCidr4(v) && !isCidr6(v))
      fail('value does not look like a valid IP address or CIDR network');
  },
  IPorCIDRorAlias: (v) => {
    if (!isIP(v) && !isCidr4(v) && !isCidr6(v) && !/^[a-z][a-z0-9_-]+$/i.test(v))
      fail('value does not look like a valid IP address or CIDR network');
  },
  'pve-ipv4-config': (v) => {
    if (!/^(?:dhcp|manual)$/.test(v) && !isCidr4(v))
      fail('value does not look like a valid ipv4 network configuration');
  },
  'pve-ipv6-config': (v) => {
    if (!/^(?:auto|dhcp|manual)$/.test(v) && !isCidr6(v))
      fail('value does not look like a valid ipv6 network configuration');
  },
  email: (v) => {
    if (!EMAIL_RE.test(v)) fail('value does not look like a valid email address');
  },
  'email-or-username': (v) => {
    if (!EMAIL_RE.test(v) && !EMAIL_USER_RE.test(v))
      fail('value does not look like a valid email address or user name');
  },
  'dns-name': (v) => {
    if (!isDnsName(v)) fail('value does not look like a valid DNS name');
  },
  'pve-iface': (v) => {
    if (!/^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(v)) fail(`invalid network interface name '${v}'`);
  },
  'pve-vlan-id-or-range': (v) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(v);
    if (!m) fail(`invalid VLAN configuration '${v}'`);
    const [a, b] = [Number(m![1]), m![2] === undefined ? undefined : Number(m![2])];
    for (const t of [a, b]) if (t !== undefined && (t < 2 || t > 4094)) fail(`invalid VLAN tag '${t}'`);
    if (b !== undefined && a >= b) fail(`VLAN range must go from lower to higher tag '${v}'`);
  },
  address: (v) => {
    if (!isIP(v) && !isDnsName(v)) fail(`value does not look like a valid address: ${v}`);
  },
  'disk-size': (v) => {
    if (parseSize(v) === undefined) fail(`value does not look like a valid disk size: ${v}`);
  },
  'pve-startup-order': (v) => {
    const parts = v.split(',').filter((p) => !/^\s*$/.test(p));
    const ok = v !== '' && v !== '0' && parts.every((p) => /^(order=)?\d+$|^up=\d+$|^down=\d+$/.test(p));
    if (!ok) fail('unable to parse startup options');
  },
  'pve-tag': (v) => {
    if (!TAG_RE.test(v)) fail('invalid characters in tag');
  },
  'pve-task-status-type': (v) => {
    if (!/^(ok|error|warning|unknown)$/i.test(v)) fail(`invalid status '${v}'`);
  },
  'pve-poolid': (v) => {
    if (!/^(?:[A-Za-z0-9.\-_]+\/){0,2}[A-Za-z0-9.\-_]+$/.test(v))
      fail(`pool name '${v}' contains invalid characters`);
  },
  'pve-userid': (v) => {
    if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/.test(v) || v.length > 64)
      fail(`value '${v}' does not look like a valid user name`);
  },
  'pve-realm': (v) => {
    if (!/^[A-Za-z][A-Za-z0-9.\-_]+$/.test(v)) fail(`value '${v}' does not look like a valid realm`);
  },
  'pve-groupid': (v) => {
    if (!/^[A-Za-z0-9.\-_]+$/.test(v)) fail(`group name '${v}' contains invalid characters`);
  },
  'pve-roleid': (v) => {
    if (!/^[A-Za-z0-9.\-_]+$/.test(v)) fail(`role name '${v}' contains invalid characters`);
  },
  'pve-tokenid': (v) => {
    if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/.test(v))
      fail(`value '${v}' does not look like a valid token ID`);
  },
  'pve-volume-id': (v) => {
    parseVolumeId(v);
  },
  'pve-volume-id-or-absolute-path': (v) => {
    if (v.startsWith('/')) return;
    parseVolumeId(v);
  },
  'pve-volume-id-or-qm-path': (v) => {
    if (v === 'none' || v === 'cdrom' || v.startsWith('/')) return;
    parseVolumeId(v);
  },
  'pve-lxc-mp-string': (v) => {
    if (/\/\.\.?\//.test(v) || /\/\.\.?$/.test(v) || /^\.\.?\//.test(v))
      fail(`${v} contains illegal character sequences`);
  },
  'pve-storage-content': (v) => {
    if (!/^(images|rootdir|vztmpl|iso|backup|snippets|import|none)$/.test(v))
      fail(`invalid content type '${v}'`);
  },
  'pve-storage-path': (v) => {
    if (/[\0]/.test(v) || /\/\.\.?\//.test(v) || /\/\.\.?$/.test(v)) fail(`invalid path '${v}'`);
  },
  'pve-storage-vgname': (v) => {
    if (!/^[a-zA-Z0-9.+_][a-zA-Z0-9.+_-]*$/.test(v)) fail(`invalid volume group name '${v}'`);
  },
  'pve-storage-server': (v) => {
    if (!isIP(v) && !isDnsName(v) && !/^\[[0-9a-fA-F:.]+\]$/.test(v)) fail(`invalid server address '${v}'`);
  },
  'pve-storage-portal-dns': (v) => {
    if (!/^[^\s]+$/.test(v)) fail(`invalid portal '${v}'`);
  },
  'pve-storage-zfs-blocksize': (v) => {
    if (!/^\d+[kKmM]?$/.test(v)) fail(`invalid block size '${v}'`);
  },
  'pve-calendar-event': (v) => {
    if (!isCalendarEvent(v)) fail(`unable to parse calendar event '${v}'`);
  },
  'pve-day-of-week': (v) => {
    if (!WEEKDAYS.includes(v)) fail(`invalid day of week '${v}'`);
  },
  'pve-fw-addr-spec': fwAddress,
  'pve-fw-dport-spec': fwPorts,
  'pve-fw-sport-spec': fwPorts,
  'pve-fw-protocol-spec': (v) => {
    if (/^\d+$/.test(v)) {
      if (Number(v) > 255) fail(`invalid protocol '${v}'`);
      return;
    }
    if (!FW_PROTOCOLS.has(v.toLowerCase())) fail(`unknown protocol '${v}'`);
  },
  'pve-fw-icmp-type-spec': (v) => {
    if (!/^(\d+(\/\d+)?|[a-z][a-z-]*[a-z])$/.test(v)) fail(`invalid icmp-type '${v}'`);
  },
  'pve-fw-conntrack-helper': (v) => {
    for (const h of splitList(v))
      if (!['amanda', 'ftp', 'irc', 'netbios-ns', 'pptp', 'sane', 'sip', 'snmp', 'tftp'].includes(h))
        fail(`invalid conntrack helper '${h}'`);
  },
  'pve-qm-bootdisk': (v) => {
    if (!/^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$/.test(v)) fail(`invalid boot disk '${v}'`);
  },
  'pve-qm-bootdev': (v) => {
    if (!/^(ide|sata|scsi|virtio|net|usb|hostpci)\d+$/.test(v)) fail(`invalid boot device '${v}'`);
  },
  'pve-phys-bits': (v) => {
    if (v === 'host') return;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 8 || n > 64) fail(`invalid phys-bits value '${v}'`);
  },
  'pve-cpuset': (v) => {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v)) fail(`invalid cpuset '${v}'`);
  },
  'pve-ct-timezone': (v) => {
    if (v === 'host' || v === 'UTC') return;
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(v)) fail(`invalid time zone '${v}'`);
  },
  'lxc-ip-with-ll-iface': (v) => {
    const [ip, iface] = v.split('%');
    if (!isIP(ip!) || (iface !== undefined && !/^[a-z][a-z0-9_.]*$/i.test(iface)))
      fail('value does not look like a valid IP address');
  },
  'pve-sdn-subnet-id': (v) => {
    if (!/^[a-z][a-z0-9]*[a-z0-9]-.+$/i.test(v) && !isCidr4(v) && !isCidr6(v))
      fail(`invalid sdn subnet id '${v}'`);
  },
  'pve-sdn-dhcp-range': () => {},
  'pve-ha-resource-or-vm-id': (v) => {
    if (!/^(?:(vm|ct):)?[1-9][0-9]{2,8}$/.test(v)) fail(`invalid HA resource ID '${v}'`);
  },
  'pve-ha-resource-id': (v) => {
    if (!/^(vm|ct):[1-9][0-9]{2,8}$/.test(v)) fail(`invalid HA resource ID '${v}'`);
  },
  'pve-replication-job-id': (v) => {
    if (!/^[1-9][0-9]{2,8}-\d{1,9}$/.test(v)) fail(`invalid replication job ID '${v}'`);
  },
  'pve-priv': (v) => {
    if (!/^[A-Z][A-Za-z.]+$/.test(v)) fail(`invalid privilege '${v}'`);
  },
  'pve-hotplug-features': (v) => {
    if (/^[01]$/.test(v)) return;
    for (const f of v.split(','))
      if (!['cpu', 'disk', 'memory', 'network', 'usb', 'cloudinit'].includes(f))
        fail(`invalid hotplug feature '${f}'`);
  },
  'pve-ha-node': (v) => {
    if (!/^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)(:\d+)?$/.test(v)) fail(`invalid node '${v}'`);
  },
  'ldap-simple-attr': (v) => {
    if (!/^[a-zA-Z0-9]+$/.test(v)) fail(`value '${v}' does not look like a simple ldap attribute name`);
  },
  'pve-sdn-fabric-id': (v) => {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9-]{0,6}[a-zA-Z0-9]$/.test(v)) fail(`invalid fabric ID '${v}'`);
  },
  'pve-sdn-bgp-rt': (v) => {
    const m = /^(.+):(\d+)$/.exec(v);
    if (!m || !(/^\d+$/.test(m[1]!) || isIPv4(m[1]!))) fail(`invalid route target '${v}'`);
  },
  'storage-pair': (v) => idPair(v, 'pve-storage-id'),
  'bridge-pair': (v) => idPair(v, 'pve-bridge-id'),
};

function idPair(v: string, fmt: string): void {
  if (v === '1') return;
  const check = FORMATS[fmt]!;
  for (const part of v.split(':')) {
    try {
      check(part);
    } catch (e) {
      fail(`entry '${v}' contains invalid ID - ${(e as Error).message}`);
    }
  }
}

/**
 * Property-string formats that the schema dump names instead of expanding. Sub-keys as the PVE
 * source defines them (qemu-server PVE::QemuServer, pve-guest-common, PVE::JSONSchema).
 */
export const NAMED_PROPERTY_FORMATS: Record<string, Record<string, ParamSchema>> = {
  'pve-qm-ipconfig': {
    ip: { type: 'string', format: 'pve-ipv4-config', optional: 1 },
    gw: { type: 'string', format: 'ipv4', optional: 1 },
    ip6: { type: 'string', format: 'pve-ipv6-config', optional: 1 },
    gw6: { type: 'string', format: 'ipv6', optional: 1 },
  },
  'pve-qm-boot': {
    legacy: { optional: 1, type: 'string', pattern: '[acdn]{1,4}', default_key: 1 },
    order: { optional: 1, type: 'string', format: 'pve-qm-bootdev-list' },
  },
  'pve-vm-cpu-conf': {
    cputype: { type: 'string', pattern: '(?:custom-)?[a-zA-Z0-9_.+\\-]+', default_key: 1, optional: 1 },
    flags: { type: 'string', pattern: '(?:[+-][a-zA-Z0-9\\-_.]+)(?:;[+-][a-zA-Z0-9\\-_.]+)*', optional: 1 },
    hidden: { type: 'boolean', optional: 1 },
    'hv-vendor-id': { type: 'string', pattern: '[a-zA-Z0-9]{1,12}', optional: 1 },
    'phys-bits': { type: 'string', format: 'pve-phys-bits', optional: 1 },
    'guest-phys-bits': { type: 'integer', minimum: 32, maximum: 64, optional: 1 },
    level: { type: 'integer', optional: 1 },
    'reported-model': { type: 'string', optional: 1 },
  },
  'prune-backups': {
    'keep-all': { type: 'boolean', optional: 1 },
    'keep-last': { type: 'integer', minimum: 1, optional: 1 },
    'keep-hourly': { type: 'integer', minimum: 1, optional: 1 },
    'keep-daily': { type: 'integer', minimum: 1, optional: 1 },
    'keep-weekly': { type: 'integer', minimum: 1, optional: 1 },
    'keep-monthly': { type: 'integer', minimum: 1, optional: 1 },
    'keep-yearly': { type: 'integer', minimum: 1, optional: 1 },
  },
  'pve-qm-cicustom': {
    meta: { type: 'string', format: 'pve-volume-id', optional: 1 },
    network: { type: 'string', format: 'pve-volume-id', optional: 1 },
    user: { type: 'string', format: 'pve-volume-id', optional: 1 },
    vendor: { type: 'string', format: 'pve-volume-id', optional: 1 },
  },
  'pve-qm-watchdog': {
    model: { type: 'string', enum: ['i6300esb', 'ib700'], default_key: 1, optional: 1 },
    action: {
      type: 'string',
      enum: ['reset', 'shutdown', 'poweroff', 'pause', 'debug', 'none'],
      optional: 1,
    },
  },
  'pve-qm-rng': {
    source: { type: 'string', enum: ['/dev/urandom', '/dev/random', '/dev/hwrng'], default_key: 1 },
    max_bytes: { type: 'integer', optional: 1 },
    period: { type: 'integer', optional: 1 },
  },
  'pve-qm-smbios1': {
    base64: { type: 'boolean', optional: 1 },
    family: { type: 'string', optional: 1 },
    manufacturer: { type: 'string', optional: 1 },
    product: { type: 'string', optional: 1 },
    serial: { type: 'string', optional: 1 },
    sku: { type: 'string', optional: 1 },
    uuid: { type: 'string', pattern: '[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}', optional: 1 },
    version: { type: 'string', optional: 1 },
  },
  'backup-performance': {
    'max-workers': { type: 'integer', minimum: 1, maximum: 256, optional: 1 },
    'pbs-entries-max': { type: 'integer', minimum: 1, optional: 1 },
  },
  'backup-fleecing': {
    enabled: { type: 'boolean', default_key: 1, optional: 1 },
    storage: { type: 'string', format: 'pve-storage-id', optional: 1 },
  },
};

/** Formats that we accepted without checking because we do not know them (for test listings). */
export const unknownFormatsSeen = new Set<string>();

/**
 * Runs a named format check. Handles the `-list` / `-alist` and `-opt` suffixes the way
 * PVE::JSONSchema::check_format does. Returns the named property-string schema when the format
 * is one, so the caller parses it as a property string.
 */
export function checkNamedFormat(format: string, value: string): Record<string, ParamSchema> | undefined {
  const named = NAMED_PROPERTY_FORMATS[format];
  if (named) return named;
  const direct = FORMATS[format];
  if (direct) {
    direct(value);
    return undefined;
  }
  const m = /^(.*?)-(a?list|opt)$/.exec(format);
  if (m) {
    const base = FORMATS[m[1]!];
    if (base) {
      if (m[2] === 'opt') {
        if (value) base(value);
      } else {
        for (const item of splitList(value)) base(item);
      }
      return undefined;
    }
    unknownFormatsSeen.add(m[1]!);
    return undefined;
  }
  unknownFormatsSeen.add(format);
  return undefined;
}
