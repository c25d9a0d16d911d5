/**
 * The console websocket proxy (`GET /api/v1/console/ws?session=…`, a raw `upgrade` handler on the
 * main HTTP server). It redeems the one-time session token, connects to PVE's `vncwebsocket` for
 * the session's own node/guest (nothing in the request chooses where to connect), logs in there
 * with the PVE ticket, then pipes frames both ways with backpressure until one side closes, the
 * user goes idle, their access ends or the instance stops. Opening and closing are audited.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import type { ProxmoxConnection } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../../platform/db/repository.ts';
import type { CallContext } from '../../platform/http/context.ts';
import { genRequestId } from '../../platform/http/core.plugin.ts';
import { clientAddress, requestProtocol, type TrustFn } from '../../platform/http/proxy.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { ConsoleType } from './consoles.schemas.ts';
import type { ConsolesService, PendingSession } from './consoles.service.ts';
import {
  ByteReader,
  rfbGreetClient,
  rfbLoginUpstream,
  termLoginUpstream,
  toBuffer,
} from './consoles.wire.ts';

export const CONSOLE_WS_PATH = '/api/v1/console/ws';

/** Why a session ended: the websocket close code the user's client sees, and the audit reason. */
export const CLOSE = {
  client_closed: 1000,
  upstream_closed: 1000,
  idle_timeout: 4000,
  access_revoked: 4001,
  instance_stopped: 4002,
  instance_deleted: 4003,
  server_shutdown: 1001,
  upstream_error: 1011,
} as const;
export type CloseReason = keyof typeof CLOSE;

const CLOSE_TEXT: Record<CloseReason, string> = {
  client_closed: 'closed',
  upstream_closed: 'the console ended',
  idle_timeout: 'closed after being idle',
  access_revoked: 'your access to this console ended',
  instance_stopped: 'the instance stopped',
  instance_deleted: 'the instance was deleted',
  server_shutdown: 'the server is restarting',
  upstream_error: 'Proxmox closed the console',
};

/** Pause a sender when this much is queued towards the other side; resume below LOW. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
const MAX_FRAME = 8 * 1024 * 1024;
const HANDSHAKE_MS = 10_000;

export interface LiveSession {
  id: string;
  actor: Actor;
  instanceId: string;
  type: ConsoleType;
  startedAt: number;
  lastInput: number;
  bytesIn: number;
  bytesOut: number;
  /** Bytes the proxy holds for this session right now (queued towards either side). */
  queued(): number;
  close(reason: CloseReason): void;
}

export interface ConsoleProxyDeps {
  service: ConsolesService;
  proxmox: () => ProxmoxConnection;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  logger: Logger;
  trustProxy: TrustFn;
}

export class ConsoleProxy {
  readonly live = new Map<string, LiveSession>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_FRAME,
  });

  constructor(private readonly deps: ConsoleProxyDeps) {}

  /** The `upgrade` listener: true when the request was ours. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== CONSOLE_WS_PATH) return false;
    socket.on('error', () => undefined);
    void this.accept(req, socket, head, url).catch((err) => {
      this.deps.logger.error({ err }, 'console upgrade failed');
      refuse(socket, 500, 'internal_error', 'The console could not be opened');
    });
    return true;
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    if (req.method !== 'GET') return refuse(socket, 405, 'method_not_allowed', 'Use GET');
    if (!this.originAllowed(req))
      return refuse(socket, 403, 'origin_not_allowed', 'The page opening this console is not ProxiCloud');
    const token = url.searchParams.get('session') ?? '';
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token))
      return refuse(socket, 401, 'session_invalid', 'Missing or malformed console session token');
    const redeemed = await this.deps.service.redeem(token);
    if ('refused' in redeemed) {
      const text = {
        invalid: 'Unknown or already used console session token',
        expired: 'The console session token expired; open the console again',
        revoked: 'You may no longer open this console',
      }[redeemed.refused];
      // a real session refused (expired, or its user may no longer use it) is worth an audit entry
      if ('session' in redeemed)
        await this.audit(
          this.context(req, redeemed.session.actor),
          redeemed.session,
          'instances.console_open',
          'denied',
          {
            error: `session_${redeemed.refused}`,
          },
        );
      return refuse(socket, redeemed.refused === 'revoked' ? 403 : 401, `session_${redeemed.refused}`, text);
    }
    const { session, actor } = redeemed;
    const ctx = this.context(req, actor);
    let upstream: Upstream;
    try {
      upstream = await this.connectUpstream(session);
    } catch (err) {
      const message = (err as Error).message;
      await this.audit(ctx, session, 'instances.console_open', 'failure', { error: message });
      this.deps.logger.warn({ err, sessionId: session.id }, 'console: Proxmox refused the connection');
      return refuse(socket, 502, 'upstream_error', `Proxmox refused the console: ${message}`);
    }
    if (socket.destroyed) {
      upstream.terminate();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (client) => {
      client.binaryType = 'nodebuffer';
      // hold the user's first frames (a terminal sends its size at once) until the pipe is set up
      client.pause();
      void this.run(ctx, session, client, upstream);
    });
  }

  /** Connect to PVE with the session's ticket (fresh if the stored one is too old) and log in. */
  private async connectUpstream(session: PendingSession): Promise<Upstream> {
    const pve = await this.deps.service.freshTicket(session);
    const up = await this.deps
      .proxmox()
      .client.vncWebSocket(pve.node, pve.kind, pve.vmid, { port: pve.port, vncticket: pve.ticket });
    up.binaryType = 'nodebuffer';
    const reader = new ByteReader(up);
    up.resume(); // it comes paused so that nothing PVE sent with the upgrade answer is lost
    const timer = setTimeout(
      () => reader.fail(new Error('Proxmox did not finish the login in time')),
      HANDSHAKE_MS,
    );
    try {
      let rest: Buffer;
      if (session.type === 'vnc') {
        await rfbLoginUpstream(reader, (b) => up.send(b), pve.ticket);
        rest = reader.release();
      } else rest = await termLoginUpstream(reader, (s) => up.send(s), pve.user, pve.ticket);
      return new Upstream(up, rest);
    } catch (e) {
      reader.release();
      up.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private async run(
    ctx: CallContext,
    session: PendingSession,
    client: WebSocket,
    upstream: Upstream,
  ): Promise<void> {
    const up = upstream.ws;
    const now = () => this.deps.clock.now().getTime();
    const live: LiveSession = {
      id: session.id,
      actor: session.actor,
      instanceId: session.instanceId,
      type: session.type,
      startedAt: now(),
      lastInput: now(),
      bytesIn: 0,
      bytesOut: 0,
      queued: () => client.bufferedAmount + up.bufferedAmount,
      close: () => undefined,
    };
    let ended = false;
    const end = (reason: CloseReason) => {
      if (ended) return;
      ended = true;
      this.live.delete(session.id);
      const code = CLOSE[reason];
      if (client.readyState === client.OPEN || client.readyState === client.CONNECTING)
        client.close(code, CLOSE_TEXT[reason]);
      if (up.readyState === up.OPEN || up.readyState === up.CONNECTING) up.close(1000);
      setTimeout(() => {
        client.terminate();
        up.terminate();
      }, 2000).unref();
      void this.audit(ctx, session, 'instances.console_close', 'success', {
        reason,
        durationSeconds: Math.round((now() - live.startedAt) / 1000),
        bytesIn: live.bytesIn,
        bytesOut: live.bytesOut,
      });
    };
    live.close = end;
    this.live.set(session.id, live);
    client.on('close', () => end('client_closed'));
    up.on('close', () => end('upstream_closed'));
    if (up.readyState !== up.OPEN) return end('upstream_closed');
    client.on('error', () => end('client_closed'));
    up.on('error', () => end('upstream_error'));
    void this.audit(ctx, session, 'instances.console_open', 'success', {});

    // towards the user: the greeting (VNC), what PVE sent after the login, then the stream
    try {
      if (session.type === 'vnc') {
        const reader = new ByteReader(client);
        client.resume();
        await rfbGreetClient(reader, (b) => client.send(b));
        const rest = reader.release();
        if (rest.length) {
          live.bytesIn += rest.length;
          up.send(rest);
        }
      }
    } catch {
      return end('client_closed');
    }
    if (ended) return;
    for (const [data, isBinary] of upstream.release()) {
      live.bytesOut += data.length;
      client.send(data, { binary: isBinary });
    }
    pipe(client, up, (n, frame) => {
      live.bytesIn += n;
      if (isUserInput(session.type, frame)) live.lastInput = now();
    });
    pipe(up, client, (n) => {
      live.bytesOut += n;
    });
    client.resume();
  }

  /** Close every session of an instance (stopped, deleted). */
  closeInstance(instanceId: string, reason: CloseReason): number {
    let n = 0;
    for (const s of [...this.live.values()])
      if (s.instanceId === instanceId) {
        s.close(reason);
        n++;
      }
    return n;
  }

  /** Idle timeout and access re-check of every open session (run periodically). */
  async sweep(idleTimeoutMs: number): Promise<void> {
    const now = this.deps.clock.now().getTime();
    for (const s of [...this.live.values()]) {
      if (idleTimeoutMs > 0 && now - s.lastInput >= idleTimeoutMs) {
        s.close('idle_timeout');
        continue;
      }
      const still = await this.deps.service.stillAllowed(s.actor, s.instanceId).catch(() => s.actor);
      if (!still) s.close('access_revoked');
    }
  }

  closeAll(reason: CloseReason): void {
    for (const s of [...this.live.values()]) s.close(reason);
    this.wss.close();
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    // Browsers always send Origin on websocket upgrades; clients without one (the CLI) cannot be
    // driven by another site, and the session token is their credential.
    if (origin === undefined) return true;
    const host = req.headers.host;
    const own = host ? `${requestProtocol(req, this.deps.trustProxy)}://${host}`.toLowerCase() : null;
    const o = origin.toLowerCase();
    return o === own || this.deps.service.settings.allowedOrigins.includes(o);
  }

  private context(req: IncomingMessage, actor: Actor): CallContext {
    const ua = req.headers['user-agent'];
    return {
      actor,
      ip: clientAddress(req, this.deps.trustProxy),
      requestId: genRequestId(req),
      userAgent: typeof ua === 'string' ? ua.slice(0, 256) : null,
      audited: false,
    };
  }

  private async audit(
    ctx: CallContext,
    session: PendingSession,
    action: string,
    result: 'success' | 'failure' | 'denied',
    details: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.deps.audit.record(ctx, {
        action,
        resourceType: 'instance',
        resourceId: session.instanceId,
        result,
        details: {
          sessionId: session.id,
          type: session.type,
          instanceName: session.instanceName,
          ...details,
        },
      });
    } catch (err) {
      this.deps.logger.error({ err }, 'console: failed to write audit entry');
    }
  }
}

/**
 * Whether a frame from the user's client is the user doing something (for the idle timeout): a
 * viewer keeps asking for screen updates (RFB FramebufferUpdateRequest, 10 bytes each) and a
 * terminal pings (`2`) on its own; neither keeps an abandoned console open.
 */
export function isUserInput(type: ConsoleType, frame: Buffer): boolean {
  if (type !== 'vnc') return !(frame.length === 1 && frame[0] === 0x32);
  if (frame.length === 0 || frame.length % 10 !== 0) return true;
  for (let i = 0; i < frame.length; i += 10) if (frame[i] !== 3) return true;
  return false;
}

/** PVE's websocket after the login; what it sends is held until the user's side is ready. */
class Upstream {
  private held: [Buffer, boolean][] = [];
  private readonly hold = (data: WebSocket.RawData, isBinary: boolean) => {
    this.held.push([toBuffer(data), isBinary]);
  };

  constructor(
    readonly ws: WebSocket,
    rest: Buffer,
  ) {
    if (rest.length) this.held.push([rest, true]);
    ws.on('message', this.hold);
  }

  terminate(): void {
    this.ws.off('message', this.hold);
    this.ws.terminate();
  }

  /** Stop holding; the frames held so far. */
  release(): [Buffer, boolean][] {
    this.ws.off('message', this.hold);
    const out = this.held;
    this.held = [];
    return out;
  }
}

/** Forward frames from one websocket to the other, pausing the sender while too much is queued. */
function pipe(from: WebSocket, to: WebSocket, count: (bytes: number, frame: Buffer) => void): void {
  let queued = 0;
  let paused = false;
  from.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    const buf = toBuffer(data);
    count(buf.length, buf);
    if (to.readyState !== to.OPEN) return;
    queued += buf.length;
    to.send(buf, { binary: isBinary }, () => {
      queued -= buf.length;
      if (paused && queued <= LOW_WATER) {
        paused = false;
        from.resume();
      }
    });
    if (!paused && queued > HIGH_WATER) {
      paused = true;
      from.pause();
    }
  });
}

/** Answer an upgrade request with an HTTP error (our JSON error shape) and close the socket. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  const text =
    { 401: 'Unauthorized', 403: 'Forbidden', 405: 'Method Not Allowed', 502: 'Bad Gateway' }[status] ??
    'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
