import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import { ProxmoxTlsError } from './errors.ts';

/**
 * How to trust the PVE host's certificate. Verification is never switched off:
 * - `{fingerprint}`: pin the SHA-256 fingerprint of the host's leaf certificate (`pvenode cert info`;
 *   `AA:BB:…` or plain hex). The chain is not checked (PVE's certificate is self-signed), but the
 *   connection is refused before any request byte is sent unless the presented certificate has
 *   exactly this fingerprint. TLS session resumption is disabled so every connection shows it.
 * - `{ca}`: trust this CA (PEM), with normal chain and hostname verification (`servername`
 *   overrides the name checked, e.g. when connecting by IP to a host whose certificate names it).
 * - omitted: the system's trusted CAs (a host with a publicly trusted certificate).
 */
export type TlsOptions =
  | { fingerprint: string; ca?: undefined; servername?: string }
  | { ca: string | Buffer | Array<string | Buffer>; fingerprint?: undefined; servername?: string };

/** `aa:bb…`, `AABB…`, `sha256/AA:BB` → `AA:BB:…` (64 hex digits, colon separated). */
export function normalizeFingerprint(fp: string): string {
  const hex = fp
    .trim()
    .replace(/^sha256[:/ ]?/i, '')
    .replace(/[:\s-]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new ProxmoxTlsError(
      'TLS fingerprint must be a SHA-256 fingerprint (64 hex digits, e.g. from `pvenode cert info`)',
    );
  }
  return hex.match(/../g)!.join(':');
}

/** Marks errors raised while connecting: nothing of the request was sent yet. */
const connectPhaseErrors = new WeakSet<object>();
export function isConnectPhaseError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && connectPhaseErrors.has(err);
}

export interface ConnectorOptions {
  tls?: TlsOptions;
  /** TCP + TLS handshake timeout. */
  connectTimeoutMs: number;
}

/** An undici connector that enforces the TLS policy and tags connect-phase errors. */
export function createConnector(opts: ConnectorOptions): buildConnector.connector {
  const tls = opts.tls;
  const pinned = tls?.fingerprint ? normalizeFingerprint(tls.fingerprint) : undefined;
  const base = buildConnector({
    timeout: opts.connectTimeoutMs,
    ...(pinned
      ? // The pin replaces chain verification; the check below runs before the socket is used.
        { rejectUnauthorized: false, maxCachedSessions: 0 }
      : { rejectUnauthorized: true, ...(tls?.ca ? { ca: tls.ca } : {}) }),
    ...(tls?.servername ? { servername: tls.servername } : {}),
  });
  return (options, callback) => {
    base(options, (err, socket) => {
      if (err) {
        connectPhaseErrors.add(err);
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME|ALTNAME/i.test(code)) {
          const tlsErr = new ProxmoxTlsError(
            `TLS verification of the Proxmox host failed (${code}: ${err.message}). ` +
              'Pin the host certificate fingerprint or give the CA that signed it; verification is never disabled.',
            { cause: err },
          );
          connectPhaseErrors.add(tlsErr);
          callback(tlsErr, null);
          return;
        }
        callback(err, null);
        return;
      }
      if (pinned) {
        const cert = (socket as TLSSocket).getPeerCertificate?.();
        const got = cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : '(no certificate)';
        if (got !== pinned) {
          socket!.destroy();
          const tlsErr = new ProxmoxTlsError(
            `TLS certificate fingerprint mismatch for the Proxmox host: expected ${pinned}, got ${got}`,
            { expected: pinned, actual: got },
          );
          connectPhaseErrors.add(tlsErr);
          callback(tlsErr, null);
          return;
        }
      }
      callback(null, socket!);
    });
  };
}
