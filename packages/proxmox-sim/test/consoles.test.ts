import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { vncAuthResponse } from '../src/console.ts';
import { CELL_H, CELL_W, COLORS, decodeGlyph, INPUT_X, INPUT_Y } from '../src/console-screen.ts';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, taskDurationMs: 0, seed: 9, ssh: false });
  api = client(sim);
  for (const [kind, vmid, extra] of [
    ['qemu', 100, { name: 'desk' }],
    [
      'lxc',
      200,
      {
        ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
        hostname: 'ct200',
        rootfs: 'local-lvm:4',
      },
    ],
  ] as const) {
    await api.waitTask(
      'pve1',
      (await api.call<string>('POST', `/nodes/pve1/${kind}`, { vmid, ...extra })).body.data,
    );
    await api.waitTask(
      'pve1',
      (await api.call<string>('POST', `/nodes/pve1/${kind}/${vmid}/status/start`)).body.data,
    );
  }
});
afterAll(() => sim.close());

function open(path: string, protocols?: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${sim.url.replace('https', 'wss')}${path}`, protocols, {
      ca: sim.certPem,
      headers: { authorization: `PVEAPIToken=${sim.token}` },
    });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)),
    );
  });
}

/** Reads exactly n bytes from a websocket stream. */
function reader(ws: WebSocket) {
  let buf = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  ws.on('message', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    waiting?.();
  });
  return async (n: number): Promise<Buffer> => {
    while (buf.length < n) await new Promise<void>((r) => (waiting = r));
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
}

describe('vnc console (RFB 3.8)', () => {
  it('performs the handshake with VNC auth using the ticket and sends a raw framebuffer', async () => {
    const p = await api.call<{ port: string; ticket: string; upid: string; user: string; cert: string }>(
      'POST',
      '/nodes/pve1/qemu/100/vncproxy',
      { websocket: 1 },
    );
    expect(p.status).toBe(200);
    expect(p.body.data.ticket).toMatch(/^PVEVNC:/);
    expect(p.body.data.user).toBe('root@pam');
    const ws = await open(
      `/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=${p.body.data.port}&vncticket=${encodeURIComponent(p.body.data.ticket)}`,
      ['binary'],
    );
    const read = reader(ws);
    expect((await read(12)).toString()).toBe('RFB 003.008\n');
    ws.send(Buffer.from('RFB 003.008\n'));
    expect([...(await read(2))]).toEqual([1, 2]);
    ws.send(Buffer.from([2]));
    const challenge = await read(16);
    ws.send(vncAuthResponse(p.body.data.ticket, challenge));
    expect((await read(4)).readUInt32BE(0)).toBe(0);
    ws.send(Buffer.from([1])); // ClientInit shared
    const init = await read(24);
    expect(init.readUInt16BE(0)).toBe(800);
    expect(init.readUInt16BE(2)).toBe(600);
    expect(init[4]).toBe(32);
    const name = (await read(init.readUInt32BE(20))).toString();
    expect(name).toBe('VM 100 (desk)');
    // noVNC's pixel format: 32bpp, little-endian, red-shift 0
    const spf = Buffer.alloc(20);
    spf[0] = 0;
    Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]).copy(spf, 4);
    ws.send(spf);
    const req = Buffer.alloc(10);
    req[0] = 3;
    req[1] = 0;
    req.writeUInt16BE(0, 2);
    req.writeUInt16BE(0, 4);
    req.writeUInt16BE(16, 6);
    req.writeUInt16BE(30, 8);
    ws.send(req);
    const head = await read(16);
    expect(head[0]).toBe(0);
    expect(head.readUInt16BE(2)).toBe(1);
    expect([head.readUInt16BE(8), head.readUInt16BE(10), head.readInt32BE(12)]).toEqual([16, 30, 0]);
    const pixels = await read(16 * 30 * 4);
    // the title bar is blue-ish: with red-shift 0 the first byte is red
    expect([pixels[0], pixels[1], pixels[2]]).toEqual([0x2b, 0x4f, 0x81]);
    ws.close();
    await new Promise((r) => setTimeout(r, 50));
    expect((await api.waitTask('pve1', p.body.data.upid)).exitstatus).toBe('OK');
  });

  it('echoes typed keys on the screen and client cut text as server cut text', async () => {
    const p = await api.call<{ port: string; ticket: string }>('POST', '/nodes/pve1/qemu/100/vncproxy', {
      websocket: 1,
    });
    const ws = await open(
      `/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=${p.body.data.port}&vncticket=${encodeURIComponent(p.body.data.ticket)}`,
      ['binary'],
    );
    const read = reader(ws);
    await read(12);
    ws.send(Buffer.from('RFB 003.008\n'));
    await read(2);
    ws.send(Buffer.from([2]));
    ws.send(vncAuthResponse(p.body.data.ticket, await read(16)));
    await read(4);
    ws.send(Buffer.from([1]));
    const init = await read(24);
    await read(init.readUInt32BE(20));
    for (const ch of 'hi!') {
      const key = Buffer.alloc(8);
      key[0] = 4;
      key[1] = 1;
      key.writeUInt32BE(ch.charCodeAt(0), 4);
      ws.send(key);
    }
    const req = Buffer.alloc(10);
    req[0] = 3;
    req.writeUInt16BE(INPUT_X, 2);
    req.writeUInt16BE(INPUT_Y, 4);
    req.writeUInt16BE(CELL_W * 3, 6);
    req.writeUInt16BE(CELL_H, 8);
    ws.send(req);
    const head = await read(16);
    expect(head.readUInt16BE(8)).toBe(CELL_W * 3);
    const px = await read(CELL_W * 3 * CELL_H * 4);
    // server pixel format: little-endian 32 bpp, red at bits 16-23 → bytes B,G,R,0
    const lit = (col: number) => (cx: number, cy: number) =>
      px[(cy * CELL_W * 3 + col * CELL_W + cx) * 4 + 1] === COLORS.glyph[1];
    expect([0, 1, 2].map((c) => decodeGlyph(lit(c))).join('')).toBe('hi!');
    const text = Buffer.from('copied text');
    const cut = Buffer.alloc(8);
    cut[0] = 6;
    cut.writeUInt32BE(text.length, 4);
    ws.send(Buffer.concat([cut, text]));
    const back = await read(8);
    expect(back[0]).toBe(3);
    expect((await read(back.readUInt32BE(4))).toString()).toBe('copied text');
    ws.close();
  });

  it('rejects wrong passwords and reused or unknown tickets', async () => {
    const p = await api.call<{ port: string; ticket: string }>('POST', '/nodes/pve1/qemu/100/vncproxy', {
      websocket: 1,
    });
    const path = `/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=${p.body.data.port}&vncticket=${encodeURIComponent(p.body.data.ticket)}`;
    const ws = await open(path);
    const read = reader(ws);
    await read(12);
    ws.send(Buffer.from('RFB 003.008\n'));
    await read(2);
    ws.send(Buffer.from([2]));
    const challenge = await read(16);
    ws.send(vncAuthResponse('wrong', challenge));
    const res = await read(8);
    expect(res.readUInt32BE(0)).toBe(1);
    expect((await read(res.readUInt32BE(4))).toString()).toBe('Authentication failure');
    await expect(open(path)).rejects.toThrow('HTTP 401');
    await expect(
      open('/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=5900&vncticket=PVEVNC:bogus'),
    ).rejects.toThrow('HTTP 401');
  });

  it('expires tickets after 40 seconds (like PVE)', async () => {
    const p = await api.call<{ port: string; ticket: string }>('POST', '/nodes/pve1/qemu/100/vncproxy', {
      websocket: 1,
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 41_000);
    try {
      await expect(
        open(
          `/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=${p.body.data.port}&vncticket=${encodeURIComponent(p.body.data.ticket)}`,
        ),
      ).rejects.toThrow('HTTP 401');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a console for a stopped guest', async () => {
    await api.waitTask('pve1', (await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 101 })).body.data);
    const r = await api.call('POST', '/nodes/pve1/qemu/101/vncproxy', { websocket: 1 });
    expect(r.body.message).toBe('VM 101 not running\n');
  });
});

describe('terminal console (termproxy)', () => {
  it('logs in with user:ticket and behaves like a tiny shell', async () => {
    const p = await api.call<{ port: string; ticket: string; user: string }>(
      'POST',
      '/nodes/pve1/lxc/200/termproxy',
    );
    const ws = await open(
      `/api2/json/nodes/pve1/lxc/200/vncwebsocket?port=${p.body.data.port}&vncticket=${encodeURIComponent(p.body.data.ticket)}`,
    );
    let text = '';
    ws.on('message', (d: Buffer) => {
      text += d.toString();
    });
    const until = async (s: string) => {
      for (let i = 0; i < 200 && !text.includes(s); i++) await new Promise((r) => setTimeout(r, 5));
      expect(text).toContain(s);
    };
    ws.send(`${p.body.data.user}:${p.body.data.ticket}\n`);
    await until('OK');
    await until('root@ct200:~# ');
    const send = (s: string) => ws.send(`0:${Buffer.byteLength(s)}:${s}`);
    ws.send('1:120:40:');
    ws.send('2');
    send('stty size\r');
    await until('40 120\r\n');
    send('hostname\r');
    await until('ct200\r\n');
    send('echo hello world\r');
    await until('hello world\r\n');
    send('uname -a\r');
    await until('Linux ct200 6.14.8-2-pve');
    send('rm -rf /\r');
    await until('-bash: rm: command not found');
    ws.close();
  });

  it('closes the connection on a bad first frame', async () => {
    const p = await api.call<{ port: string; ticket: string }>('POST', '/nodes/pve1/lxc/200/termproxy');
    const ws = await open(
      `/api2/json/nodes/pve1/lxc/200/vncwebsocket?port=${p.body.data.port}&vncticket=${encodeURIComponent(p.body.data.ticket)}`,
    );
    const closed = new Promise((r) => ws.once('close', r));
    ws.send('root@pam:not-the-ticket\n');
    await closed;
  });
});
