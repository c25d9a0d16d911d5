/**
 * Console security: who may create a session (owner or admin with instances:console; another
 * user's instance is 404, ReadOnly 403, anonymous 401), the token (single use, expires, bound to
 * the user and the instance — the client cannot choose where the proxy connects), the origin check
 * on the upgrade, and the ways an open session ends (logout, revoked role, idle, instance stopped).
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../platform/clock.ts';
import {
  type ComputeTestContext,
  type Inst,
  LXC_TEMPLATE,
  launch,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import {
  isOpen,
  type OpenedSocket,
  openConsole,
  rfbHandshake,
  rfbType,
  termSend,
} from '../../testing/console-kit.ts';
import { TestClient } from '../../testing/test-kit.ts';
import { isUserInput } from './consoles.proxy.ts';

/** A clock the tests move forward (session expiry, idle timeout). */
const clock: Clock & { offsetMs: number } = {
  offsetMs: 0,
  now: (): Date => new Date(Date.now() + clock.offsetMs),
};

let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let ruth: TestClient;
let vm: Inst;
let ct: Inst;
let host: string;

useComputeContext({ test: { clock } }, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  ruth = await t.ctx.newUser({ role: 'readonly' });
  vm = (await launch(alice, { name: 'sec-vm' })).instance;
  ct = (await launch(alice, { name: 'sec-ct', type: 'lxc', template: LXC_TEMPLATE })).instance;
  await t.ctx.app.listen({ port: 0, host: '127.0.0.1' });
  host = `127.0.0.1:${(t.ctx.app.server.address() as AddressInfo).port}`;
});

const onServer = (url: string) => url.replace(/^ws:\/\/[^/]+/, `ws://${host}`);

async function sessionUrl(client: TestClient, id: string, type = 'terminal'): Promise<string> {
  const res = await client.post<{ url: string }>(`/api/v1/instances/${id}/console`, { type });
  expect(res.status, res.text).toBe(201);
  return onServer(res.body.url);
}

async function opened(url: string, origin?: string): Promise<OpenedSocket> {
  const s = await openConsole(url, origin ? { origin } : {});
  if (!isOpen(s)) throw new Error(`refused: ${s.status} ${s.code}`);
  return s;
}

/** Run with the consoles' idle timeout set (and the clock put back afterwards). */
async function withIdleTimeout(ms: number, fn: () => Promise<void>): Promise<void> {
  const settings = t.ctx.app.modules.consoles.settings;
  const before = settings.idleTimeoutMs;
  settings.idleTimeoutMs = ms;
  try {
    await fn();
  } finally {
    settings.idleTimeoutMs = before;
    clock.offsetMs = 0;
  }
}

/** A second login of the same user (its own session, revocable on its own). */
async function secondSession(user: TestClient): Promise<TestClient> {
  const res = await t.ctx.login(user.user.username, user.password);
  expect(res.status).toBe(200);
  return new TestClient(t.ctx, user.user, res.body.accessToken, res.body.refreshToken, user.password);
}

describe('who may open a console', () => {
  it("answers 404 for another user's instance, 403 for ReadOnly, 401 without credentials", async () => {
    const other = await bob.post<{ error: { code: string } }>(`/api/v1/instances/${vm.id}/console`, {
      type: 'vnc',
    });
    expect(other.status).toBe(404);
    const ro = await ruth.post<{ error: { code: string } }>(`/api/v1/instances/${vm.id}/console`, {
      type: 'vnc',
    });
    expect(ro.status).toBe(403);
    const anon = await t.ctx.request('POST', `/api/v1/instances/${vm.id}/console`, { body: { type: 'vnc' } });
    expect(anon.status).toBe(401);
    const missing = await alice.post(`/api/v1/instances/i-00000000000000000/console`, { type: 'vnc' });
    expect(missing.status).toBe(404);
  });

  it("lets an admin open any user's console", async () => {
    const s = await opened(await sessionUrl(t.ctx.admin, ct.id));
    await s.until('root@sec-ct:~# ');
    s.ws.close();
  });

  it('the URL the API returns over real HTTP opens as is', async () => {
    const res = await fetch(`http://${host}/api/v1/instances/${ct.id}/console`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'terminal' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { url: string };
    expect(body.url.startsWith(`ws://${host}/api/v1/console/ws?session=`)).toBe(true);
    const s = await opened(body.url);
    await s.until('# ');
    s.ws.close();
  });
});

describe('the session token', () => {
  it('is single use', async () => {
    const url = await sessionUrl(alice, ct.id);
    const first = await opened(url);
    await first.until('# ');
    const again = await openConsole(url);
    expect(again).toEqual({ status: 401, code: 'session_invalid' });
    first.ws.close();
  });

  it('expires 30 seconds after it was handed out', async () => {
    const url = await sessionUrl(alice, ct.id);
    clock.offsetMs += 31_000;
    try {
      expect(await openConsole(url)).toEqual({ status: 401, code: 'session_expired' });
    } finally {
      clock.offsetMs -= 31_000;
    }
  });

  it('refuses unknown and malformed tokens', async () => {
    expect(await openConsole(`ws://${host}/api/v1/console/ws?session=${'A'.repeat(43)}`)).toEqual({
      status: 401,
      code: 'session_invalid',
    });
    expect(await openConsole(`ws://${host}/api/v1/console/ws`)).toEqual({
      status: 401,
      code: 'session_invalid',
    });
  });

  it('connects to the instance it was made for, whatever node/port/vmid the client adds', async () => {
    const url = await sessionUrl(alice, vm.id, 'vnc');
    const s = await opened(`${url}&node=pve-other&port=5999&vmid=1&host=10.0.0.1`);
    const hello = await rfbHandshake(s);
    expect(hello.name).toBe(`VM ${vm.vmid} (sec-vm)`);
    s.ws.close();
  });

  it('is bound to the user: refused after their logout or when their role no longer allows consoles', async () => {
    const second = await secondSession(alice);
    const url = await sessionUrl(second, ct.id);
    expect((await second.post('/api/v1/auth/logout', { refreshToken: second.refreshToken })).status).toBe(
      204,
    );
    expect(await openConsole(url)).toEqual({ status: 403, code: 'session_revoked' });

    const carol = await t.ctx.newUser({ role: 'operator' });
    const own = (await launch(carol, { name: 'sec-carol', type: 'lxc', template: LXC_TEMPLATE })).instance;
    const carolUrl = await sessionUrl(carol, own.id);
    const demoted = await t.ctx.admin.put(`/api/v1/users/${carol.user.id}`, { role: 'readonly' });
    expect(demoted.status, demoted.text).toBe(200);
    expect(await openConsole(carolUrl)).toEqual({ status: 403, code: 'session_revoked' });
    const denied = await t.ctx.admin.get<{
      items: { result: string; username: string; details: Record<string, unknown> }[];
    }>('/api/v1/logs/audit', { query: { action: 'instances.console_open', limit: 50 } });
    expect(denied.body.items.find((e) => e.username === carol.user.username)).toMatchObject({
      result: 'denied',
      details: { error: 'session_revoked', instanceName: 'sec-carol' },
    });
  });

  it('a user may have at most 20 sessions waiting to be opened', async () => {
    const dave = await t.ctx.newUser({ role: 'operator' });
    const own = (await launch(dave, { name: 'sec-dave', type: 'lxc', template: LXC_TEMPLATE })).instance;
    for (let i = 0; i < 20; i++) await sessionUrl(dave, own.id);
    const over = await dave.post<{ error: { code: string } }>(`/api/v1/instances/${own.id}/console`, {
      type: 'terminal',
    });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('too_many_console_sessions');
    // others are not affected
    await sessionUrl(alice, ct.id);
  });
});

describe('the origin check on the upgrade', () => {
  it('refuses pages of other sites and accepts our own origin and configured ones', async () => {
    expect(await openConsole(await sessionUrl(alice, ct.id), { origin: 'http://evil.example' })).toEqual({
      status: 403,
      code: 'origin_not_allowed',
    });
    const own = await opened(await sessionUrl(alice, ct.id), `http://${host}`);
    await own.until('# ');
    own.ws.close();
    const settings = t.ctx.app.modules.consoles.settings;
    settings.allowedOrigins.push('https://cloud.example.com');
    try {
      const extra = await opened(await sessionUrl(alice, ct.id), 'https://cloud.example.com');
      await extra.until('# ');
      extra.ws.close();
    } finally {
      settings.allowedOrigins.pop();
    }
  });
});

describe('an open session ends', () => {
  it('when the user logs out (the periodic re-check)', async () => {
    const second = await secondSession(alice);
    const s = await opened(await sessionUrl(second, ct.id));
    await s.until('# ');
    await t.ctx.app.modules.consoles.sweep();
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    await second.post('/api/v1/auth/logout', { refreshToken: second.refreshToken });
    await t.ctx.app.modules.consoles.sweep();
    expect(await s.closed).toEqual({ code: 4001, reason: 'your access to this console ended' });
  });

  it('after the idle timeout without input (output alone does not keep it open)', async () => {
    await withIdleTimeout(60_000, async () => {
      const s = await opened(await sessionUrl(alice, ct.id));
      await s.until('# ');
      clock.offsetMs += 50_000;
      termSend(s, 'echo still here\r');
      await s.until('still here\r\n');
      clock.offsetMs += 50_000;
      await t.ctx.app.modules.consoles.sweep();
      expect(s.ws.readyState).toBe(s.ws.OPEN);
      s.ws.send('2'); // the terminal's keep-alive ping is not the user typing
      clock.offsetMs += 11_000;
      await t.ctx.app.modules.consoles.sweep();
      expect((await s.closed).code).toBe(4000);
    });
  });

  it('a VNC viewer asking for screen updates is idle; a key press is not', async () => {
    await withIdleTimeout(60_000, async () => {
      const s = await opened(await sessionUrl(alice, vm.id, 'vnc'));
      await rfbHandshake(s);
      clock.offsetMs += 50_000;
      rfbType(s, 'x');
      clock.offsetMs += 50_000;
      await t.ctx.app.modules.consoles.sweep();
      expect(s.ws.readyState).toBe(s.ws.OPEN);
      const update = Buffer.alloc(10);
      update[0] = 3;
      update[1] = 1;
      update.writeUInt16BE(8, 6);
      update.writeUInt16BE(8, 8);
      s.ws.send(Buffer.concat([update, update]));
      clock.offsetMs += 11_000;
      await t.ctx.app.modules.consoles.sweep();
      expect((await s.closed).code).toBe(4000);
    });
    expect(isUserInput('terminal', Buffer.from('2'))).toBe(false);
    expect(isUserInput('terminal', Buffer.from('0:1:2'))).toBe(true);
    expect(isUserInput('vnc', Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]))).toBe(true);
  });

  it('when the instance is stopped', async () => {
    const s = await opened(await sessionUrl(alice, vm.id, 'serial'));
    await s.until('# ');
    const stop = await alice.post<{ operation: { id: string } }>(`/api/v1/instances/${vm.id}/stop`, {});
    expect(stop.status, stop.text).toBe(202);
    await waitOp(alice, stop.body.operation.id);
    expect(await s.closed).toEqual({ code: 4002, reason: 'the instance stopped' });
    const refused = await alice.post<{ error: { code: string } }>(`/api/v1/instances/${vm.id}/console`, {
      type: 'vnc',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('instance_not_running');
  });

  it('when the user is disabled or loses the console permission while it is open', async () => {
    const erin = await t.ctx.newUser({ role: 'operator' });
    const own = (await launch(erin, { name: 'sec-erin', type: 'lxc', template: LXC_TEMPLATE })).instance;
    const first = await opened(await sessionUrl(erin, own.id));
    await first.until('# ');
    await t.ctx.app.modules.consoles.sweep();
    expect(first.ws.readyState).toBe(first.ws.OPEN);
    const demoted = await t.ctx.admin.put(`/api/v1/users/${erin.user.id}`, { role: 'readonly' });
    expect(demoted.status, demoted.text).toBe(200);
    await t.ctx.app.modules.consoles.sweep();
    expect(await first.closed).toEqual({ code: 4001, reason: 'your access to this console ended' });

    expect((await t.ctx.admin.put(`/api/v1/users/${erin.user.id}`, { role: 'operator' })).status).toBe(200);
    const again = await secondSession(erin);
    const second = await opened(await sessionUrl(again, own.id));
    await second.until('# ');
    const disabled = await t.ctx.admin.put(`/api/v1/users/${erin.user.id}`, { status: 'disabled' });
    expect(disabled.status, disabled.text).toBe(200);
    await t.ctx.app.modules.consoles.sweep();
    expect(await second.closed).toEqual({ code: 4001, reason: 'your access to this console ended' });
  });

  it('when the instance is terminated, with the reason and byte counts in the audit log', async () => {
    const own = (await launch(alice, { name: 'sec-doomed', type: 'lxc', template: LXC_TEMPLATE })).instance;
    const s = await opened(await sessionUrl(alice, own.id));
    await s.until('# ');
    termSend(s, 'echo bye\r');
    await s.until('bye\r\n');
    const del = await alice.delete<{ operation: { id: string } }>(
      `/api/v1/instances/${own.id}?confirm=${own.id}`,
    );
    expect(del.status, del.text).toBe(202);
    expect(await s.closed).toEqual({ code: 4003, reason: 'the instance was deleted' });
    await waitOp(alice, del.body.operation.id);
    let closed: { details: Record<string, unknown> } | undefined;
    for (let i = 0; i < 200 && !closed; i++) {
      const log = await t.ctx.admin.get<{
        items: { resourceId: string; details: Record<string, unknown> }[];
      }>('/api/v1/logs/audit', { query: { action: 'instances.console_close', limit: 100 } });
      closed = log.body.items.find((e) => e.resourceId === own.id);
      if (!closed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(closed?.details).toMatchObject({
      reason: 'instance_deleted',
      type: 'terminal',
      instanceName: 'sec-doomed',
      bytesIn: expect.any(Number),
      bytesOut: expect.any(Number),
      durationSeconds: expect.any(Number),
    });
    expect(closed!.details.bytesIn as number).toBeGreaterThan(0);
  });
});
