/**
 * Consoles. `POST …/vncproxy` and `…/termproxy` hand out a port and a single-use ticket (valid
 * 40 s) backed by a running `vncproxy`/`termproxy` task; `GET …/vncwebsocket?port&vncticket`
 * upgraded to a WebSocket then speaks:
 *  - RFB 3.8 (qemu vncproxy): version exchange, VNC authentication (DES challenge, the ticket — or
 *    the generated password — as the password), ServerInit 800×600 32bpp with the VM's name,
 *    raw-encoded FramebufferUpdates for the requested area in the client's pixel format, typed keys
 *    echoed on the screen (console-screen.ts), client cut text echoed back as server cut text;
 *  - the termproxy protocol (lxc, qemu serial): first frame `user:ticket\n` → "OK", then
 *    `0:LEN:DATA` input, `1:COLS:ROWS:` resize, `2` ping; output is a tiny echoing shell that
 *    answers `hostname`, `uname -a`, `echo …`, `stty size` (the last resize), `exit`.
 */
import { createCipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Auth, AuthResult } from './auth.ts';
import { GuestScreen } from './console-screen.ts';
import { bool, type ConsoleTicket, type RequestCtx, reqStr, type SimContext, str } from './context.ts';
import { die, PveError } from './errors.ts';
import { getGuest, label } from './guests.ts';
import type { Guest, GuestType } from './state.ts';

/** PVE accepts a console ticket for 40 s (PVE::AccessControl::verify_vnc_ticket). */
const TICKET_TTL_MS = 40_000;
const CONNECT_TIMEOUT_MS = 10_000;
export const FB_WIDTH = 800;
export const FB_HEIGHT = 600;

function nextPort(sim: SimContext, node: string): number {
  const p = sim.consolePorts.get(node) ?? 5900;
  sim.consolePorts.set(node, p >= 5999 ? 5900 : p + 1);
  return p;
}

function issue(
  sim: SimContext,
  g: Guest,
  kind: 'vnc' | 'term',
  user: string,
  password?: string,
): ConsoleTicket {
  const port = nextPort(sim, g.node);
  const ts = Math.floor(Date.now() / 1000)
    .toString(16)
    .toUpperCase();
  const ticket = `PVEVNC:${ts}::${randomBytes(24).toString('base64').replace(/=+$/, '')}`;
  const upid = sim.tasks.start({
    node: g.node,
    type: kind === 'vnc' ? 'vncproxy' : 'termproxy',
    id: String(g.vmid),
    user,
    manual: true,
    startLog: [`starting ${kind === 'vnc' ? 'vnc' : 'terminal'} proxy on port ${port}`],
  });
  const t: ConsoleTicket = {
    ticket,
    port,
    node: g.node,
    vmid: g.vmid,
    kind,
    user: user.split('!')[0]!,
    upid,
    expires: Date.now() + TICKET_TTL_MS,
    password,
  };
  sim.consoleTickets.set(ticket, t);
  const timer = setTimeout(() => {
    sim.consoleTimers.delete(upid);
    sim.consoleTickets.delete(ticket);
    sim.tasks.complete(upid, 'connection timed out');
  }, CONNECT_TIMEOUT_MS);
  timer.unref();
  sim.consoleTimers.set(upid, timer);
  return t;
}

/** apidoc: vncproxy, termproxy and vncwebsocket check `['perm', '/vms/{vmid}', ['VM.Console']]`. */
function requireConsolePriv(sim: SimContext, vmid: number | string): void {
  if (sim.faults.withheldPrivileges.has('VM.Console'))
    throw new PveError(403, `Permission check failed (/vms/${vmid}, VM.Console)`);
}

function requireRunning(g: Guest): void {
  if (g.status !== 'running') die(`${label(g.type)} ${g.vmid} not running`);
}

export function vncProxy(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    requireConsolePriv(sim, reqStr(params, 'vmid'));
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    requireRunning(g);
    const password = bool(params, 'generate-password')
      ? randomBytes(6).toString('base64url').slice(0, 8)
      : undefined;
    const tk = issue(sim, g, 'vnc', user, password);
    const out: Record<string, unknown> = {
      port: String(tk.port),
      ticket: tk.ticket,
      cert: sim.certPem,
      user: tk.user,
      upid: tk.upid,
    };
    if (password) out.password = password;
    return out;
  };
}

export function termProxy(t: GuestType) {
  return (req: RequestCtx) => {
    const { sim, params, user } = req;
    requireConsolePriv(sim, reqStr(params, 'vmid'));
    const g = getGuest(sim, reqStr(params, 'node'), Number(reqStr(params, 'vmid')), t);
    requireRunning(g);
    if (t === 'qemu' && str(params, 'serial') && !g.config[str(params, 'serial')!])
      die(`${str(params, 'serial')} is not configured`);
    const tk = issue(sim, g, 'term', user);
    return { port: String(tk.port), ticket: tk.ticket, user: tk.user, upid: tk.upid };
  };
}

/** GET …/vncwebsocket without an upgrade: PVE answers with the port. */
export function vncWebsocketPlain(req: RequestCtx) {
  requireConsolePriv(req.sim, reqStr(req.params, 'vmid'));
  return { port: String(reqStr(req.params, 'port')) };
}

// --- RFB ----------------------------------------------------------------------------------------

interface PixelFormat {
  bpp: number;
  bigEndian: boolean;
  rMax: number;
  gMax: number;
  bMax: number;
  rShift: number;
  gShift: number;
  bShift: number;
}

/** VNC authentication: DES-ECB with the bit-reversed password bytes (3DES with K1=K2=K3 = DES). */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i]!;
    let r = 0;
    for (let j = 0; j < 8; j++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  const c = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(challenge), c.final()]);
}

function rawRect(
  pf: PixelFormat,
  x0: number,
  y0: number,
  w: number,
  h: number,
  screen: GuestScreen,
  frame: number,
): Buffer {
  const bytes = pf.bpp / 8;
  const buf = Buffer.alloc(w * h * bytes);
  let o = 0;
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const [r, g, b] = screen.color(x, y, frame);
      const v =
        ((Math.round((r * pf.rMax) / 255) << pf.rShift) |
          (Math.round((g * pf.gMax) / 255) << pf.gShift) |
          (Math.round((b * pf.bMax) / 255) << pf.bShift)) >>>
        0;
      if (bytes === 4) pf.bigEndian ? buf.writeUInt32BE(v, o) : buf.writeUInt32LE(v, o);
      else if (bytes === 2)
        pf.bigEndian ? buf.writeUInt16BE(v & 0xffff, o) : buf.writeUInt16LE(v & 0xffff, o);
      else buf[o] = v & 0xff;
      o += bytes;
    }
  }
  return buf;
}

function serveRfb(ws: WebSocket, g: Guest, password: string, onEnd: () => void): void {
  let state: 'version' | 'security' | 'auth' | 'init' | 'normal' = 'version';
  let buf = Buffer.alloc(0);
  const challenge = randomBytes(16);
  let pf: PixelFormat = {
    bpp: 32,
    bigEndian: false,
    rMax: 255,
    gMax: 255,
    bMax: 255,
    rShift: 16,
    gShift: 8,
    bShift: 0,
  };
  let frame = 0;
  const screen = new GuestScreen(g.vmid);
  const timers = new Set<NodeJS.Timeout>();
  const send = (b: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(b);
  };
  const fail = (reason: string) => {
    const r = Buffer.from(reason);
    const out = Buffer.alloc(8 + r.length);
    out.writeUInt32BE(1, 0);
    out.writeUInt32BE(r.length, 4);
    r.copy(out, 8);
    send(out);
    ws.close();
  };
  send(Buffer.from('RFB 003.008\n'));
  ws.on('close', () => {
    for (const t of timers) clearTimeout(t);
    onEnd();
  });
  ws.on('message', (data: Buffer) => {
    buf = Buffer.concat([buf, data]);
    for (;;) {
      if (state === 'version') {
        if (buf.length < 12) return;
        const v = buf.subarray(0, 12).toString('latin1');
        buf = buf.subarray(12);
        if (!/^RFB 003\.00[378]\n$/.test(v)) return ws.close();
        send(Buffer.from([1, 2])); // one security type: VNC Authentication
        state = 'security';
      } else if (state === 'security') {
        if (buf.length < 1) return;
        const t = buf[0];
        buf = buf.subarray(1);
        if (t !== 2) return fail('unsupported security type');
        send(challenge);
        state = 'auth';
      } else if (state === 'auth') {
        if (buf.length < 16) return;
        const resp = buf.subarray(0, 16);
        buf = buf.subarray(16);
        const expect = vncAuthResponse(password, challenge);
        if (!timingSafeEqual(resp, expect)) return fail('Authentication failure');
        send(Buffer.from([0, 0, 0, 0]));
        state = 'init';
      } else if (state === 'init') {
        if (buf.length < 1) return;
        buf = buf.subarray(1);
        const display = g.type === 'qemu' ? g.config.name : g.config.hostname;
        const name = Buffer.from(`${label(g.type)} ${g.vmid}${display ? ` (${display})` : ''}`);
        const out = Buffer.alloc(24 + name.length);
        out.writeUInt16BE(FB_WIDTH, 0);
        out.writeUInt16BE(FB_HEIGHT, 2);
        out.writeUInt8(32, 4); // bits per pixel
        out.writeUInt8(24, 5); // depth
        out.writeUInt8(0, 6); // big endian
        out.writeUInt8(1, 7); // true colour
        out.writeUInt16BE(255, 8);
        out.writeUInt16BE(255, 10);
        out.writeUInt16BE(255, 12);
        out.writeUInt8(16, 14);
        out.writeUInt8(8, 15);
        out.writeUInt8(0, 16);
        out.writeUInt32BE(name.length, 20);
        name.copy(out, 24);
        send(out);
        state = 'normal';
      } else {
        if (buf.length < 1) return;
        const type = buf[0]!;
        if (type === 0) {
          if (buf.length < 20) return;
          const p = buf.subarray(4, 20);
          pf = {
            bpp: p[0]!,
            bigEndian: p[2] !== 0,
            rMax: p.readUInt16BE(4),
            gMax: p.readUInt16BE(6),
            bMax: p.readUInt16BE(8),
            rShift: p[10]!,
            gShift: p[11]!,
            bShift: p[12]!,
          };
          if (![8, 16, 32].includes(pf.bpp) || p[3] === 0) return ws.close();
          buf = buf.subarray(20);
        } else if (type === 2) {
          if (buf.length < 4) return;
          const n = buf.readUInt16BE(2);
          if (buf.length < 4 + 4 * n) return;
          buf = buf.subarray(4 + 4 * n);
        } else if (type === 3) {
          if (buf.length < 10) return;
          const incremental = buf[1] !== 0;
          const x = Math.min(buf.readUInt16BE(2), FB_WIDTH);
          const y = Math.min(buf.readUInt16BE(4), FB_HEIGHT);
          const w = Math.min(buf.readUInt16BE(6), FB_WIDTH - x);
          const h = Math.min(buf.readUInt16BE(8), FB_HEIGHT - y);
          buf = buf.subarray(10);
          const update = () => {
            frame++;
            const head = Buffer.alloc(16);
            head.writeUInt8(0, 0);
            head.writeUInt16BE(1, 2);
            head.writeUInt16BE(x, 4);
            head.writeUInt16BE(y, 6);
            head.writeUInt16BE(w, 8);
            head.writeUInt16BE(h, 10);
            head.writeInt32BE(0, 12); // raw encoding
            send(Buffer.concat([head, rawRect(pf, x, y, w, h, screen, frame)]));
          };
          if (!incremental) update();
          else {
            // only the cursor blinks: answer incremental requests at a calm pace
            const t = setTimeout(() => {
              timers.delete(t);
              update();
            }, 500);
            timers.add(t);
          }
        } else if (type === 4) {
          if (buf.length < 8) return;
          screen.key(buf[1] !== 0, buf.readUInt32BE(4));
          buf = buf.subarray(8);
        } else if (type === 5) {
          if (buf.length < 6) return;
          buf = buf.subarray(6);
        } else if (type === 6) {
          if (buf.length < 8) return;
          const len = buf.readUInt32BE(4);
          if (buf.length < 8 + len) return;
          // the guest's clipboard agent takes the text and offers it back (ServerCutText)
          const text = buf.subarray(8, 8 + len);
          const cut = Buffer.alloc(8);
          cut.writeUInt8(3, 0);
          cut.writeUInt32BE(text.length, 4);
          send(Buffer.concat([cut, text]));
          buf = buf.subarray(8 + len);
        } else {
          return ws.close();
        }
      }
    }
  });
}

// --- termproxy ----------------------------------------------------------------------------------

function serveTerm(ws: WebSocket, sim: SimContext, g: Guest, tk: ConsoleTicket, onEnd: () => void): void {
  let authed = false;
  let line = '';
  let size = { cols: 80, rows: 24 };
  const host = g.type === 'lxc' ? (g.config.hostname ?? `CT${g.vmid}`) : (g.config.name ?? `vm${g.vmid}`);
  const prompt = `root@${host}:~# `;
  const out = (s: string) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.from(s));
  };
  ws.on('close', onEnd);
  const run = (cmd: string) => {
    const words = cmd.trim().split(/\s+/).filter(Boolean);
    const [c, ...rest] = words;
    if (!c) return;
    if (c === 'hostname') out(`${host}\r\n`);
    else if (c === 'uname')
      out(
        rest.includes('-a')
          ? `Linux ${host} 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z) x86_64 GNU/Linux\r\n`
          : 'Linux\r\n',
      );
    else if (c === 'echo') out(`${cmd.trim().slice(4).trim()}\r\n`);
    else if (c === 'whoami') out('root\r\n');
    else if (c === 'stty' && rest[0] === 'size') out(`${size.rows} ${size.cols}\r\n`);
    else if (c === 'exit' || c === 'logout') {
      out('logout\r\n');
      ws.close();
      return;
    } else out(`-bash: ${c}: command not found\r\n`);
  };
  ws.on('message', (raw: Buffer) => {
    const msg = raw.toString('utf8');
    if (!authed) {
      const m = /^([^:]+):(.+)\n$/.exec(msg);
      const ok = !!m && m[1] === tk.user && m[2] === tk.ticket;
      if (!ok) {
        ws.close();
        return;
      }
      authed = true;
      out('OK');
      out(`\r\nConnected to ${label(g.type)} ${g.vmid}\r\n\r\n${prompt}`);
      return;
    }
    let rest = msg;
    while (rest.length > 0) {
      if (rest[0] === '2') {
        rest = rest.slice(1);
        continue;
      }
      const resize = /^1:(\d+):(\d+):/.exec(rest);
      if (resize) {
        size = { cols: Number(resize[1]), rows: Number(resize[2]) };
        rest = rest.slice(resize[0].length);
        continue;
      }
      const data = /^0:(\d+):/.exec(rest);
      if (!data) return;
      const len = Number(data[1]);
      const payload = Buffer.from(rest.slice(data[0].length), 'utf8').subarray(0, len).toString('utf8');
      rest = rest.slice(data[0].length + payload.length);
      for (const ch of payload) {
        if (ch === '\r' || ch === '\n') {
          out('\r\n');
          run(line);
          line = '';
          if (ws.readyState === ws.OPEN) out(prompt);
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length) {
            line = line.slice(0, -1);
            out('\b \b');
          }
        } else if (ch === '\x03') {
          line = '';
          out(`^C\r\n${prompt}`);
        } else if (ch === '\x04') {
          if (!line) {
            out('logout\r\n');
            ws.close();
            return;
          }
        } else {
          line += ch;
          out(ch);
        }
      }
    }
  });
  void sim;
}

// --- websocket plumbing -------------------------------------------------------------------------

function reject(socket: Socket, status: number, message: string): void {
  socket.write(
    `HTTP/1.1 ${status} ${message}\r\nServer: pve-api-daemon/3.0\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  socket.destroy();
}

export function attachConsoles(server: Server, sim: SimContext, _auth: Auth): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const handle = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const who = (req as IncomingMessage & { pveAuth?: AuthResult }).pveAuth;
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const m = /^\/api2\/json\/nodes\/([^/]+)\/(qemu|lxc)\/(\d+)\/vncwebsocket$/.exec(url.pathname);
    if (!m) return reject(socket, 501, 'Not Implemented');
    if (!who) return reject(socket, 401, 'No ticket');
    const [node, type, vmid] = [m[1]!, m[2] as GuestType, Number(m[3])];
    if (sim.faults.withheldPrivileges.has('VM.Console'))
      return reject(socket, 403, `Permission check failed (/vms/${vmid}, VM.Console)`);
    const ticket = url.searchParams.get('vncticket') ?? '';
    const port = Number(url.searchParams.get('port'));
    const tk = sim.consoleTickets.get(ticket);
    if (
      !tk ||
      tk.node !== node ||
      tk.vmid !== vmid ||
      tk.port !== port ||
      tk.expires < Date.now() ||
      tk.user !== who.user.split('!')[0]
    )
      return reject(socket, 401, 'permission denied - invalid vnc ticket');
    sim.consoleTickets.delete(ticket); // single use
    const g = sim.world.guests.get(vmid);
    if (!g || g.node !== node || g.type !== type || g.status !== 'running')
      return reject(socket, 500, `${type === 'qemu' ? 'VM' : 'CT'} ${vmid} not running`);
    const timer = sim.consoleTimers.get(tk.upid);
    if (timer) clearTimeout(timer);
    sim.consoleTimers.delete(tk.upid);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const end = () => sim.tasks.complete(tk.upid);
      if (tk.kind === 'vnc') serveRfb(ws, g, tk.password ?? tk.ticket, end);
      else serveTerm(ws, sim, g, tk, end);
    });
  };
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    try {
      handle(req, socket, head);
    } catch (e) {
      sim.log(`websocket upgrade failed: ${(e as Error).message}`);
      socket.destroy();
    }
  });
  return {
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      for (const t of sim.consoleTimers.values()) clearTimeout(t);
      sim.consoleTimers.clear();
    },
  };
}
