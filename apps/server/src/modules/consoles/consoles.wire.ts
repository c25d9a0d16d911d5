/**
 * The login part of the console protocols, done by the proxy so the PVE ticket never reaches the
 * user: towards PVE it authenticates with the ticket (RFB VNC authentication, or termproxy's
 * `user:ticket` line); towards the user's websocket — already authenticated by our one-time
 * session token — it offers RFB security type None. After that the bytes flow untouched.
 */
import { termLogin, vncAuthResponse } from '@proxicloud/proxmox-client';
import type WebSocket from 'ws';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Reads exact byte counts from a websocket's messages; `release()` hands back what is left. */
export class ByteReader {
  private buf = Buffer.alloc(0);
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly onMessage = (data: WebSocket.RawData) => {
    this.buf = Buffer.concat([this.buf, toBuffer(data)]);
    this.wake();
  };
  private readonly onClose = () => this.fail(new ProtocolError('connection closed during the handshake'));

  constructor(private readonly ws: WebSocket) {
    ws.on('message', this.onMessage);
    ws.on('close', this.onClose);
  }

  read(n: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
      this.wake();
    });
  }

  fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }

  /** Stop reading; the bytes received but not read yet. */
  release(): Buffer {
    this.ws.off('message', this.onMessage);
    this.ws.off('close', this.onClose);
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  private wake(): void {
    const w = this.waiter;
    if (!w || this.buf.length < w.n) return;
    this.waiter = undefined;
    const out = this.buf.subarray(0, w.n);
    this.buf = this.buf.subarray(w.n);
    w.resolve(out);
  }
}

export function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

const VERSION = /^RFB (\d{3})\.(\d{3})\n$/;

/** Log in to PVE's RFB server with the ticket as VNC password (we speak RFB 3.8 to it). */
export async function rfbLoginUpstream(up: ByteReader, send: (b: Buffer) => void, password: string) {
  const version = (await up.read(12)).toString('latin1');
  const m = VERSION.exec(version);
  if (!m) throw new ProtocolError('Proxmox did not answer with an RFB version');
  if (Number(m[1]) !== 3 || Number(m[2]) < 8)
    throw new ProtocolError(`unsupported RFB version from Proxmox: ${version.trim()}`);
  send(Buffer.from('RFB 003.008\n', 'latin1'));
  const n = (await up.read(1))[0]!;
  if (n === 0) throw new ProtocolError(`Proxmox refused the connection: ${await reason(up)}`);
  const types = [...(await up.read(n))];
  if (!types.includes(2))
    throw new ProtocolError(`Proxmox offers no VNC authentication (types ${types.join(',')})`);
  send(Buffer.from([2]));
  const challenge = await up.read(16);
  send(vncAuthResponse(password, challenge));
  const result = (await up.read(4)).readUInt32BE(0);
  if (result !== 0) throw new ProtocolError(`Proxmox refused the VNC ticket: ${await reason(up)}`);
}

async function reason(r: ByteReader): Promise<string> {
  const len = (await r.read(4)).readUInt32BE(0);
  return (await r.read(Math.min(len, 1024))).toString('utf8');
}

/**
 * Offer the user's client RFB 3.8 with security type None (the websocket itself was
 * authenticated). 3.7 and 3.3 clients are served their variants of the same exchange.
 */
export async function rfbGreetClient(client: ByteReader, send: (b: Buffer) => void): Promise<void> {
  send(Buffer.from('RFB 003.008\n', 'latin1'));
  const m = VERSION.exec((await client.read(12)).toString('latin1'));
  if (!m || Number(m[1]) !== 3) throw new ProtocolError('the client did not answer with an RFB 3.x version');
  const minor = Number(m[2]);
  if (minor < 7) {
    const none = Buffer.alloc(4);
    none.writeUInt32BE(1, 0);
    send(none);
    return;
  }
  send(Buffer.from([1, 1]));
  const chosen = (await client.read(1))[0];
  if (chosen !== 1) throw new ProtocolError('the client chose a security type that was not offered');
  if (minor >= 8) send(Buffer.from([0, 0, 0, 0]));
}

/** Log in to termproxy; resolves with whatever PVE sent after its `OK`. */
export async function termLoginUpstream(
  up: ByteReader,
  send: (s: string) => void,
  user: string,
  ticket: string,
): Promise<Buffer> {
  send(termLogin(user, ticket));
  const ok = await up.read(2);
  if (ok.toString('latin1') !== 'OK') throw new ProtocolError('Proxmox refused the terminal ticket');
  return up.release();
}
