import { startSimulator } from './src/index.ts';
import { client } from './test/http.ts';

const t0 = Date.now();
const sim = await startSimulator({
  port: 0,
  nodes: 3,
  taskDurationMs: 0,
  seed: 1,
  ssh: false,
  seedGuests: 15000,
});
console.log('start+seed ms', Date.now() - t0);
const { call } = client(sim);
for (const type of [undefined, 'vm']) {
  const times: number[] = [];
  let n = 0;
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    const r = await call<unknown[]>('GET', '/cluster/resources', type ? { type } : undefined);
    times.push(performance.now() - s);
    n = r.body.data.length;
    bytes = r.raw.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `/cluster/resources${type ? '?type=' + type : ''}: ${n} entries, ${(bytes / 1e6).toFixed(1)} MB, p50 ${times[10]!.toFixed(1)} ms, p95 ${times[18]!.toFixed(1)} ms`,
  );
}
{
  const s = performance.now();
  const r = await call<unknown[]>('GET', '/nodes/pve1/qemu');
  console.log('/nodes/pve1/qemu', r.body.data.length, (performance.now() - s).toFixed(1), 'ms');
}
{
  const s = performance.now();
  const r = await call('GET', '/cluster/nextid');
  console.log('/cluster/nextid', r.body.data, (performance.now() - s).toFixed(1), 'ms');
}
await sim.close();
