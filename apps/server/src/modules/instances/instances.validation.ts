/** Pure checks for instance input that JSON schema patterns cannot express. */

export const INSTANCE_NAME = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
export const LOGIN_USER = '^[a-z_][a-z0-9_-]{0,31}$';
export const STORAGE_ID = '^[a-z][a-z0-9._-]{0,62}[a-z0-9]$';
export const BRIDGE_NAME = '^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$';
export const NODE_NAME = '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$';
export const TAG_KEY = '^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]{0,63}$';
export const IPV4 = '^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$';
export const IPV4_CIDR = `${IPV4.slice(0, -1)}/(3[0-2]|[12]?\\d)$`;

function toInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}

/**
 * A static IPv4 address in CIDR form plus optional gateway: the address must be a usable host of
 * its subnet (not the network or broadcast address for /1–/30), the gateway inside the subnet and
 * different from the address. Returns an error message or null.
 */
export function checkStaticIpv4(cidr: string, gateway?: string): string | null {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!m) return `'${cidr}' is not an IPv4 address in CIDR form such as 192.168.1.50/24`;
  const ip = toInt(m[1]!);
  const prefix = Number(m[2]);
  if (ip === null) return `'${m[1]}' is not a valid IPv4 address`;
  if (prefix < 1 || prefix > 32) return `prefix /${prefix} must be between /1 and /32`;
  const mask = prefix === 32 ? 0xffffffff : ~((1 << (32 - prefix)) - 1) >>> 0;
  const network = (ip & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  if (prefix <= 30 && (ip === network || ip === broadcast)) {
    return `${m[1]} is the ${ip === network ? 'network' : 'broadcast'} address of ${cidr}; pick a host address`;
  }
  const first = ip >>> 24;
  if (first === 0 || first === 127 || first >= 224) return `${m[1]} is not a usable unicast address`;
  if (gateway !== undefined) {
    const gw = toInt(gateway);
    if (gw === null) return `gateway '${gateway}' is not a valid IPv4 address`;
    if ((gw & mask) >>> 0 !== network) return `gateway ${gateway} is not inside ${cidr}`;
    if (gw === ip) return 'the gateway must differ from the instance address';
  }
  return null;
}

/** /dev/sdX for scsiN (scsi0 is the root disk: sda). */
export function scsiDeviceName(index: number): string {
  let n = index;
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `/dev/sd${s}`;
}
