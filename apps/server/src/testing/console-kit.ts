/**
 * Websocket helpers for the console tests and the console benchmark (never imported by production
 * code): open a console URL, read exact byte counts, wait for text, speak the RFB client side.
 */
import WebSocket from 'ws';

export interface OpenedSocket {
  ws: WebSocket;
  /** Exactly n bytes (waits for them). */
  read(n: number): Promise<Buffer>;
  /** Everything received so far as UTF-8. */
  text(): string;
  /** Wait until the received text contains s. */
  until(s: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** The refused upgrade's status (and JSON error code), or the open socket. */
export async function openConsole(
  url: string,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<OpenedSocket | { status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: options.headers,
      ...(options.origin ? { origin: options.origin } : {}),
      perMessageDeflate: false,
    });
    ws.binaryType = 'nodebuffer';
    let buf = Buffer.alloc(0);
    let all = '';
    const waiters = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.once('close', (code, reason) => {
        r({ code, reason: reason.toString() });
        for (const w of waiters) w();
      }),
    );
    ws.on('message', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      // the text is for terminal assertions: keep its tail only (VNC frames are megabytes)
      all = (all + d.toString('utf8')).slice(-65536);
      for (const w of waiters) w();
    });
    const wait = () =>
      new Promise<void>((r) => {
        const w = () => {
          waiters.delete(w);
          r();
        };
        waiters.add(w);
      });
    const socket: OpenedSocket = {
      ws,
      closed,
      text: () => all,
      async read(n) {
        while (buf.length < n) {
          if (ws.readyState === ws.CLOSED) throw new Error(`closed while waiting for ${n} bytes`);
          await wait();
        }
        const out = buf.subarray(0, n);
        buf = buf.subarray(n);
        return out;
      },
      async until(s, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        while (!all.includes(s)) {
          if (ws.readyState === ws.CLOSED || Date.now() > deadline)
            throw new Error(`never received ${JSON.stringify(s)}; got ${JSON.stringify(all.slice(-300))}`);
          await Promise.race([wait(), new Promise((r) => setTimeout(r, 50))]);
        }
      },
    };
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        let code = '';
        try {
          code = (JSON.parse(body) as { error: { code: string } }).error.code;
        } catch {
          code = body;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    ws.once('error', reject);
  });
}

export function isOpen(s: OpenedSocket | { status: number; code: string }): s is OpenedSocket {
  return 'ws' in s;
}

/** The RFB client side up to ServerInit (security type None, as our proxy offers). */
export async function rfbHandshake(
  s: OpenedSocket,
): Promise<{ version: string; securityTypes: number[]; width: number; height: number; name: string }> {
  const version = (await s.read(12)).toString('latin1');
  s.ws.send(Buffer.from('RFB 003.008\n'));
  const n = (await s.read(1))[0]!;
  const securityTypes = [...(await s.read(n))];
  s.ws.send(Buffer.from([1]));
  const result = (await s.read(4)).readUInt32BE(0);
  if (result !== 0) throw new Error(`security result ${result}`);
  s.ws.send(Buffer.from([1])); // ClientInit: shared
  const init = await s.read(24);
  const name = (await s.read(init.readUInt32BE(20))).toString('utf8');
  return { version, securityTypes, width: init.readUInt16BE(0), height: init.readUInt16BE(2), name };
}

/** FramebufferUpdateRequest; reads one raw-encoded single-rectangle update (server pixel format). */
export async function rfbFrame(
  s: OpenedSocket,
  rect: { x: number; y: number; w: number; h: number },
  incremental = false,
): Promise<Buffer> {
  const req = Buffer.alloc(10);
  req[0] = 3;
  req[1] = incremental ? 1 : 0;
  req.writeUInt16BE(rect.x, 2);
  req.writeUInt16BE(rect.y, 4);
  req.writeUInt16BE(rect.w, 6);
  req.writeUInt16BE(rect.h, 8);
  s.ws.send(req);
  const head = await s.read(16);
  if (head[0] !== 0 || head.readUInt16BE(2) !== 1) throw new Error('not a one-rectangle update');
  const w = head.readUInt16BE(8);
  const h = head.readUInt16BE(10);
  return s.read(w * h * 4);
}

/** RFB KeyEvent down+up for each character. */
export function rfbType(s: OpenedSocket, text: string): void {
  for (const ch of text) {
    for (const down of [1, 0]) {
      const key = Buffer.alloc(8);
      key[0] = 4;
      key[1] = down;
      key.writeUInt32BE(ch.charCodeAt(0), 4);
      s.ws.send(key);
    }
  }
}

/** termproxy input frame. */
export function termSend(s: OpenedSocket, text: string): void {
  s.ws.send(`0:${Buffer.byteLength(text)}:${text}`);
}
