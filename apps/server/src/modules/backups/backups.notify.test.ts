/**
 * A failing vzdump (full backup storage on the simulator) → the run is recorded as failed and the
 * policy's channels get the failure: an e-mail at a real SMTP server (smtp-server) and a signed
 * webhook at a real HTTP receiver, both carrying the task log's error. Channel ids are checked.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ComputeTestContext,
  type ErrorBody,
  type Inst,
  launch,
  type Op,
  useComputeContext,
  waitOp,
} from '../../testing/compute-kit.ts';
import { startReceiver, startSmtpServer } from '../../testing/notify-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

let t: ComputeTestContext;
let alice: TestClient;
let inst: Inst;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let hook: Awaited<ReturnType<typeof startReceiver>>;
const channels: string[] = [];

useComputeContext({ sim: { nodes: 1 } }, async (c) => {
  t = c;
  smtp = await startSmtpServer();
  hook = await startReceiver();
  const s = await t.ctx.admin.put('/api/v1/notification-settings', {
    smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'ProxiCloud <cloud@example.test>' },
    allowPrivateTargets: true,
  });
  expect(s.status, s.text).toBe(200);
  alice = await t.ctx.newUser();
  for (const body of [
    { name: 'bk-mail', type: 'email', config: { to: ['ops@example.test'] } },
    { name: 'bk-hook', type: 'webhook', config: { url: hook.url('/backups') } },
  ]) {
    const res = await alice.post<{ id: string }>('/api/v1/notification-channels', body);
    expect(res.status, res.text).toBe(201);
    channels.push(res.body.id);
  }
  inst = (await launch(alice, { name: 'bk-notify', node: 'pve1' })).instance;
});
afterAll(async () => {
  await smtp?.close();
  await hook?.close();
});

async function until<T>(what: string, fn: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('backup notifications', () => {
  it('refuses channel ids the owner does not have', async () => {
    const res = await alice.post<ErrorBody>('/api/v1/backup-policies', {
      name: 'bk-bad-channel',
      schedule: 'daily',
      targets: [{ instanceId: inst.id }],
      retention: {},
      notifyChannelIds: ['nch-00000000000000000'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('unknown_notification_channel');
    expect(res.body.error.details).toMatchObject({ field: 'notifyChannelIds' });
  });

  it('a failing vzdump sends the failure by e-mail (real SMTP) and webhook', async () => {
    const p = await alice.post<{ id: string }>('/api/v1/backup-policies', {
      name: 'bk-nightly',
      schedule: 'daily',
      targets: [{ instanceId: inst.id }],
      retention: { keepLast: 3 },
      notifyChannelIds: channels,
      notifyOn: ['failure'],
    });
    expect(p.status, p.text).toBe(201);
    t.sim.faults.storageFull('local', true);
    let runId: string;
    try {
      const res = await alice.post<{ run: { id: string }; operation: Op }>(
        `/api/v1/backup-policies/${p.body.id}/run`,
      );
      expect(res.status).toBe(202);
      runId = res.body.run.id;
      await waitOp(alice, res.body.operation.id);
    } finally {
      t.sim.faults.storageFull('local', false);
    }
    const run = (await alice.get<{ status: string }>(`/api/v1/backup-runs/${runId}`)).body;
    expect(run.status).toBe('failed');
    const mail = await until('the e-mail', () => smtp.mails.find((m) => m.subject.includes('bk-nightly')));
    expect(mail.subject).toBe("Backup failed: policy 'bk-nightly'");
    expect(mail.to).toEqual(['ops@example.test']);
    expect(mail.raw).toContain('No space left on device');
    const req = await until('the webhook', () => hook.requests.find((r) => r.path === '/backups'));
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(JSON.stringify(body)).toContain('backup.failed');
    expect(JSON.stringify(body)).toContain(runId);
  });

  it('a successful run sends nothing when only failures are asked for', async () => {
    const before = smtp.mails.length;
    const res = await alice.post<{ run: { id: string }; operation: Op }>(
      `/api/v1/instances/${inst.id}/backup`,
      {},
    );
    await waitOp(alice, res.body.operation.id);
    expect((await alice.get<{ status: string }>(`/api/v1/backup-runs/${res.body.run.id}`)).body.status).toBe(
      'succeeded',
    );
    expect(smtp.mails.length).toBe(before);
  });
});
