#!/usr/bin/env node
// `npm start`: install what is missing, build the web console if it is missing or stale,
// then run the ProxiCloud server (API + console + jobs) in a child process.
// Uses only Node built-ins so it works on a fresh clone before `npm ci` has run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// 0. Node.js: the supported range is package.json's "engines" (see docs/architecture.md, "Node.js").
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19) || major > 24) {
  console.error(
    `[proxicloud] Node.js ${process.versions.node} is not supported: use Node.js 20.19 or later, up to 24 ` +
      '(Debian 13 and Proxmox VE 9 ship 20; `npm install -g node@24` installs 24 from the npm registry).',
  );
  process.exit(1);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, what) {
  console.log(`[proxicloud] ${what}…`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[proxicloud] ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

// 1. Dependencies: install from the lock file when node_modules is missing or older than the lock.
const installed = join(root, 'node_modules', '.package-lock.json');
if (
  !existsSync(installed) ||
  statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs
) {
  run(npm, ['ci', '--no-audit', '--no-fund'], 'Installing dependencies (npm ci)');
}

// 2. Web console: rebuild when its sources (or the SDK it uses) are newer than the build.
const webDist = join(root, 'apps', 'web', 'dist', 'index.html');
const webSources = Math.max(
  newestMtime(join(root, 'apps', 'web')),
  newestMtime(join(root, 'packages', 'sdk', 'src')),
);
if (!existsSync(webDist) || statSync(webDist).mtimeMs < webSources) {
  run(npm, ['run', 'build', '-w', '@proxicloud/web'], 'Building the web console');
}

// 3. Server bundle (scripts/build-server.mjs, esbuild): production runs plain `node` on it, without
// the tsx loader (≈ 36 MB less RSS; docs/benchmarks.md). `npm start -- --dev` (or PROXICLOUD_DEV=1)
// runs the TypeScript sources through tsx instead, as before.
const dev = process.argv.includes('--dev') || process.env.PROXICLOUD_DEV === '1';
if (!dev) {
  const { build, isStale } = await import('./build-server.mjs');
  if (isStale()) {
    console.log('[proxicloud] Building the server…');
    await build({ quiet: true });
  }
}

// 4. Server. Signals are forwarded so Ctrl-C shuts down gracefully.
// --max-semi-space-size=4: V8's young generation grows to 2 × 16 MB while the server starts and
// stays committed; capped at 2 × 4 MB a fresh demo server holds ≈ 37 MB less RSS; API CPU per
// request did not change beyond this machine's noise (docs/benchmarks.md, "Idle memory"; bench:api
// runs the server with the same flag).
// --initial-old-space-size=48: node's HTTP parser hands every socket read (≤ 64 KiB) to JS in a new
// buffer; V8 counts those bytes against the old generation's limit, which starts small, so a large
// upload paid a full mark-compact every 12–25 MiB. Starting the limit at 48 MiB cut the server's CPU
// per 256 MiB S3 PUT by about 40 % at no idle-RSS cost (docs/benchmarks.md, S3, 7 Dec 2026 10:45).
const child = spawn(
  process.execPath,
  [
    '--max-semi-space-size=4',
    '--initial-old-space-size=48',
    ...(dev
      ? ['--import', 'tsx', join(root, 'apps', 'server', 'src', 'main.ts')]
      : // No --enable-source-maps: it costs ≈ 28 MB RSS; set NODE_OPTIONS=--enable-source-maps to debug.
        [join(root, 'apps', 'server', 'dist', 'main.mjs')]),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  },
);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1)));
