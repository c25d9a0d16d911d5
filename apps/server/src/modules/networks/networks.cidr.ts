/**
 * IPv4/IPv6 CIDR arithmetic for networks (pure): parsing with exact errors, overlap, the usable
 * host range, the default gateway and DHCP range, and picking free addresses. IPv4 addresses are
 * plain numbers (0 … 2^32-1); IPv6 is parsed only far enough to validate and compare prefixes.
 */

export interface Cidr4 {
  /** network address */
  net: number;
  bits: number;
}

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x, i) => x > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return undefined;
  return ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export type CidrProblem = 'syntax' | 'host_bits' | 'prefix';

/** Parses `a.b.c.d/n`; `problem` says why it is not a network CIDR. */
export function parseCidr4(text: string): { cidr?: Cidr4; problem?: CidrProblem } {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return { problem: 'syntax' };
  const net = ipv4ToInt(m[1]!);
  const bits = Number(m[2]);
  if (net === undefined || bits > 32) return { problem: 'syntax' };
  if (net % 2 ** (32 - bits) !== 0) return { problem: 'host_bits' };
  return { cidr: { net, bits } };
}

export function cidrText(c: Cidr4): string {
  return `${intToIpv4(c.net)}/${c.bits}`;
}

export function size(c: Cidr4): number {
  return 2 ** (32 - c.bits);
}

export function contains(c: Cidr4, ip: number): boolean {
  return ip >= c.net && ip < c.net + size(c);
}

export function overlaps(a: Cidr4, b: Cidr4): boolean {
  return a.net < b.net + size(b) && b.net < a.net + size(a);
}

/** First and last usable host (no network or broadcast address) and how many there are. */
export function usableRange(c: Cidr4): { first: number; last: number; count: number } {
  if (c.bits >= 31) return { first: c.net, last: c.net + size(c) - 1, count: size(c) };
  return { first: c.net + 1, last: c.net + size(c) - 2, count: size(c) - 2 };
}

/** The address PVE's gateway takes by default: the first usable host. */
export function defaultGateway(c: Cidr4): number {
  return usableRange(c).first;
}

/** A DHCP range that leaves the first 9 hosts (gateway, fixed addresses) and the last one free. */
export function defaultDhcpRange(c: Cidr4): { start: number; end: number } {
  const r = usableRange(c);
  const start = Math.min(r.first + 9, r.last);
  const end = Math.max(start, r.last - 1);
  return { start, end };
}

/** Lowest free usable host that is not `taken` (numbers) and not the gateway. */
export function nextFree(c: Cidr4, taken: ReadonlySet<number>, from?: number): number | undefined {
  const r = usableRange(c);
  for (let ip = Math.max(from ?? r.first, r.first); ip <= r.last; ip++) if (!taken.has(ip)) return ip;
  return undefined;
}

/** Loose IPv6 prefix check (`2001:db8::/64`): syntax and a prefix length of 8 … 128. */
export function validIpv6Cidr(text: string): boolean {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  if (!m) return false;
  const bits = Number(m[2]);
  if (bits < 8 || bits > 128) return false;
  const addr = m[1]!;
  const parts = addr.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p ? p.split(':') : []));
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return parts.length === 2 ? groups.length < 8 : groups.length === 8;
}

// ---- IPv6 (BigInt arithmetic: parse, format as RFC 5952, EUI-64 host parts) ----------------

export interface Cidr6 {
  net: bigint;
  bits: number;
}

export function ipv6ToBig(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const parts = text.split('::');
  if (parts.length > 2) return undefined;
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  if ([...head, ...tail].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = 8 - head.length - tail.length;
  if (parts.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array(missing).fill('0'), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of ≥ 2 zero groups as `::`. */
export function bigToIpv6(n: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len && j - i >= 2) {
      best = i;
      len = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + len).join(':')}`;
}

export function parseCidr6(text: string): { cidr?: Cidr6; problem?: CidrProblem } {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  if (!m) return { problem: 'syntax' };
  const net = ipv6ToBig(m[1]!);
  const bits = Number(m[2]);
  if (net === undefined || bits > 128) return { problem: 'syntax' };
  if (net % 2n ** BigInt(128 - bits) !== 0n) return { problem: 'host_bits' };
  return { cidr: { net, bits } };
}

export function cidr6Text(c: Cidr6): string {
  return `${bigToIpv6(c.net)}/${c.bits}`;
}

export function contains6(c: Cidr6, ip: bigint): boolean {
  return ip >= c.net && ip < c.net + 2n ** BigInt(128 - c.bits);
}

export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  return a.net < b.net + 2n ** BigInt(128 - b.bits) && b.net < a.net + 2n ** BigInt(128 - a.bits);
}

/** The gateway of an IPv6 subnet: its first address (`prefix::1`). */
export function gateway6(c: Cidr6): string {
  return bigToIpv6(c.net + 1n);
}

/** The modified EUI-64 interface id of a MAC (what SLAAC derives): `BC:24:11:..` → `be24:11ff:fe..:....`. */
export function eui64(mac: string): bigint {
  const b = mac.split(/[:-]/).map((x) => Number.parseInt(x, 16));
  const bytes = [b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  return bytes.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
}

/**
 * A NIC's IPv6 address: in a /64 (or shorter prefix: its first /64) the SLAAC address of the MAC,
 * so a static address and SLAAC agree; in a longer prefix the lowest free host from `::10`.
 */
export function address6(c: Cidr6, mac: string, taken: ReadonlySet<string>): string | undefined {
  if (c.bits <= 64) return bigToIpv6(c.net | eui64(mac));
  const size = 2n ** BigInt(128 - c.bits);
  for (let i = 16n; i < size; i++) {
    const ip = bigToIpv6(c.net + i);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}
