/**
 * S3 benchmark: PUT/GET throughput for 1 MiB and 256 MiB objects and 4 KiB ops/s at 16
 * concurrent clients, against a real ProxiCloud server started as a child process (SQLite, data
 * dir on the disk under test), next to the raw disk's own write (dd conv=fsync) and read speed
 * measured in the same run and the same directory.
 *
 * The large PUTs are also set against the floor of the work they must do: min(disk write with
 * fsync, one core's MD5 speed) — every byte must reach the disk and be MD5-hashed for the ETag —
 * both measured in this run, and the ratio is printed (goal ≥ 0.6).
 *
 *   npx tsx apps/server/scripts/bench-s3.ts [--dir /path/on/disk] [--quick] [--large-only] [--json]
 *
 * --dir         where the data dir goes (default: a temp dir under $TMPDIR); pick the disk you care about
 * --quick       smaller counts (smoke run)
 * --large-only  only the disk/MD5 baselines and the 256 MiB PUT/GET
 * --json        print the results as JSON as well
 * --source      run the server from source through tsx (default: the production bundle, as npm start)
 * --cpu-prof DIR  run the server under `node --cpu-prof` (event loop and worker threads) and write the
 *               profiles into DIR (open them in Chrome DevTools)
 * --node-flags '…'  the server's V8 flags instead of npm start's `--max-semi-space-size=4 --initial-old-space-size=48` (an A/B of
 *               the flags: see docs/benchmarks.md, S3, 7 Dec 2026 10:00)
 *
 * Next to each 256 MiB PUT row it prints the CPU seconds the server (all threads: event loop, hash
 * workers, libuv pool) and this client process spent per object, and one core's MD5 time for the
 * same 256 MiB — the load-independent view of the same ratio on a machine shared with others.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

process.env.AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING ??= '1';

/** The V8 flags npm start and the systemd unit run the server with. */
const START_FLAGS = '--max-semi-space-size=4 --initial-old-space-size=48';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = flag('--quick');
const LARGE_ONLY = flag('--large-only');
const MiB = 1024 * 1024;
const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const ADMIN_PASSWORD = 'bench-admin-password';

interface Result {
  name: string;
  value: number;
  unit: string;
  note?: string;
}
const results: Result[] = [];
function report(name: string, value: number, unit: string, note?: string) {
  results.push({ name, value, unit, ...(note ? { note } : {}) });
  const shown = unit === '×' ? value.toFixed(2) : value.toFixed(1);
  console.log(`  ${name.padEnd(44)} ${shown.padStart(9)} ${unit}${note ? `   (${note})` : ''}`);
}

// ------------------------------------------------------------------ raw disk

/** Run dd and return its throughput in MiB/s (dd reports bytes and seconds on stderr). */
function ddSpeed(argv: string[]): number {
  const r = spawnSync('dd', argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dd ${argv.join(' ')} failed: ${r.stderr}`);
  const m = /(\d+) bytes .* copied, ([\d.]+) s/.exec(r.stderr);
  if (!m) throw new Error(`could not parse dd output: ${r.stderr}`);
  return Number(m[1]) / MiB / Number(m[2]);
}

function dropCaches(): boolean {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds one core's MD5 of 256 MiB took (least of the md5Speed rounds). */
let md5CpuSeconds = Number.POSITIVE_INFINITY;

/** One core's MD5 speed in MiB/s (1 MiB updates over `size` bytes, best of `rounds`). */
function md5Speed(size: number, rounds = 3): number {
  const data = randomBytes(MiB);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const h = createHash('md5');
    for (let done = 0; done < size; done += MiB) h.update(data);
    h.digest();
    best = Math.max(best, size / MiB / ((performance.now() - t0) / 1000));
    const c = process.cpuUsage(c0);
    md5CpuSeconds = Math.min(md5CpuSeconds, ((c.user + c.system) / 1e6) * ((256 * MiB) / size));
  }
  return best;
}

// ------------------------------------------------------------------ server

/**
 * The server as production runs it (scripts/start.mjs, the systemd unit): the esbuild bundle with
 * plain node and `--max-semi-space-size=4 --initial-old-space-size=48` (built first when stale); `--source` runs
 * apps/server/src/main.ts through tsx instead.
 */
async function serverArgs(): Promise<string[]> {
  if (flag('--source')) return ['--import', 'tsx', join(ROOT, 'apps/server/src/main.ts')];
  const { build, isStale } = (await import(join(ROOT, 'scripts/build-server.mjs'))) as {
    build(o: { quiet: boolean }): Promise<void>;
    isStale(): boolean;
  };
  if (isStale()) await build({ quiet: true });
  const flags = option('--node-flags') ?? START_FLAGS;
  return [...flags.split(' ').filter(Boolean), join(ROOT, 'apps/server/dist/main.mjs')];
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of the server (child) and of this client process while `fn` runs. */
async function cpuOf(
  pid: number | undefined,
  fn: () => Promise<void>,
): Promise<{ server: number; client: number; wall: number }> {
  const s0 = cpuSeconds(pid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return {
    server: cpuSeconds(pid) - s0,
    client: (c.user + c.system) / 1e6,
    wall: (performance.now() - t0) / 1000,
  };
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; s3Url: string; url: string }> {
  const profDir = option('--cpu-prof');
  const profArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profDir)] : [];
  const child = spawn(process.execPath, [...profArgs, ...(await serverArgs())], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PROXICLOUD_DATA_DIR: dataDir,
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_PORT: '0',
      PROXICLOUD_S3_PORT: '0',
      PROXICLOUD_LOG_LEVEL: 'info',
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let url = '';
  let s3Port = 0;
  let buffered = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  await new Promise<void>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr.slice(-2000)}`)));
    child.stdout!.on('data', (c: Buffer) => {
      buffered += c.toString();
      for (;;) {
        const nl = buffered.indexOf('\n');
        if (nl < 0) break;
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const l = JSON.parse(line) as { msg?: string; address?: string; port?: number };
          if (l.msg === 'ProxiCloud is listening') url = String(l.address);
          if (l.msg === 'S3 endpoint is listening') s3Port = Number(l.port);
          if (url && s3Port) resolveReady();
        } catch {
          // not JSON
        }
      }
    });
  });
  child.stdout!.resume();
  return { child, url, s3Url: `http://127.0.0.1:${s3Port}` };
}

async function accessKey(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const key = await fetch(`${url}/api/v1/access-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ description: 'bench' }),
  });
  return (await key.json()) as { accessKeyId: string; secretAccessKey: string };
}

// ------------------------------------------------------------------ workloads

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await fn(item);
      }
    }),
  );
}

async function drain(body: unknown): Promise<number> {
  let n = 0;
  for await (const c of body as AsyncIterable<Uint8Array>) n += c.length;
  return n;
}

async function main() {
  const base = option('--dir') ?? tmpdir();
  const dataDir = mkdtempSync(join(base, 'proxicloud-bench-'));
  const fs = statfsSync(dataDir);
  console.log(
    `ProxiCloud S3 benchmark — data dir ${dataDir} (${((fs.bavail * fs.bsize) / 1024 ** 3).toFixed(0)} GiB free)`,
  );
  console.log(
    `node ${process.version}, ${QUICK ? 'quick run' : 'full run'}, server flags: ${flag('--source') ? 'tsx (sources)' : (option('--node-flags') ?? START_FLAGS)}\n`,
  );

  // raw disk, same directory
  console.log('raw disk (dd, same directory):');
  const ddFile = join(dataDir, 'dd.bin');
  const ddCount = QUICK ? 256 : 1024;
  const ddWrite = ddSpeed(['if=/dev/zero', `of=${ddFile}`, 'bs=1M', `count=${ddCount}`, 'conv=fsync']);
  report(`write ${ddCount} MiB, bs=1M, conv=fsync`, ddWrite, 'MiB/s');
  const dropped = dropCaches();
  const ddRead = ddSpeed([`if=${ddFile}`, 'of=/dev/null', 'bs=1M']);
  report(
    `read ${ddCount} MiB`,
    ddRead,
    'MiB/s',
    dropped ? 'page cache dropped' : 'page cache NOT dropped (not root): cached read',
  );
  rmSync(ddFile);
  console.log('\none core (this process, before the server starts):');
  const md5Before = md5Speed(256 * MiB);
  report('MD5 of 256 MiB, 1 MiB updates', md5Before, 'MiB/s');

  const server = await startServer(join(dataDir, 'server'));
  try {
    const key = await accessKey(server.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const s3 = new S3Client({
      endpoint: server.s3Url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: key,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    // The server's own background work (jobs, the demo simulator) while idle, per second: taken
    // off the CPU per PUT below, which on a loaded machine runs for many seconds.
    const idle0 = cpuSeconds(server.child.pid);
    await new Promise((r) => setTimeout(r, 5000));
    const idlePerSecond = (cpuSeconds(server.child.pid) - idle0) / 5;

    const run = async (label: string, size: number, count: number, concurrency: number) => {
      const body = randomBytes(size);
      const keys = Array.from({ length: count }, (_, i) => `${label}/${i}`);
      let t0 = performance.now();
      await pool(keys, concurrency, async (k) => {
        await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: k, Body: body }));
      });
      const putS = (performance.now() - t0) / 1000;
      const cached = dropCaches();
      t0 = performance.now();
      let bytes = 0;
      await pool(keys, concurrency, async (k) => {
        const r = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: k }));
        const n = await drain(r.Body);
        bytes += n;
      });
      const getS = (performance.now() - t0) / 1000;
      if (bytes !== size * count) throw new Error(`short read: ${bytes} of ${size * count}`);
      return { putS, getS, cached: !cached };
    };

    console.log('\nS3 (AWS SDK v3, signed payloads + CRC32 as the SDK sends them, one client process):');
    if (!LARGE_ONLY) {
      const count = QUICK ? 64 : 256;
      const r = await run('1mib', MiB, count, 16);
      report(
        `PUT 1 MiB × ${count}, 16 concurrent`,
        (count * 1) / r.putS,
        'MiB/s',
        `${(count / r.putS).toFixed(0)} objects/s`,
      );
      report(
        `GET 1 MiB × ${count}, 16 concurrent`,
        (count * 1) / r.getS,
        'MiB/s',
        r.cached ? 'from page cache' : 'page cache dropped',
      );
    }
    const count256 = QUICK ? 2 : 4;
    /** Server CPU per object without its idle background work over the same time. */
    const net = (c: { server: number; wall: number }) =>
      Math.max(0, c.server - idlePerSecond * c.wall) / count256;
    const cpuNote = (c: { server: number; client: number; wall: number }) =>
      `CPU per object: server ${net(c).toFixed(2)} s, client ${(c.client / count256).toFixed(2)} s`;
    const cpuRows: { name: string; server: number; client: number; wall: number }[] = [];
    let signedPut = 0;
    {
      let r = { putS: 0, getS: 0, cached: false };
      const c = await cpuOf(server.child.pid, async () => {
        r = await run('256mib', 256 * MiB, count256, 1);
      });
      cpuRows.push({ name: 'signed', ...c });
      signedPut = (count256 * 256) / r.putS;
      report(
        `PUT 256 MiB × ${count256}, sequential`,
        signedPut,
        'MiB/s',
        'Buffer body: signed payload; CPU incl. the GETs',
      );
      report(
        `GET 256 MiB × ${count256}, sequential`,
        (count256 * 256) / r.getS,
        'MiB/s',
        r.cached ? 'from page cache' : 'page cache dropped',
      );
    }
    let unsignedPut = 0;
    {
      // a stream body: the SDK sends STREAMING-UNSIGNED-PAYLOAD-TRAILER (aws-chunked, CRC32 in the
      // trailer), so the server needs no SHA-256 — what lib-storage and HTTPS clients do
      const body = randomBytes(256 * MiB);
      const t0 = performance.now();
      const c = await cpuOf(server.child.pid, async () => {
        for (let i = 0; i < count256; i++)
          await s3.send(
            new PutObjectCommand({
              Bucket: 'bench',
              Key: `256mib-stream/${i}`,
              Body: Readable.from([body.subarray(0, 128 * MiB), body.subarray(128 * MiB)]),
              ContentLength: body.length,
            }),
          );
      });
      unsignedPut = (count256 * 256) / ((performance.now() - t0) / 1000);
      cpuRows.push({ name: 'unsigned, CRC32 trailer', ...c });
      report(
        `PUT 256 MiB × ${count256}, sequential`,
        unsignedPut,
        'MiB/s',
        `stream body: unsigned payload, CRC32 trailer; ${cpuNote(c)}`,
      );
    }
    let plainPut = 0;
    {
      // the same stream without the SDK's CRC32 (computed in JavaScript on the client, it bounds
      // the two rows above): UNSIGNED-PAYLOAD, the server's work is MD5 + the disk write
      const plain = new S3Client({
        endpoint: server.s3Url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: key,
        maxAttempts: 1,
        requestHandler: { httpAgent: agent },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      const body = randomBytes(256 * MiB);
      const t0 = performance.now();
      const c = await cpuOf(server.child.pid, async () => {
        for (let i = 0; i < count256; i++)
          await plain.send(
            new PutObjectCommand({
              Bucket: 'bench',
              Key: `256mib-plain/${i}`,
              Body: Readable.from([body.subarray(0, 128 * MiB), body.subarray(128 * MiB)]),
              ContentLength: body.length,
            }),
          );
      });
      plainPut = (count256 * 256) / ((performance.now() - t0) / 1000);
      plain.destroy();
      cpuRows.push({ name: 'no SDK checksum', ...c });
      report(
        `PUT 256 MiB × ${count256}, sequential`,
        plainPut,
        'MiB/s',
        `stream body, no SDK checksum; ${cpuNote(c)}`,
      );
    }
    const md5After = md5Speed(256 * MiB);
    const md5Core = (md5Before + md5After) / 2;
    const floor = Math.min(ddWrite, md5Core);
    console.log(
      `\nfloor of the work = min(dd with fsync ${ddWrite.toFixed(0)}, one-core MD5 ${md5Core.toFixed(0)} [before ${md5Before.toFixed(0)}, after ${md5After.toFixed(0)}]) = ${floor.toFixed(0)} MiB/s`,
    );
    console.log(
      `one core's MD5 of 256 MiB takes ${md5CpuSeconds.toFixed(2)} CPU s; per 256 MiB PUT the server used ` +
        cpuRows.map((c) => `${net(c).toFixed(2)} CPU s (${c.name})`).join(', ') +
        ` (its idle ${(idlePerSecond * 100).toFixed(0)} % of a core taken off; the first includes its GETs)` +
        `, this client ${cpuRows.map((c) => (c.client / count256).toFixed(2)).join(' / ')} s`,
    );
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`machine load average: ${load}`);
    report('PUT 256 MiB signed / floor', signedPut / floor, '×', 'goal ≥ 0.6');
    report('PUT 256 MiB unsigned / floor', unsignedPut / floor, '×', 'goal ≥ 0.6');
    report('PUT 256 MiB no SDK checksum / floor', plainPut / floor, '×', 'goal ≥ 0.6');
    // the same three against one core's MD5 alone: the floor whenever the disk is the faster part
    if (floor < md5Core) {
      report(
        'PUT 256 MiB signed / one-core MD5',
        signedPut / md5Core,
        '×',
        'if the disk were faster than MD5',
      );
      report(
        'PUT 256 MiB unsigned / one-core MD5',
        unsignedPut / md5Core,
        '×',
        'if the disk were faster than MD5',
      );
      report(
        'PUT 256 MiB no SDK checksum / one-core MD5',
        plainPut / md5Core,
        '×',
        'if the disk were faster than MD5',
      );
    }
    if (!LARGE_ONLY) {
      const seconds = QUICK ? 3 : 10;
      const body = randomBytes(4096);
      let n = 0;
      const perWorker = new Array<number>(16).fill(0);
      let t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; performance.now() < deadline; i++) {
            await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `4k/${w}/${i}`, Body: body }));
            perWorker[w]!++;
            n++;
          }
        }),
      );
      const putRate = n / ((performance.now() - t0) / 1000);
      report('PUT 4 KiB, 16 concurrent clients', putRate, 'ops/s');
      let m = 0;
      t0 = performance.now();
      const until = t0 + seconds * 1000;
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; performance.now() < until; i++) {
            const r = await s3.send(
              new GetObjectCommand({
                Bucket: 'bench',
                Key: `4k/${w}/${i % Math.max(1, perWorker[w]!)}`,
              }),
            );
            await drain(r.Body);
            m++;
          }
        }),
      );
      report('GET 4 KiB, 16 concurrent clients', m / ((performance.now() - t0) / 1000), 'ops/s');
    }
    s3.destroy();
    agent.destroy();
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (flag('--json')) console.log(`\n${JSON.stringify({ results }, null, 2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
