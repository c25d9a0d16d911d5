#!/usr/bin/env node
// Idle RSS of a fresh demo-mode server: the production bundle (plain node) against the source run
// through the tsx loader, with a bare `node` process as the same-run baseline. Each round starts
// the three side by side in turn (fresh data dir each) and reads VmRSS 3 s after /readyz.
// Usage: npm run bench:rss [-- --rounds 3]      (builds the bundle first when it is stale)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, isStale } from './build-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;
const FLAGS = ['--max-semi-space-size=4', '--initial-old-space-size=48']; // as npm start and the systemd unit

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

async function measure(args, http) {
  const dir = mkdtempSync(join(tmpdir(), 'pc-rss-'));
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      PROXICLOUD_DATA_DIR: dir,
      PROXICLOUD_PORT: String(port),
      PROXICLOUD_S3_PORT: '0',
      PROXICLOUD_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    if (http) {
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (i > 600) throw new Error('server did not become ready');
        await sleep(100);
      }
    }
    await sleep(3000);
    return rssMb(child.pid);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isStale()) await build({ quiet: true });
const rows = { 'bare node': [], 'bundle (node dist/main.mjs)': [], 'source (node --import tsx)': [] };
for (let i = 0; i < rounds; i++) {
  rows['bare node'].push(await measure([...FLAGS, '-e', 'setInterval(() => {}, 1 << 30)'], false));
  rows['bundle (node dist/main.mjs)'].push(await measure([...FLAGS, 'apps/server/dist/main.mjs'], true));
  rows['source (node --import tsx)'].push(
    await measure([...FLAGS, '--import', 'tsx', 'apps/server/src/main.ts'], true),
  );
}
console.log(
  `idle RSS, MB (fresh demo server, 3 s after /readyz; node ${process.version}; flags ${FLAGS.join(' ')})`,
);
for (const [name, values] of Object.entries(rows)) {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(30)} ${values.join(' / ').padEnd(20)} median ${sorted[Math.floor(sorted.length / 2)]}`,
  );
}
