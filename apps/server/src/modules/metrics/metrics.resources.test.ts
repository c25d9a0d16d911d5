/**
 * Volume and bucket metrics: the `metrics.resources` job samples a volume's used/size (from the
 * simulator's storage content) and a bucket's objects/bytes once a minute into `resource_samples`;
 * the API answers them per period, /metrics exports them, alarms on volumes and buckets fire, old
 * samples are compacted, and S3 traffic on the dedicated S3 port is counted. Time moves with an
 * offset clock; no sleeps except waiting for the volume's create operation.
 */
import { describe, expect, it } from 'vitest';
import { type ComputeTestContext, useComputeContext } from '../../testing/compute-kit.ts';
import { OffsetClock } from '../../testing/offset-clock.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import type { Alarm } from '../alarms/index.ts';

const TOKEN = 'resource-metrics-scrape-token-0123';
const clock = new OffsetClock();
let t: ComputeTestContext;
let alice: TestClient;
let bob: TestClient;
let volumeId: string;
const BUCKET = `rm-${Date.now().toString(36)}`;

interface Points<P> {
  period: string;
  stepSeconds: number;
  points: (P & { time: string })[];
}

useComputeContext({ test: { clock, configure: (c) => ({ ...c, metricsToken: TOKEN }) } }, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  bob = await t.ctx.newUser({ role: 'operator' });
  const vol = await alice.post<{ id: string }>('/api/v1/volumes', { name: 'rm-data', sizeGib: 1 });
  expect(vol.status, vol.text).toBe(201);
  volumeId = vol.body.id;
  for (let i = 0; i < 400; i++) {
    if ((await alice.get<{ status: string }>(`/api/v1/volumes/${volumeId}`)).body.status === 'available')
      break;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect((await alice.post('/api/v1/buckets', { name: BUCKET })).status).toBe(201);
});

const sample = async () => {
  await t.ctx.app.services.jobs.runNow('metrics.resources');
  clock.advance(60_000);
};
const put = (key: string, body: string) =>
  alice.request('PUT', `/api/v1/buckets/${BUCKET}/objects/${key}`, { payload: body });
const rows = () =>
  t.ctx.app.services.db.kysely
    .selectFrom('resource_samples')
    .select(['resource_type', 'resource_id', 'at', 'level'])
    .execute();

describe('volume and bucket metrics', () => {
  it('samples objects and bytes of a bucket over time', async () => {
    await sample();
    expect((await put('a.txt', 'x'.repeat(1000))).status).toBe(200);
    await sample();
    expect((await put('b.txt', 'y'.repeat(500))).status).toBe(200);
    await sample();
    const res = await alice.get<Points<{ objectCount: number | null; sizeBytes: number | null }>>(
      `/api/v1/buckets/${BUCKET}/metrics`,
      { query: { period: '5m' } },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.stepSeconds).toBe(60);
    const seen = res.body.points.filter((p) => p.objectCount !== null);
    expect(seen.map((p) => [p.objectCount, p.sizeBytes])).toEqual([
      [0, 0],
      [1, 1000],
      [2, 1500],
    ]);
    // oldest first, one point a minute, nulls before the first sample
    expect(res.body.points).toHaveLength(5);
    expect(res.body.points[0]!.objectCount).toBeNull();
    expect(Date.parse(res.body.points[1]!.time) - Date.parse(res.body.points[0]!.time)).toBe(60_000);
    expect((await bob.get(`/api/v1/buckets/${BUCKET}/metrics`)).status).toBe(404);
  });

  it("samples a volume's used space and size from Proxmox", async () => {
    const res = await alice.get<Points<{ usedBytes: number | null; sizeBytes: number | null }>>(
      `/api/v1/volumes/${volumeId}/metrics`,
      { query: { period: '1h' } },
    );
    expect(res.status, res.text).toBe(200);
    const last = res.body.points.filter((p) => p.sizeBytes !== null).at(-1)!;
    expect(last.sizeBytes).toBe(1024 ** 3);
    expect(last.usedBytes).toBeGreaterThan(0);
    expect(res.body.points.filter((p) => p.sizeBytes !== null).length).toBe(3);
    expect((await bob.get(`/api/v1/volumes/${volumeId}/metrics`)).status).toBe(404);
    expect((await alice.get(`/api/v1/volumes/${volumeId}/metrics`, { query: { period: '2y' } })).status).toBe(
      400,
    );
  });

  it('/metrics exports volume and bucket gauges', async () => {
    const text = (await t.ctx.request('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }))
      .text;
    expect(text).toContain(`proxicloud_bucket_objects{bucket="${BUCKET}",owner="${alice.user.id}"} 2`);
    expect(text).toContain(`proxicloud_bucket_size_bytes{bucket="${BUCKET}",owner="${alice.user.id}"} 1500`);
    expect(text).toMatch(
      new RegExp(
        `proxicloud_volume_size_bytes\\{volume_id="${volumeId}",name="rm-data",node="[^"]+",owner="${alice.user.id}"\\} 1073741824`,
      ),
    );
    expect(text).toContain(`proxicloud_volume_used_bytes{volume_id="${volumeId}"`);
  });

  it('alarms on a bucket (storedBytes) and a volume (diskUsed) follow the samples', async () => {
    const b = await alice.post<Alarm>('/api/v1/alarms', {
      name: 'bucket-big',
      resourceType: 'bucket',
      resourceId: BUCKET,
      metric: 'storedBytes',
      comparison: '>',
      threshold: 2000,
      durationSeconds: 60,
    });
    expect(b.status, b.text).toBe(201);
    expect(b.body).toMatchObject({ resourceName: BUCKET, unit: 'B', state: 'INSUFFICIENT_DATA' });
    const v = await alice.post<Alarm>('/api/v1/alarms', {
      name: 'vol-used',
      resourceType: 'volume',
      resourceId: volumeId,
      metric: 'diskUsed',
      comparison: '>=',
      threshold: 0,
      durationSeconds: 60,
    });
    expect(v.status, v.text).toBe(201);
    expect(v.body.resourceName).toBe('rm-data');
    const evaluate = async () => {
      await t.ctx.app.services.jobs.runNow('metrics.resources');
      await t.ctx.app.services.jobs.runNow('alarms.evaluate');
      clock.advance(60_000);
    };
    const state = async (id: string) => (await alice.get<Alarm>(`/api/v1/alarms/${id}`)).body.state;
    await evaluate();
    expect(await state(b.body.id)).toBe('OK');
    expect((await put('c.bin', 'z'.repeat(4000))).status).toBe(200);
    await evaluate(); // breaching, not yet for 60 s
    expect(await state(b.body.id)).toBe('OK');
    await evaluate();
    expect(await state(b.body.id)).toBe('ALARM');
    expect(await state(v.body.id)).toBe('ALARM');
    expect((await alice.delete(`/api/v1/buckets/${BUCKET}/objects/c.bin`)).status).toBe(204);
    await evaluate();
    expect(await state(b.body.id)).toBe('OK');

    // bad input: bucket metrics on a volume, a volume metric on a bucket, others' resources
    const base = { name: 'x', comparison: '>', threshold: 1, durationSeconds: 60 };
    const cases: [Record<string, unknown>, TestClient, number][] = [
      [{ resourceType: 'volume', resourceId: volumeId, metric: 'objectCount' }, alice, 400],
      [{ resourceType: 'bucket', resourceId: BUCKET, metric: 'cpu' }, alice, 400],
      [{ resourceType: 'bucket', resourceId: BUCKET, metric: 'storedBytes', threshold: -1 }, alice, 400],
      [{ resourceType: 'bucket', resourceId: BUCKET, metric: 'objectCount' }, bob, 404],
      [{ resourceType: 'volume', resourceId: volumeId, metric: 'diskUsed' }, bob, 404],
      [{ resourceType: 'bucket', resourceId: 'no-such-bucket-x', metric: 'objectCount' }, alice, 404],
    ];
    for (const [patch, who, status] of cases) {
      const res = await who.post('/api/v1/alarms', { ...base, ...patch });
      expect(res.status, JSON.stringify(patch)).toBe(status);
    }
  });

  it('keeps every sample for 2 hours, then one per 5 minutes, then one per hour', async () => {
    const mine = async () =>
      (await rows()).filter((r) => r.resource_type === 'bucket').map((r) => Number(r.at));
    const before = await mine();
    for (let i = 0; i < 130; i++) await sample(); // 130 minutes
    const after = await mine();
    // the last pass stored its row on the minute before the clock moved on
    const lastAt = Math.floor((clock.now().getTime() - 60_000) / 60_000) * 60;
    const cutoff = lastAt - 2 * 3600;
    const old = after.filter((at) => at < cutoff);
    expect(before.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    // in the old part, at most one sample per 5-minute slot
    const slots = new Set(old.map((at) => Math.floor(at / 300)));
    expect(slots.size).toBe(old.length);
    // the recent part keeps every minute
    const recent = after.filter((at) => at >= cutoff + 120);
    expect(new Set(recent.map((at) => Math.floor(at / 60))).size).toBe(recent.length);
    expect(recent.length).toBeGreaterThan(110);
  });

  it('counts S3 requests on the dedicated S3 port', async () => {
    const port = await t.ctx.app.storage.endpoint.listen('127.0.0.1', 0);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/${BUCKET}/a.txt`);
      expect(res.status).toBe(403);
      await res.arrayBuffer();
      await new Promise((r) => setImmediate(r));
      const text = (await t.ctx.request('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }))
        .text;
      expect(text).toMatch(/proxicloud_s3_requests_total\{method="GET",status="403"\} [1-9]/);
    } finally {
      await t.ctx.app.storage.endpoint.close(100);
    }
  });
});
