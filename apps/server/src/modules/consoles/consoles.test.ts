/**
 * Console sessions end to end against the simulator over real websockets: the VNC handshake
 * through our proxy (RFB version first, PVE's VNC ticket auth done by the proxy, a framebuffer
 * update, key echo, clipboard), the LXC terminal (echo round trip, resize), the VM serial port,
 * and the audit trail (open/close with duration and bytes, never the PVE ticket).
 */
import type { AddressInfo } from 'node:net';
import { consoleScreen } from '@proxicloud/proxmox-sim';
import { describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type Inst,
  LXC_TEMPLATE,
  launch,
  useComputeContext,
} from '../../testing/compute-kit.ts';
import {
  isOpen,
  type OpenedSocket,
  openConsole,
  rfbFrame,
  rfbHandshake,
  rfbType,
  termSend,
} from '../../testing/console-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let vm: Inst;
let ct: Inst;
let base: string;

useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  vm = (await launch(alice, { name: 'con-vm' })).instance;
  ct = (await launch(alice, { name: 'con-ct', type: 'lxc', template: LXC_TEMPLATE })).instance;
  await t.ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `ws://127.0.0.1:${(t.ctx.app.server.address() as AddressInfo).port}`;
});

interface Session {
  sessionId: string;
  url: string;
  expiresAt: string;
  type: string;
  instanceId: string;
}

async function session(client: TestClient, id: string, type: string): Promise<Session> {
  const res = await client.post<Session>(`/api/v1/instances/${id}/console`, { type });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** The session URL as the test's listener serves it (inject answers with Host: localhost:80). */
const onServer = (url: string) => url.replace(/^ws:\/\/[^/]+/, base);

async function open(url: string): Promise<OpenedSocket> {
  const s = await openConsole(onServer(url));
  if (!isOpen(s)) throw new Error(`refused: ${s.status} ${s.code}`);
  return s;
}

describe('VNC console through the proxy', () => {
  it('hands out a one-time websocket URL without the PVE ticket', async () => {
    const res = await alice.post<Session>(`/api/v1/instances/${vm.id}/console`, { type: 'vnc' });
    expect(res.status, res.text).toBe(201);
    expect(res.body.url).toMatch(
      /^ws:\/\/localhost(:\d+)?\/api\/v1\/console\/ws\?session=[A-Za-z0-9_-]{40,}$/,
    );
    expect(res.body.sessionId).toMatch(/^con-/);
    expect(res.body.type).toBe('vnc');
    const ttl = Date.parse(res.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(res.text).not.toContain('PVEVNC');
  });

  it('speaks RFB 3.8: version line first, no password asked, a frame of the guest, echoed keys', async () => {
    const s = await open((await session(alice, vm.id, 'vnc')).url);
    const hello = await rfbHandshake(s);
    expect(hello.version).toBe('RFB 003.008\n');
    // the proxy logged in to PVE with the ticket (VNC auth); the user's side is already authenticated
    expect(hello.securityTypes).toEqual([1]);
    expect([hello.width, hello.height]).toEqual([800, 600]);
    expect(hello.name).toBe(`VM ${vm.vmid} (con-vm)`);
    // the server's pixel format: 32 bpp little-endian, red at bit 16 → bytes B, G, R, 0
    const title = await rfbFrame(s, { x: 0, y: 0, w: 4, h: 4 });
    expect([title[2], title[1], title[0]]).toEqual([...consoleScreen.COLORS.title]);
    rfbType(s, 'ok');
    const { CELL_W, CELL_H, INPUT_X, INPUT_Y, COLORS, decodeGlyph } = consoleScreen;
    const px = await rfbFrame(s, { x: INPUT_X, y: INPUT_Y, w: CELL_W * 2, h: CELL_H });
    const lit = (col: number) => (cx: number, cy: number) =>
      px[(cy * CELL_W * 2 + col * CELL_W + cx) * 4 + 1] === COLORS.glyph[1];
    expect(decodeGlyph(lit(0)) + decodeGlyph(lit(1))).toBe('ok');
    s.ws.close();
    expect((await s.closed).code).toBe(1005);
  });

  it('carries the clipboard both ways (client cut text comes back as server cut text)', async () => {
    const s = await open((await session(alice, vm.id, 'vnc')).url);
    await rfbHandshake(s);
    const text = Buffer.from('pasted from the browser');
    const cut = Buffer.alloc(8);
    cut[0] = 6;
    cut.writeUInt32BE(text.length, 4);
    s.ws.send(Buffer.concat([cut, text]));
    const head = await s.read(8);
    expect(head[0]).toBe(3);
    expect((await s.read(head.readUInt32BE(4))).toString()).toBe('pasted from the browser');
    s.ws.close();
  });
});

describe('terminal and serial consoles', () => {
  it("opens a container's shell already logged in: echo round trip and resize", async () => {
    const s = await open((await session(alice, ct.id, 'terminal')).url);
    // a terminal sends its size the moment the socket opens: it must not be lost
    s.ws.send('1:100:30:');
    await s.until('root@con-ct:~# ');
    expect(s.text()).not.toMatch(/^OK/); // PVE's login answer stays in the proxy
    termSend(s, 'stty size\r');
    await s.until('30 100\r\n');
    termSend(s, 'echo hi\r');
    await s.until('hi\r\n');
    s.ws.send('1:132:43:');
    s.ws.send('2');
    termSend(s, 'stty size\r');
    await s.until('43 132\r\n');
    termSend(s, 'exit\r');
    expect((await s.closed).code).toBe(1000);
  });

  it("opens a VM's serial port (serial0)", async () => {
    const s = await open((await session(alice, vm.id, 'serial')).url);
    await s.until('root@con-vm:~# ');
    termSend(s, 'hostname\r');
    await s.until('con-vm\r\n');
    s.ws.close();
  });

  it('refuses console types that do not fit the instance, and stopped instances', async () => {
    const serialCt = await alice.post<{ error: { code: string } }>(`/api/v1/instances/${ct.id}/console`, {
      type: 'serial',
    });
    expect(serialCt.status).toBe(422);
    const termVm = await alice.post<{ error: { code: string } }>(`/api/v1/instances/${vm.id}/console`, {
      type: 'terminal',
    });
    expect(termVm.status).toBe(422);
    const bad = await alice.post<{ error: { code: string } }>(`/api/v1/instances/${vm.id}/console`, {
      type: 'spice',
    });
    expect(bad.status).toBe(400);
  });

  it('says which Proxmox privilege is missing when the token lacks VM.Console', async () => {
    t.sim.faults.withholdPrivilege('VM.Console', true);
    try {
      const res = await alice.post<{
        error: { code: string; message: string; details: Record<string, unknown> };
      }>(`/api/v1/instances/${ct.id}/console`, { type: 'terminal' });
      expect(res.status).toBe(502);
      expect(res.body.error.message).toMatch(/lacks VM\.Console/);
      expect(res.body.error.message).toContain('proxicloud doctor');
      expect(res.body.error.details).toMatchObject({
        code: 'pve_permission_denied',
        privilege: 'VM.Console',
      });
    } finally {
      t.sim.faults.withholdPrivilege('VM.Console', false);
    }
  });
});

describe('audit', () => {
  it('records opening and closing with who, instance, type, duration and bytes — never the ticket', async () => {
    const created = await session(alice, ct.id, 'terminal');
    const s = await open(created.url);
    await s.until('# ');
    termSend(s, 'echo audit\r');
    await s.until('audit\r\n');
    s.ws.close();
    await s.closed;
    let close: { username: string; resourceId: string; details: Record<string, unknown> } | undefined;
    for (let i = 0; i < 100 && !close; i++) {
      const res = await t.ctx.admin.get<{
        items: { action: string; username: string; resourceId: string; details: Record<string, unknown> }[];
      }>('/api/v1/logs/audit', { query: { action: 'instances.console_close', limit: 50 } });
      close = res.body.items.find((e) => e.details?.sessionId === created.sessionId);
      if (!close) await new Promise((r) => setTimeout(r, 20));
    }
    expect(close).toBeDefined();
    expect(close!.username).toBe(alice.user.username);
    expect(close!.resourceId).toBe(ct.id);
    expect(close!.details).toMatchObject({
      type: 'terminal',
      reason: 'client_closed',
      instanceName: 'con-ct',
    });
    expect(close!.details.bytesIn as number).toBeGreaterThan(10);
    expect(close!.details.bytesOut as number).toBeGreaterThan(10);
    expect(close!.details.durationSeconds).toBeTypeOf('number');
    const all = await t.ctx.admin.get('/api/v1/logs/audit', { query: { limit: 500 } });
    expect(all.text).toContain('instances.console_open');
    expect(all.text).not.toContain('PVEVNC');
    expect(t.ctx.logs()).not.toContain('PVEVNC');
    // nor the one-time token (the websocket URL's query)
    const token = new URL(created.url).searchParams.get('session')!;
    expect(all.text).not.toContain(token);
    expect(t.ctx.logs()).not.toContain(token);
  });
});
