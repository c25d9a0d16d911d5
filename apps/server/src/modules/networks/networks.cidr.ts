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
