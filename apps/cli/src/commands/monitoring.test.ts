/**
 * `proxicloud metrics nodes|node`, `alarms …` and `notifications …` end to end: the real CLI
 * (subprocess) against a real server in demo mode (the simulator in-process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
}, 120_000);
afterAll(() => session?.stop());

const json = <T>(s: string) => JSON.parse(s) as T;

describe('monitoring commands', () => {
  it('metrics nodes and node --period, as a table and as JSON', async () => {
    const nodes = await admin.run(['metrics', 'nodes', '-o', 'json']);
    expect(nodes.code, nodes.stderr).toBe(0);
    const items = json<{ items: { node: string; status: string }[] }>(nodes.stdout).items;
    expect(items.length).toBeGreaterThan(0);
    const node = items[0]!.node;
    const table = await admin.run(['metrics', 'nodes']);
    expect(table.stdout).toMatch(new RegExp(`${node}\\s+online`));

    const m = json<{ node: string; period: string; points: unknown[] }>(
      (await admin.run(['metrics', 'node', node, '--period', '1d', '-o', 'json'])).stdout,
    );
    expect(m).toMatchObject({ node, period: '1d' });
    expect(m.points.length).toBeGreaterThan(0);
    const human = await admin.run(['metrics', 'node', node, '--period', '1h']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Node ${node}, last 1h`);
    expect(human.stdout).toMatch(/Load \(1 min\)/);
    const bad = await admin.run(['metrics', 'node', node, '--period', '2h']);
    expect(bad.code).toBe(2);
  }, 60_000);

  it('metrics bucket and volume: points once sampled, JSON, unknown names', async () => {
    expect((await admin.run(['s3', 'mb', 'cli-metrics-bkt'])).code).toBe(0);
    await session.server.server.app.services.jobs.runNow('metrics.resources');
    const m = json<{ bucket: string; period: string; points: { objectCount: number | null }[] }>(
      (await admin.run(['metrics', 'bucket', 'cli-metrics-bkt', '--period', '5m', '-o', 'json'])).stdout,
    );
    expect(m).toMatchObject({ bucket: 'cli-metrics-bkt', period: '5m' });
    expect(m.points.some((p) => p.objectCount === 0)).toBe(true);
    const human = await admin.run(['metrics', 'bucket', 'cli-metrics-bkt', '--period', '1h']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Bucket cli-metrics-bkt, last 1h: 60-second points');
    expect(human.stdout).toMatch(/Objects\s+0/);
    const alarm = await admin.run([
      'alarms',
      'create',
      'cli-bkt-objects',
      '--bucket',
      'cli-metrics-bkt',
      '--metric',
      'objectCount',
      '--threshold',
      '10',
      '--duration',
      '2m',
      '-o',
      'json',
    ]);
    expect(alarm.code, alarm.stderr).toBe(0);
    expect(json<{ resourceType: string; resourceId: string }>(alarm.stdout)).toMatchObject({
      resourceType: 'bucket',
      resourceId: 'cli-metrics-bkt',
    });
    expect(
      (
        await admin.run([
          'alarms',
          'create',
          'x',
          '--bucket',
          'b',
          '--node',
          'n',
          '--metric',
          'cpu',
          '--threshold',
          '1',
          '--duration',
          '1m',
        ])
      ).code,
    ).toBe(2);
    expect((await admin.run(['metrics', 'bucket', 'no-such-bucket-here'])).code).not.toBe(0);
    expect((await admin.run(['metrics', 'volume', 'no-such-volume'])).code).not.toBe(0);
  }, 180_000);

  it('notifications: secret from stdin never echoed, list, test, deliveries, delete needs --yes', async () => {
    const secret = 'cli-webhook-secret-0123456789';
    const created = await admin.run(
      [
        'notifications',
        'create',
        'cli-hook',
        '--type',
        'webhook',
        '--url',
        'https://93.184.215.14/pc',
        '--secret-stdin',
      ],
      { input: secret },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created webhook channel cli-hook');
    expect(created.stdout + created.stderr).not.toContain(secret);
    const generated = await admin.run([
      'notifications',
      'create',
      'cli-hook2',
      '--type',
      'webhook',
      '--url',
      'https://93.184.215.14/x',
    ]);
    expect(generated.stdout).toMatch(/Signing secret \(shown only now\): \S{16,}/);
    const mail = await admin.run([
      'notifications',
      'create',
      'cli-mail',
      '--type',
      'email',
      '--to',
      'ops@example.com',
    ]);
    expect(mail.code, mail.stderr).toBe(0);
    const noTo = await admin.run(['notifications', 'create', 'x', '--type', 'email']);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain('needs --to');

    const list = await admin.run(['notifications', 'list']);
    expect(list.stdout).toMatch(/cli-hook\s+webhook\s+https:\/\/93\.184\.215\.14\/pc\s+set/);
    expect(list.stdout).toContain('ops@example.com');
    expect(list.stdout).not.toContain(secret);
    const listJson = await admin.run(['notifications', 'list', '-o', 'json']);
    expect(listJson.stdout).not.toContain(secret);

    const test = await admin.run(['notifications', 'test', 'cli-mail']);
    const deliveries = json<{ items: { event: string; status: string }[] }>(
      (await admin.run(['notifications', 'deliveries', 'cli-mail', '-o', 'json'])).stdout,
    );
    expect(deliveries.items[0]?.event).toBe('test');
    expect(test.code).toBe(deliveries.items[0]!.status === 'failed' ? 1 : 0);

    const noYes = await admin.run(['notifications', 'delete', 'cli-hook2']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('needs --yes');
    const del = await admin.run(['notifications', 'delete', 'cli-hook2', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect((await admin.run(['notifications', 'list'])).stdout).not.toContain('cli-hook2');
  }, 60_000);

  it('alarms create on a node, list, get, update, silence, history, delete', async () => {
    const node = json<{ items: { node: string }[] }>(
      (await admin.run(['metrics', 'nodes', '-o', 'json'])).stdout,
    ).items[0]!.node;
    const noTarget = await admin.run([
      'alarms',
      'create',
      'x',
      '--metric',
      'cpu',
      '--threshold',
      '1',
      '--duration',
      '1m',
    ]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('exactly one of --instance, --node, --volume or --bucket');

    const created = await admin.run([
      'alarms',
      'create',
      'cli-node-cpu',
      '--node',
      node,
      '--metric',
      'cpu',
      '--comparison',
      '>=',
      '--threshold',
      '95',
      '--duration',
      '2m',
      '--channel',
      'cli-mail',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created alarm cli-node-cpu \(alm-[0-9a-f]{17}\)/);

    const tooLong = await admin.run([
      'alarms',
      'create',
      'x2',
      '--node',
      node,
      '--metric',
      'cpu',
      '--threshold',
      '1',
      '--duration',
      '2h',
    ]);
    expect(tooLong.code).not.toBe(0);

    const list = await admin.run(['alarms', 'list']);
    expect(list.stdout).toMatch(
      new RegExp(`cli-node-cpu\\s+(OK|ALARM|INSUFFICIENT_DATA)\\s+node ${node}\\s+cpu >= 95 % for 120s`),
    );
    const got = json<{ id: string; channelIds: string[]; durationSeconds: number }>(
      (await admin.run(['alarms', 'get', 'cli-node-cpu', '-o', 'json'])).stdout,
    );
    expect(got.durationSeconds).toBe(120);
    expect(got.channelIds).toHaveLength(1);

    const upd = await admin.run(['alarms', 'update', got.id, '--threshold', '80', '--no-channels']);
    expect(upd.code, upd.stderr).toBe(0);
    const after = json<{ threshold: number; channelIds: string[] }>(
      (await admin.run(['alarms', 'get', 'cli-node-cpu', '-o', 'json'])).stdout,
    );
    expect(after).toMatchObject({ threshold: 80, channelIds: [] });

    const sil = await admin.run(['alarms', 'silence', 'cli-node-cpu', '--for', '2h', '-o', 'json']);
    expect(sil.code, sil.stderr).toBe(0);
    const until = Date.parse(json<{ silencedUntil: string }>(sil.stdout).silencedUntil);
    expect(until).toBeGreaterThan(Date.now() + 3_500_000);
    const off = json<{ silencedUntil: string | null }>(
      (await admin.run(['alarms', 'silence', 'cli-node-cpu', '--off', '-o', 'json'])).stdout,
    );
    expect(off.silencedUntil).toBeNull();

    const hist = await admin.run(['alarms', 'history', 'cli-node-cpu', '-o', 'json']);
    expect(hist.code, hist.stderr).toBe(0);
    expect(json<{ items: unknown[] }>(hist.stdout).items).toBeInstanceOf(Array);

    expect((await admin.run(['alarms', 'delete', 'cli-node-cpu'])).code).toBe(2);
    expect((await admin.run(['alarms', 'delete', 'cli-node-cpu', '--yes'])).code).toBe(0);
    const gone = await admin.run(['alarms', 'get', 'cli-node-cpu']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('No alarm "cli-node-cpu"');
  }, 60_000);
});
