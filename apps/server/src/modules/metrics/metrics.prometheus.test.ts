/**
 * A real Prometheus (Debian package `prometheus`) scrapes a running server's /metrics with the
 * scrape token; the test finds the instance series through Prometheus's HTTP API. Also: `promtool`
 * accepts the shipped rules and config, and every metric the Grafana dashboard and the rules use
 * exists in /metrics. Skipped, with a message, where the binaries are missing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ComputeTestContext, type Inst, launch, useComputeContext } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const DEPLOY = join(REPO, 'deploy');
const TOKEN = 'prometheus-scrape-token-0123456789';
const HAVE = existsSync('/usr/bin/prometheus') && existsSync('/usr/bin/promtool');
if (!HAVE)
  console.warn(
    'metrics.prometheus.test: /usr/bin/prometheus or promtool missing (apt-get install prometheus); skipped',
  );

let t: ComputeTestContext;
let alice: TestClient;
let vm: Inst;
const tmp = mkdtempSync(join(tmpdir(), 'pc-prom-'));
let prom: ChildProcess | null = null;

useComputeContext({ test: { configure: (c) => ({ ...c, metricsToken: TOKEN }) } }, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
  vm = (await launch(alice, { name: 'prom-vm' })).instance;
});
afterAll(() => {
  prom?.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

describe.skipIf(!HAVE)('Prometheus and Grafana files', () => {
  it('promtool accepts the shipped rules and config', () => {
    copyFileSync(join(DEPLOY, 'prometheus/prometheus.yml'), join(tmp, 'prometheus.yml'));
    copyFileSync(join(DEPLOY, 'prometheus/proxicloud.rules.yml'), join(tmp, 'proxicloud.rules.yml'));
    writeFileSync(join(tmp, 'proxicloud.token'), TOKEN);
    expect(
      execFileSync('promtool', ['check', 'rules', join(tmp, 'proxicloud.rules.yml')]).toString(),
    ).toContain('SUCCESS: 5 rules found');
    execFileSync('promtool', ['check', 'config', join(tmp, 'prometheus.yml')]);
  });

  it('every metric the dashboard and the rules use exists in /metrics', async () => {
    await t.ctx.app.services.jobs.runNow('metrics.collect');
    const text = (await t.ctx.request('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }))
      .text;
    const exported = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .flatMap((l) => {
          const [, , name, type] = l.split(' ');
          return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!];
        }),
    );
    const dashboard = readFileSync(join(DEPLOY, 'grafana/dashboards/proxicloud.json'), 'utf8');
    const rules = readFileSync(join(DEPLOY, 'prometheus/proxicloud.rules.yml'), 'utf8');
    const used = new Set([...`${dashboard}\n${rules}`.matchAll(/\bproxicloud_[a-z0-9_]+/g)].map((m) => m[0]));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((m) => !exported.has(m))).toEqual([]);
  });

  it('a real Prometheus scrapes the server and has the instance series', async () => {
    await t.ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const serverPort = (t.ctx.app.server.address() as { port: number }).port;
    const promPort = await freePort();
    writeFileSync(
      join(tmp, 'scrape.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: proxicloud\n    authorization:\n      type: Bearer\n      credentials_file: proxicloud.token\n    static_configs:\n      - targets: ['127.0.0.1:${serverPort}']\n`,
    );
    writeFileSync(join(tmp, 'proxicloud.token'), TOKEN);
    prom = spawn(
      'prometheus',
      [
        `--config.file=${join(tmp, 'scrape.yml')}`,
        `--storage.tsdb.path=${join(tmp, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    await t.ctx.app.services.jobs.runNow('metrics.collect');
    const query = encodeURIComponent(`proxicloud_instance_up{instance_id="${vm.id}"}`);
    let result: { metric: Record<string, string>; value: [number, string] }[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${query}`);
        const body = (await res.json()) as { data?: { result: typeof result } };
        result = body.data?.result ?? [];
        if (result.length) break;
      } catch {
        // Prometheus still starting
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({ name: 'prom-vm', owner: alice.user.id, job: 'proxicloud' });
    expect(result[0]!.value[1]).toBe('1');
    const targets = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string }[] };
    };
    expect(targets.data.activeTargets[0]!.health).toBe('up');
  });
});
