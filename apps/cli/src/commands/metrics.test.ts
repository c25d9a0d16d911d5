/**
 * `instances metrics`: the rendering helpers, and the real CLI (subprocess) against a real server in
 * demo mode, with a guest seeded in the simulator an hour ago and adopted (so it has history).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin, type TestServer } from '../testing/harness.ts';
import { downsample, type InstanceMetrics, renderMetrics, sparkline, summarize } from './metrics.ts';

describe('metrics rendering', () => {
  it('sparkline: ▁ to █ over the scale, nulls as spaces, a flat series at the bottom', () => {
    expect(sparkline([0, 50, 100, null, 25], { min: 0, max: 100 })).toBe('▁▅█ ▃');
    expect(sparkline([10, 20, 30])).toBe('▁▅█');
    expect(sparkline([7, 7])).toBe('▁▁');
    expect(sparkline([null, null])).toBe('  ');
    expect(sparkline([150, -5], { min: 0, max: 100 })).toBe('█▁');
  });

  it('summarize skips nulls; latest is the newest value; downsample averages buckets', () => {
    expect(summarize([null, 2, 4, null, 6, null])).toEqual({ latest: 6, min: 2, avg: 4, max: 6, samples: 3 });
    expect(summarize([null])).toEqual({ latest: null, min: null, avg: null, max: null, samples: 0 });
    expect(downsample([1, 3, null, null, 5, 7], 3)).toEqual([2, null, 6]);
    expect(downsample([1, 2], 10)).toEqual([1, 2]);
  });

  it('renders a table with human units and both sparklines; empty series say why', () => {
    const point = (i: number, cpu: number | null) => ({
      time: new Date(Date.UTC(2026, 10, 29, 19, i)).toISOString(),
      cpuPercent: cpu,
      memoryBytes: cpu === null ? null : 512 * 1024 ** 2,
      memoryMaxBytes: 1024 ** 3,
      netInBytesPerSecond: cpu === null ? null : 2048,
      netOutBytesPerSecond: cpu === null ? null : 100,
      diskReadBytesPerSecond: cpu === null ? null : 0,
      diskWriteBytesPerSecond: cpu === null ? null : 1.5 * 1024 ** 2,
    });
    const m: InstanceMetrics = {
      instanceId: 'i-0123456789abcdef0',
      timeframe: 'hour',
      period: null,
      cf: 'AVERAGE',
      stepSeconds: 60,
      points: [point(0, null), point(1, 10), point(2, 30), point(3, 20)],
    };
    const text = renderMetrics(m, 'web-1').join('\n');
    expect(text).toContain(
      'Instance web-1 (i-0123456789abcdef0), last hour: 1-minute points, average per point',
    );
    expect(text).toContain('2026-11-29 19:00:00Z … 2026-11-29 19:03:00Z (4 points)');
    expect(text).toMatch(/CPU\s+20\.0 %\s+10\.0 %\s+20\.0 %\s+30\.0 %/);
    expect(text).toMatch(/Memory used\s+512 MiB\s+512 MiB\s+512 MiB\s+512 MiB/);
    expect(text).toMatch(/Net in\s+2\.0 KiB\/s/);
    expect(text).toMatch(/Disk write\s+1\.5 MiB\/s/);
    expect(text).toContain('CPU     │ ▂▃▂│ 0-100 %');
    expect(text).toContain('Memory  │ ▅▅▅│ 0-1.0 GiB');
    expect(renderMetrics({ ...m, points: [] }, 'web-1').join('\n')).toContain('No samples');
  });
});

let session: AdminSession;
let server: TestServer;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ server, admin } = session);
});
afterAll(() => session?.stop());

describe('proxicloud instances metrics', () => {
  it('summarises an hour of history with sparklines; -o json is the API answer; errors map to exit codes', async () => {
    const sim = server.server.app.services.proxmox!.simulator!;
    const [vmid] = sim.seedGuests(1, { runningRatio: 1 });
    const guest = sim.inspect().guests.find((g) => g.vmid === vmid)!;
    const me = JSON.parse((await admin.run(['whoami', '-o', 'json'])).stdout) as { user: { id: string } };
    const adopted = await fetch(`${server.url}/api/v1/instances/adopt`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${admin.credentials().profiles.default!.accessToken}`,
      },
      body: JSON.stringify({ node: guest.node, vmid, ownerId: me.user.id, name: 'old-1' }),
    });
    expect(adopted.status, await adopted.clone().text()).toBe(201);
    const id = ((await adopted.json()) as { id: string }).id;

    const human = await admin.run(['instances', 'metrics', 'old-1']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Instance old-1 (${id}), last hour`);
    expect(human.stdout).toMatch(/CPU\s+\d+\.\d %\s+\d+\.\d %/);
    expect(human.stdout).toMatch(/Memory used\s+[\d.]+ [KMG]iB/);
    expect(human.stdout).toMatch(/Net in\s+[\d.]+ (B|KiB|MiB)\/s/);
    expect(human.stdout).toMatch(/CPU {5}│[▁▂▃▄▅▆▇█ ]+│ 0-100 %/);
    expect(human.stdout).toMatch(/Memory {2}│[▁▂▃▄▅▆▇█ ]+│ 0-/);
    expect(human.stdout).toMatch(/[▂▃▄▅▆▇█]/);

    const json = await admin.run([
      'instances',
      'metrics',
      id,
      '--timeframe',
      'day',
      '--cf',
      'MAX',
      '-o',
      'json',
    ]);
    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout) as {
      timeframe: string;
      cf: string;
      stepSeconds: number;
      points: unknown[];
    };
    expect(body).toMatchObject({ timeframe: 'day', cf: 'MAX', stepSeconds: 1800 });
    expect(body.points.length).toBeGreaterThan(0);

    const bad = await admin.run(['instances', 'metrics', id, '--timeframe', 'decade']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are hour, day, week, month, year');
    const missing = await admin.run(['instances', 'metrics', 'no-such-instance']);
    expect(missing.code).toBe(5);
    const help = await admin.run(['instances', 'metrics', '--help']);
    expect(help.stdout).toContain('proxicloud instances metrics web-1 --timeframe day --cf MAX');
  });
});
