/**
 * WebSocket connections to the PVE API (`GET …/vncwebsocket`), under the same TLS policy and
 * authentication as the REST calls. The TLS connection is made and checked first (a pinned
 * fingerprint is compared before any byte of the upgrade request — which carries the API token —
 * is written), then handed to `ws` for the HTTP upgrade.
 */
import { isIP } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { ProxmoxConnectionError, ProxmoxError, ProxmoxTlsError } from './errors.ts';
import { normalizeFingerprint, type TlsOptions } from './tls.ts';

export interface WebSocketTarget {
  url: string;
  headers: Record<string, string>;
  tls?: TlsOptions;
}

export interface OpenWebSocketOptions {
  /** Subprotocols (PVE's consoles use `binary`). */
  protocols?: string[];
  /** TCP + TLS + upgrade deadline. Default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The HTTP status of a refused upgrade (401 bad ticket, 500 guest not running …). */
export class ProxmoxWebSocketError extends ProxmoxError {
  override name = 'ProxmoxWebSocketError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

function secureSocket(url: URL, tls: TlsOptions | undefined, timeoutMs: number): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const pinned = tls?.fingerprint ? normalizeFingerprint(tls.fingerprint) : undefined;
  const servername = tls?.servername ?? (isIP(host) ? undefined : host);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port,
      ...(servername ? { servername } : {}),
      ...(pinned
        ? { rejectUnauthorized: false }
        : { rejectUnauthorized: true, ...(tls?.ca ? { ca: tls.ca } : {}) }),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ProxmoxConnectionError({
          method: 'GET',
          path: url.pathname,
          code: 'ETIMEDOUT',
          beforeSend: true,
          reason: 'connect timed out',
        }),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      if (pinned) {
        const seen = socket.getPeerCertificate()?.fingerprint256 ?? '';
        if (seen.toUpperCase() !== pinned) {
          socket.destroy();
          reject(new ProxmoxTlsError('certificate fingerprint mismatch', { expected: pinned, actual: seen }));
          return;
        }
      }
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME/.test(e.code ?? '')
          ? new ProxmoxTlsError(`TLS verification failed: ${e.message}`, { cause: e })
          : new ProxmoxConnectionError({
              method: 'GET',
              path: url.pathname,
              code: e.code,
              beforeSend: true,
              reason: e.message,
              cause: e,
            }),
      );
    });
  });
}

/**
 * Open a WebSocket to the API; resolves once the upgrade succeeded, with the socket PAUSED: the
 * server may send its first frame together with the upgrade answer (RFB's version line), and it
 * would be emitted before the caller's `message` listener exists. Add listeners, then `resume()`.
 */
export async function openWebSocket(
  target: WebSocketTarget,
  options: OpenWebSocketOptions = {},
): Promise<WebSocket> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = new URL(target.url);
  const socket = await secureSocket(url, target.tls, timeoutMs);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target.url, options.protocols ?? [], {
      headers: target.headers,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      createConnection: () => socket,
    } as WebSocket.ClientOptions);
    ws.binaryType = 'nodebuffer';
    const onAbort = () => ws.terminate();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    ws.once('open', () => {
      done();
      ws.pause();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => {
      done();
      const status = res.statusCode ?? null;
      const message = res.statusMessage ?? '';
      res.resume();
      ws.terminate();
      reject(new ProxmoxWebSocketError(`websocket upgrade refused: ${status} ${message}`.trim(), status));
    });
    ws.once('error', (e) => {
      done();
      reject(e instanceof ProxmoxError ? e : new ProxmoxWebSocketError(e.message, null));
    });
  });
}
