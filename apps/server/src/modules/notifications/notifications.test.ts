/**
 * Notification channels end to end: a real SMTP server (smtp-server), an SMTP server that hangs,
 * and a local HTTP receiver that checks the HMAC signature. Retries are driven by a manual clock and
 * the `notifications.deliver` job — no sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import {
  type ReceivedRequest,
  startHangingServer,
  startReceiver,
  startSmtpServer,
  verifySignature,
} from '../../testing/notify-kit.ts';
import { createTestContext, type TestClient, type TestContext } from '../../testing/test-kit.ts';
import type { Delivery, NotificationChannel } from './index.ts';

type Created = NotificationChannel & { generatedSecret?: string };
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const SMTP_PASSWORD = 'smtp-pass-Zq81kd';
const PUSH_TOKEN = 'tk_push_secret_4a9f2b';
const clock = new ManualClock('2026-03-01T10:00:00Z');
let t: TestContext;
let alice: TestClient;
let bob: TestClient;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let hanging: Awaited<ReturnType<typeof startHangingServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  smtp = await startSmtpServer({ username: 'mailer', password: SMTP_PASSWORD });
  hanging = await startHangingServer();
  receiver = await startReceiver();
  t = await createTestContext({ clock });
  alice = await t.newUser({ role: 'operator' });
  bob = await t.newUser({ role: 'operator' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await hanging?.close();
  await receiver?.close();
});

const configureSmtp = (port: number, timeoutSeconds = 10) =>
  t.admin.put('/api/v1/notification-settings', {
    smtp: {
      host: '127.0.0.1',
      port,
      security: 'none',
      username: 'mailer',
      password: SMTP_PASSWORD,
      from: 'ProxiCloud <cloud@example.test>',
      timeoutSeconds,
    },
  });

describe('admin notification settings', () => {
  it('stores the SMTP server; the password is write-only; only admins see or change it', async () => {
    const res = await configureSmtp(smtp.port);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'mailer', passwordSet: true },
      allowPrivateTargets: false,
    });
    expect(res.text).not.toContain(SMTP_PASSWORD);
    // leaving the password out keeps it
    const again = await t.admin.put('/api/v1/notification-settings', {
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        username: 'mailer',
        from: 'cloud@example.test',
      },
    });
    expect(again.body).toMatchObject({ smtp: { passwordSet: true } });
    expect((await alice.get('/api/v1/notification-settings')).status).toBe(403);
    expect((await alice.put('/api/v1/notification-settings', { allowPrivateTargets: true })).status).toBe(
      403,
    );
  });
});

describe('e-mail channels', () => {
  let channel: NotificationChannel;

  it('creates a channel and a test-send arrives at the SMTP server, authenticated', async () => {
    const res = await alice.post<NotificationChannel>('/api/v1/notification-channels', {
      name: 'ops mail',
      type: 'email',
      config: { to: ['ops@example.test', 'oncall@example.test'] },
    });
    expect(res.status, res.text).toBe(201);
    channel = res.body;
    expect(channel).toMatchObject({ type: 'email', enabled: true, hasSecret: false, ownerId: alice.user.id });
    const sent = await alice.post<Delivery>(`/api/v1/notification-channels/${channel.id}/test`);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toMatchObject({ status: 'succeeded', attempts: 1, event: 'test' });
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual(['ops@example.test', 'oncall@example.test']);
    expect(mail.from).toBe('cloud@example.test');
    expect(mail.user).toBe('mailer');
    expect(mail.subject).toContain('ops mail');
    expect(mail.raw).toMatch(new RegExp(`X-ProxiCloud-Delivery: ${sent.body.id}`, 'i'));
    const log = await alice.get<{ items: Delivery[]; total: number }>(
      `/api/v1/notification-channels/${channel.id}/deliveries`,
    );
    expect(log.body.total).toBe(1);
    expect(log.body.items[0]).toMatchObject({ id: sent.body.id, status: 'succeeded' });
  });

  it('rejects bad recipients and settings of another channel type', async () => {
    const bad = await alice.post<ErrorBody>('/api/v1/notification-channels', {
      name: 'bad mail',
      type: 'email',
      config: { to: ['not-an-address'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: 'config.to' });
    const wrong = await alice.post<ErrorBody>('/api/v1/notification-channels', {
      name: 'bad mail',
      type: 'email',
      config: { to: ['a@example.test'], url: 'https://example.test/' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toMatchObject({ field: 'config.url' });
    const dup = await alice.post('/api/v1/notification-channels', {
      name: 'ops mail',
      type: 'email',
      config: { to: ['a@example.test'] },
    });
    expect(dup.status).toBe(409);
  });

  it('an SMTP server that hangs times out; the delivery fails and the next ones still go out', async () => {
    await configureSmtp(hanging.port, 1);
    const sent = await alice.post<Delivery>(`/api/v1/notification-channels/${channel.id}/test`);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.status).toBe('failed');
    expect(sent.body.lastError).toMatch(/timeout|timed out|greeting/i);
    // a notification (with retries) through the hung server is queued for a retry, not lost
    const notified = await t.app.modules.notifications.port.notify({
      ownerId: alice.user.id,
      channelIds: [channel.id],
      event: 'backup.failed',
      subject: 'Backup failed',
      body: 'The nightly backup of web-1 failed.',
    });
    expect(notified.deliveries).toEqual([expect.objectContaining({ status: 'pending' })]);
    await configureSmtp(smtp.port);
    clock.advance(30_000);
    const before = smtp.mails.length;
    await t.app.services.jobs.runNow('notifications.deliver');
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.mails.at(-1)!.subject).toBe('Backup failed');
    const log = await alice.get<{ items: Delivery[] }>(
      `/api/v1/notification-channels/${channel.id}/deliveries`,
    );
    expect(log.body.items.find((d) => d.event === 'backup.failed')).toMatchObject({
      status: 'succeeded',
      attempts: 2,
    });
  });
});

describe('webhook channels and the SSRF guard', () => {
  let hook: Created;

  it('refuses the server itself and private addresses until an admin allows them; metadata never', async () => {
    for (const url of [
      receiver.url(),
      'http://localhost:9/x',
      'http://10.1.2.3/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fe80::1]/',
      'ftp://example.test/',
      'http://user:pw@example.test/',
    ]) {
      const res = await alice.post<ErrorBody>('/api/v1/notification-channels', {
        name: 'hook',
        type: 'webhook',
        config: { url },
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error.details, url).toMatchObject({ field: 'config.url' });
    }
    const allowed = await t.admin.put('/api/v1/notification-settings', { allowPrivateTargets: true });
    expect(allowed.body).toMatchObject({ allowPrivateTargets: true });
    const meta = await alice.post<ErrorBody>('/api/v1/notification-channels', {
      name: 'hook',
      type: 'webhook',
      config: { url: 'http://169.254.169.254/latest/meta-data/' },
    });
    expect(meta.status).toBe(400);
    expect(meta.body.error.code).toBe('notification_target_refused');
  });

  it('a webhook without a secret gets one generated, shown once; GET never returns it', async () => {
    const res = await alice.post<Created>('/api/v1/notification-channels', {
      name: 'hook',
      type: 'webhook',
      config: { url: receiver.url('/hook') },
    });
    expect(res.status, res.text).toBe(201);
    hook = res.body;
    expect(hook.generatedSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(hook.hasSecret).toBe(true);
    const got = await alice.get(`/api/v1/notification-channels/${hook.id}`);
    expect(got.text).not.toContain(hook.generatedSecret!);
    const list = await alice.get('/api/v1/notification-channels');
    expect(list.text).not.toContain(hook.generatedSecret!);
  });

  it('signs the JSON body (X-ProxiCloud-Signature) and retries 5xx answers with backoff', async () => {
    receiver.failNext(2, 503);
    const start = receiver.requests.length;
    const result = await t.app.modules.notifications.port.notify({
      ownerId: alice.user.id,
      channelIds: [hook.id],
      event: 'alarm.state_changed',
      subject: 'cpu-high is ALARM',
      body: 'CPU 95 % > 80 % for 5 minutes',
      data: { alarmId: 'alm-1', state: 'ALARM' },
    });
    expect(result.deliveries).toEqual([expect.objectContaining({ channelId: hook.id, status: 'pending' })]);
    // not due yet: nothing is sent
    await t.app.services.jobs.runNow('notifications.deliver');
    expect(receiver.requests.length).toBe(start + 1);
    clock.advance(30_000);
    await t.app.services.jobs.runNow('notifications.deliver');
    expect(receiver.requests.length).toBe(start + 2);
    clock.advance(60_000);
    await t.app.services.jobs.runNow('notifications.deliver');
    expect(receiver.requests.length).toBe(start + 2); // second delay is 2 min
    clock.advance(60_000);
    await t.app.services.jobs.runNow('notifications.deliver');
    expect(receiver.requests.length).toBe(start + 3);
    const last = receiver.requests.at(-1) as ReceivedRequest;
    expect(last.headers['content-type']).toBe('application/json');
    expect(verifySignature(hook.generatedSecret!, last.body, last.headers['x-proxicloud-signature'])).toBe(
      true,
    );
    expect(
      verifySignature('wrong-secret-wrong-secret', last.body, last.headers['x-proxicloud-signature']),
    ).toBe(false);
    expect(JSON.parse(last.body)).toMatchObject({
      event: 'alarm.state_changed',
      subject: 'cpu-high is ALARM',
      data: { alarmId: 'alm-1', state: 'ALARM' },
      channel: { id: hook.id, name: 'hook' },
    });
    const log = await alice.get<{ items: Delivery[] }>(`/api/v1/notification-channels/${hook.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200 });
  });

  it('a 4xx answer is not retried; a replaced secret signs from then on', async () => {
    const secret = 'a-new-secret-of-32-characters-xx';
    const put = await alice.put<NotificationChannel>(`/api/v1/notification-channels/${hook.id}`, {
      config: { url: receiver.url('/hook2'), secret },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.text).not.toContain(secret);
    receiver.failNext(1, 404);
    const failed = await alice.post<Delivery>(`/api/v1/notification-channels/${hook.id}/test`);
    expect(failed.body).toMatchObject({ status: 'failed', responseStatus: 404, nextAttemptAt: null });
    const ok = await alice.post<Delivery>(`/api/v1/notification-channels/${hook.id}/test`);
    expect(ok.body.status).toBe('succeeded');
    const last = receiver.requests.at(-1)!;
    expect(last.path).toBe('/hook2');
    expect(verifySignature(secret, last.body, last.headers['x-proxicloud-signature'])).toBe(true);
  });
});

describe('push channels (ntfy and Gotify style)', () => {
  it('ntfy: text body, Title header, Bearer token; gotify: JSON with X-Gotify-Key', async () => {
    const ntfy = await alice.post<NotificationChannel>('/api/v1/notification-channels', {
      name: 'phone',
      type: 'push',
      config: { url: receiver.url('/alerts'), token: PUSH_TOKEN },
    });
    expect(ntfy.status, ntfy.text).toBe(201);
    expect(ntfy.body).toMatchObject({
      config: { url: receiver.url('/alerts'), format: 'ntfy' },
      hasSecret: true,
    });
    expect(ntfy.text).not.toContain(PUSH_TOKEN);
    const sent = await alice.post<Delivery>(`/api/v1/notification-channels/${ntfy.body.id}/test`);
    expect(sent.body.status).toBe('succeeded');
    const req = receiver.requests.at(-1)!;
    expect(req.path).toBe('/alerts');
    expect(req.headers.authorization).toBe(`Bearer ${PUSH_TOKEN}`);
    expect(req.headers.title).toContain('phone');
    expect(req.body).toContain('test message');

    const gotify = await alice.post<NotificationChannel>('/api/v1/notification-channels', {
      name: 'gotify',
      type: 'push',
      config: { url: receiver.url('/message'), token: PUSH_TOKEN, format: 'gotify' },
    });
    expect(gotify.status, gotify.text).toBe(201);
    await alice.post(`/api/v1/notification-channels/${gotify.body.id}/test`);
    const g = receiver.requests.at(-1)!;
    expect(g.headers['x-gotify-key']).toBe(PUSH_TOKEN);
    expect(JSON.parse(g.body)).toMatchObject({ priority: 5, title: expect.stringContaining('gotify') });
  });
});

describe('isolation, permissions and secrecy', () => {
  it("another user's channels answer 404 and notify() never uses them", async () => {
    const list = await alice.get<{ items: NotificationChannel[] }>('/api/v1/notification-channels');
    const mine = list.body.items[0]!;
    expect((await bob.get(`/api/v1/notification-channels/${mine.id}`)).status).toBe(404);
    expect((await bob.post(`/api/v1/notification-channels/${mine.id}/test`)).status).toBe(404);
    expect((await bob.get(`/api/v1/notification-channels/${mine.id}/deliveries`)).status).toBe(404);
    expect((await bob.delete(`/api/v1/notification-channels/${mine.id}`)).status).toBe(404);
    const bobs = await bob.get<{ total: number }>('/api/v1/notification-channels');
    expect(bobs.body.total).toBe(0);
    const r = await t.app.modules.notifications.port.notify({
      ownerId: bob.user.id,
      channelIds: [mine.id],
      event: 'x',
      subject: 's',
      body: 'b',
    });
    expect(r.deliveries).toEqual([]);
    await expect(
      t.app.modules.notifications.port.assertChannels(bob.user.id, [mine.id]),
    ).rejects.toMatchObject({
      code: 'unknown_notification_channel',
    });
    await expect(
      t.app.modules.notifications.port.assertChannels(alice.user.id, [mine.id]),
    ).resolves.toBeUndefined();
  });

  it('read-only users list but cannot create; anonymous callers get 401', async () => {
    const ro = await t.newUser({ role: 'readonly' });
    expect((await ro.get('/api/v1/notification-channels')).status).toBe(200);
    const denied = await ro.post('/api/v1/notification-channels', {
      name: 'x',
      type: 'email',
      config: { to: ['a@example.test'] },
    });
    expect(denied.status).toBe(403);
    expect((await alice.get('/api/v1/notification-channels', { anonymous: true })).status).toBe(401);
  });

  it('disabled channels are skipped; delete removes the channel and its log', async () => {
    const ch = await alice.post<NotificationChannel>('/api/v1/notification-channels', {
      name: 'temp',
      type: 'webhook',
      config: { url: receiver.url('/temp'), secret: 'temp-secret-temp-secret' },
    });
    await alice.put(`/api/v1/notification-channels/${ch.body.id}`, { enabled: false });
    const r = await t.app.modules.notifications.port.notify({
      ownerId: alice.user.id,
      channelIds: [ch.body.id],
      event: 'x',
      subject: 's',
      body: 'b',
    });
    expect(r.deliveries).toEqual([]);
    expect((await alice.delete(`/api/v1/notification-channels/${ch.body.id}`)).status).toBe(204);
    expect((await alice.get(`/api/v1/notification-channels/${ch.body.id}`)).status).toBe(404);
  });

  it('no secret reaches the logs or the audit trail', async () => {
    const audit = await t.admin.get('/api/v1/logs/audit', { query: { limit: 1000 } });
    expect(audit.status).toBe(200);
    for (const secret of [
      SMTP_PASSWORD,
      PUSH_TOKEN,
      'a-new-secret-of-32-characters-xx',
      'temp-secret-temp-secret',
    ]) {
      expect(t.logs()).not.toContain(secret);
      expect(audit.text).not.toContain(secret);
    }
    expect(audit.text).toContain('notification_channels.create');
  });
});
