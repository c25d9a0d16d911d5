/**
 * Where webhooks and push notifications may go (SSRF guard). A channel URL is checked when it is
 * saved and again on every connection (a DNS lookup hook, so a name that later resolves to a
 * private address — DNS rebinding — is refused too):
 *
 * - never: link-local (169.254.0.0/16 incl. the cloud metadata address, fe80::/10, fd00:ec2::254),
 *   unspecified, multicast and broadcast addresses;
 * - only when an admin allows private targets (`allowPrivateTargets`): loopback, this server's own
 *   interface addresses, RFC 1918 / CGNAT / unique-local ranges — the usual homelab ntfy or Gotify;
 * - everything else (public addresses): always.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export type AddressClass = 'forbidden' | 'private' | 'public';

const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4');
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4');
FORBIDDEN.addSubnet('224.0.0.0', 4, 'ipv4');
FORBIDDEN.addAddress('255.255.255.255', 'ipv4');
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6');
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6');
FORBIDDEN.addAddress('::', 'ipv6');
FORBIDDEN.addSubnet('ff00::', 8, 'ipv6');

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** This machine's own addresses (the server itself counts as a private target). */
function ownAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) out.add(a.address.toLowerCase());
  }
  return out;
}

export function classifyAddress(address: string): AddressClass {
  let ip = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  if (family === 0) return 'forbidden';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (FORBIDDEN.check(ip, type)) return 'forbidden';
  if (PRIVATE.check(ip, type) || ownAddresses().has(ip)) return 'private';
  return 'public';
}

export class TargetRefusedError extends Error {
  constructor(
    message: string,
    readonly address: string,
  ) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** Why an address may not be used under the policy, or null when it may. */
export function refusal(address: string, allowPrivate: boolean): string | null {
  const cls = classifyAddress(address);
  if (cls === 'forbidden')
    return `${address} is a link-local, metadata, multicast or unspecified address; notifications never go there`;
  if (cls === 'private' && !allowPrivate)
    return `${address} is a private, loopback or own address; an admin must allow private notification targets first`;
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that refuses addresses the policy does not allow. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const why = refusal(a.address, allowPrivate);
        if (why)
          return callback(
            Object.assign(new TargetRefusedError(why, a.address), { code: 'EREFUSED_TARGET' }),
            [],
          );
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Check a channel URL when it is saved: http(s) only, no credentials in it, and every address its
 * host resolves to allowed. Returns a problem message or null.
 */
export async function checkTargetUrl(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.username || url.password)
    return 'must not contain a user name or password (use the secret/token field)';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refusal(host, allowPrivate);
  const addresses = await new Promise<LookupAddress[] | null>((resolve) =>
    dnsLookup(host, { all: true }, (err, list) => resolve(err ? null : list)),
  );
  if (!addresses || addresses.length === 0) return `host ${host} could not be resolved`;
  for (const a of addresses) {
    const why = refusal(a.address, allowPrivate);
    if (why) return `${host} resolves to ${why}`;
  }
  return null;
}
