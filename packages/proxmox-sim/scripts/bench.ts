/**
 * Simulator-side benchmark: 3 nodes × 5,000 guests, latency of the hot read endpoints over real
 * HTTPS on loopback (bounded: a fixed number of sequential requests per endpoint).
 *
 *   npm run bench -w @proxicloud/proxmox-sim [-- --guests 15000 --rounds 30]
 */
import { request } from 'node:https';
import { parseArgs } from 'node:util';
import { startSimulator } from '../src/index.ts';

const { values } = parseArgs({ options: { guests: { type: 'string' }, rounds: { type: 'string' } } });
const guests = Number(values.guests ?? 15000);
const rounds = Number(values.rounds ?? 30);

const t0 = performance.now();
const sim = await startSimulator({
  port: 0,
  nodes: 3,
  taskDurationMs: 0,
  seed: 1,
  ssh: false,
  seedGuests: guests,
});
console.log(`started 3 nodes with ${guests} guests in ${(performance.now() - t0).toFixed(0)} ms`);

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}/api2/json${path}`,
      { ca: sim.certPem, headers: { authorization: `PVEAPIToken=${sim.token}` }, agent: false },
      (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

for (const path of [
  '/cluster/resources',
  '/cluster/resources?type=vm',
  '/nodes/pve1/qemu',
  '/cluster/nextid',
  '/version',
]) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const s = performance.now();
    bytes = await get(path);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(
    `${path.padEnd(28)} ${(bytes / 1e6).toFixed(2).padStart(6)} MB  p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  max ${q(1)} ms`,
  );
}
await sim.close();
