/**
 * Alarms driven by the simulator's load controls: a busy guest → ALARM → an e-mail through a real
 * SMTP server → load drops → OK (another e-mail). Time moves with an offset clock; each step runs the
 * collector and the evaluation job directly — no sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  useComputeContext,
} from '../../testing/compute-kit.ts';
import { startSmtpServer } from '../../testing/notify-kit.ts';
import { OffsetClock } from '../../testing/offset-clock.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import type { Alarm } from './index.ts';

interface Transition {
  fromState: string;
  toState: string;
  reason: string;
  notified: boolean;
}

const clock = new OffsetClock();
let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let vm: Inst;
let channelId: string;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
});

useComputeContext(
  { test: { clock, configure: (c) => ({ ...c, metricsIntervalSeconds: 15 }) } },
  async (c) => {
    t = c;
    alice = await t.ctx.newUser({ role: 'operator' });
    bob = await t.ctx.newUser({ role: 'operator' });
    vm = (await launch(alice, { name: 'alarm-vm' })).instance;
    const settings = await t.ctx.admin.put('/api/v1/notification-settings', {
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'alarms@example.test' },
    });
    expect(settings.status, settings.text).toBe(200);
    const ch = await alice.post<{ id: string }>('/api/v1/notification-channels', {
      name: 'alice mail',
      type: 'email',
      config: { to: ['alice@example.test'] },
    });
    expect(ch.status, ch.text).toBe(201);
    channelId = ch.body.id;
  },
);

/** One collector pass and one evaluation, then 15 s pass. */
async function tick(): Promise<void> {
  await t.ctx.app.services.jobs.runNow('metrics.collect');
  await t.ctx.app.services.jobs.runNow('alarms.evaluate');
  clock.advance(15_000);
}

describe('alarms', () => {
  let alarm: Alarm;

  it('creates an alarm on an instance; it starts with INSUFFICIENT_DATA', async () => {
    const res = await alice.post<Alarm>('/api/v1/alarms', {
      name: 'cpu-high',
      resourceType: 'instance',
      resourceId: vm.id,
      metric: 'cpu',
      comparison: '>',
      threshold: 80,
      durationSeconds: 60,
      channelIds: [channelId],
    });
    expect(res.status, res.text).toBe(201);
    alarm = res.body;
    expect(alarm).toMatchObject({
      state: 'INSUFFICIENT_DATA',
      resourceName: 'alarm-vm',
      unit: '%',
      channelIds: [channelId],
    });
  });

  it('a busy guest goes ALARM after the duration, and the owner gets an e-mail', async () => {
    t.sim.setLoad(vm.vmid!, 0.1);
    await tick();
    expect((await alice.get<Alarm>(`/api/v1/alarms/${alarm.id}`)).body.state).toBe('OK');
    t.sim.setLoad(vm.vmid!, 0.95);
    const mailsBefore = smtp.mails.length;
    for (let i = 0; i < 4; i++) {
      await tick();
      // breaching, but not yet for 60 s
      expect((await alice.get<Alarm>(`/api/v1/alarms/${alarm.id}`)).body.state).toBe('OK');
    }
    await tick();
    const fired = await alice.get<Alarm>(`/api/v1/alarms/${alarm.id}`);
    expect(fired.body.state).toBe('ALARM');
    expect(fired.body.lastValue).toBeCloseTo(95, 0);
    expect(fired.body.stateReason).toMatch(/cpu 95\.0 % > 80\.0 % for 60 s/);
    expect(smtp.mails.length).toBe(mailsBefore + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual(['alice@example.test']);
    expect(mail.subject).toBe('[ALARM] cpu-high (instance alarm-vm)');
    // staying in ALARM sends nothing more
    await tick();
    expect(smtp.mails.length).toBe(mailsBefore + 1);
  });

  it('when the load drops the alarm returns to OK (another e-mail), with history', async () => {
    t.sim.setLoad(vm.vmid!, 0.05);
    await tick();
    const ok = await alice.get<Alarm>(`/api/v1/alarms/${alarm.id}`);
    expect(ok.body.state).toBe('OK');
    expect(smtp.mails.at(-1)!.subject).toBe('[OK] cpu-high (instance alarm-vm)');
    const history = await alice.get<{ items: Transition[] }>(`/api/v1/alarms/${alarm.id}/history`);
    expect(history.body.items.map((h) => `${h.fromState}>${h.toState}`)).toEqual([
      'ALARM>OK',
      'OK>ALARM',
      'INSUFFICIENT_DATA>OK',
    ]);
    expect(history.body.items[1]!.notified).toBe(true);
  });

  it('silenced alarms change state without notifying; a stopped guest is INSUFFICIENT_DATA', async () => {
    const until = new Date(clock.now().getTime() + 3600_000).toISOString();
    const put = await alice.put<Alarm>(`/api/v1/alarms/${alarm.id}`, {
      silencedUntil: until,
      durationSeconds: 30,
    });
    expect(put.status, put.text).toBe(200);
    t.sim.setLoad(vm.vmid!, 0.99);
    const before = smtp.mails.length;
    for (let i = 0; i < 4; i++) await tick();
    expect((await alice.get<Alarm>(`/api/v1/alarms/${alarm.id}`)).body.state).toBe('ALARM');
    expect(smtp.mails.length).toBe(before);
    const stop = await alice.post(`/api/v1/instances/${vm.id}/stop`, { force: true });
    expect(stop.status).toBe(202);
    await expect
      .poll(async () => (await alice.get<Inst>(`/api/v1/instances/${vm.id}`)).body.status, {
        timeout: 60_000,
        interval: 50,
      })
      .toBe('stopped');
    await tick();
    expect((await alice.get<Alarm>(`/api/v1/alarms/${alarm.id}`)).body.state).toBe('INSUFFICIENT_DATA');
    t.sim.setLoad(vm.vmid!, null);
  });

  it('node alarms; bad input; other users get 404', async () => {
    const node = t.sim.nodes[0]!;
    const n = await alice.post<Alarm>('/api/v1/alarms', {
      name: 'node-mem',
      resourceType: 'node',
      resourceId: node,
      metric: 'memory',
      comparison: '>=',
      threshold: 99,
      durationSeconds: 30,
    });
    expect(n.status, n.text).toBe(201);
    await tick();
    await tick();
    await tick();
    expect((await alice.get<Alarm>(`/api/v1/alarms/${n.body.id}`)).body.state).toBe('OK');

    const base = {
      name: 'x',
      resourceType: 'instance',
      resourceId: vm.id,
      metric: 'cpu',
      comparison: '>',
      threshold: 80,
      durationSeconds: 60,
    };
    const cases: [Record<string, unknown>, number][] = [
      [{ threshold: 'high' }, 400],
      [{ threshold: 150 }, 400],
      [{ durationSeconds: 0 }, 400],
      [{ durationSeconds: 365 * 86400 }, 400],
      [{ comparison: '==' }, 400],
      [{ metric: 'temperature' }, 400],
      [{ channelIds: ['nch-00000000000000000'] }, 400],
      [{ resourceType: 'bucket', resourceId: 'b1', metric: 'objectCount' }, 404],
      [{ resourceType: 'volume', resourceId: 'vol-00000000000000000', metric: 'diskUsed' }, 404],
      [{ resourceType: 'node', resourceId: 'no-such-node' }, 404],
      [{ resourceType: 'node', resourceId: node, metric: 'netIn' }, 400],
      [{ metric: 'diskUsed' }, 400],
    ];
    for (const [patch, status] of cases) {
      const res = await alice.post<ErrorBody>('/api/v1/alarms', { ...base, ...patch });
      expect(res.status, JSON.stringify(patch)).toBe(status);
    }
    // bob: alice's instance is 404 to him, so is her alarm, and her channel is unknown
    expect((await bob.post('/api/v1/alarms', { ...base, name: 'bobs' })).status).toBe(404);
    expect((await bob.get(`/api/v1/alarms/${alarm.id}`)).status).toBe(404);
    expect((await bob.get(`/api/v1/alarms/${alarm.id}/history`)).status).toBe(404);
    expect((await bob.delete(`/api/v1/alarms/${alarm.id}`)).status).toBe(404);
    const bobNode = await bob.post('/api/v1/alarms', {
      ...base,
      name: 'bobs',
      resourceType: 'node',
      resourceId: node,
      channelIds: [channelId],
    });
    expect(bobNode.status).toBe(400);
    const ro = await t.ctx.newUser({ role: 'readonly' });
    expect((await ro.post('/api/v1/alarms', { ...base, name: 'ro' })).status).toBe(403);
    const list = await alice.get<{ items: Alarm[] }>('/api/v1/alarms', { query: { state: 'OK' } });
    expect(list.body.items.map((a) => a.name)).toContain('node-mem');
    expect((await alice.delete(`/api/v1/alarms/${n.body.id}`)).status).toBe(204);
  });
});
