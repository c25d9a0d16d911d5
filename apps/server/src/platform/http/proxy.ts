import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

export type TrustFn = (address: string, hop: number) => boolean;

const TRUST_NONE: TrustFn = () => false;

/**
 * The trust function for PROXICLOUD_TRUST_PROXY's list (proxy-addr's, the one Fastify uses for
 * request.ip). Empty list: nobody is trusted, the socket's peer is the client.
 */
export function compileTrust(list: readonly string[]): TrustFn {
  return list.length === 0 ? TRUST_NONE : proxyAddr.compile([...list]);
}

/**
 * The client address: walking X-Forwarded-For from the right (every header line, including the
 * comma-appended form), the first hop that is not a trusted proxy. Without a trusted peer the
 * header is ignored. Same answer as Fastify's request.ip with the same trust function.
 */
export function clientAddress(req: IncomingMessage, trust: TrustFn): string {
  return proxyAddr(req, trust) ?? req.socket.remoteAddress ?? 'unknown';
}

/** X-Forwarded-Proto when the peer is a trusted proxy (its last value), else the socket's protocol. */
export function requestProtocol(req: IncomingMessage, trust: TrustFn): 'http' | 'https' {
  const peer = req.socket.remoteAddress;
  const fwd = req.headers['x-forwarded-proto'];
  if (typeof fwd === 'string' && peer !== undefined && trust(peer, 0)) {
    const last = fwd
      .slice(fwd.lastIndexOf(',') + 1)
      .trim()
      .toLowerCase();
    if (last === 'https' || last === 'http') return last;
  }
  return (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
}
