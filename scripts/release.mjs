#!/usr/bin/env node
// `npm run release`: the release tarball deploy/install.sh installs from.
//   release/proxicloud-<version>-linux-<arch>.tar.gz  (+ .sha256)
// Contents (top directory proxicloud-<version>/): the server and CLI bundles, the built console,
// production node_modules (native modules built for this Node.js ABI; install.sh rebuilds them when
// the host's Node.js differs), package.json/lock, deploy/ (install.sh, systemd unit), docs, and
// RELEASE.json (version, commit, Node.js ABI). No TypeScript sources, no dev dependencies.
// Options: --out DIR (default ./release); --npm-ci: install the production dependencies with a clean
// `npm ci --omit=dev` (slow, needs the registry) instead of copying them from this checkout's
// node_modules (the default: `npm ls --omit=dev` decides what is copied); --no-node-modules: none
// (the installer then runs npm ci on the host).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const outDir = resolve(arg('--out') ?? join(root, 'release'));
const withModules = !process.argv.includes('--no-node-modules');
const cleanInstall = process.argv.includes('--npm-ci');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.version;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

console.log('[release] building the server and CLI bundles');
await build({ quiet: true });
if (!existsSync(join(root, 'apps/web/dist/index.html')) || process.argv.includes('--rebuild-web')) {
  console.log('[release] building the web console');
  run(npm, ['run', 'build', '-w', '@proxicloud/web'], root);
}

const stageRoot = mkdtempSync(join(tmpdir(), 'pc-release-'));
const name = `proxicloud-${version}`;
const stage = join(stageRoot, name);
const copy = (rel) => cpSync(join(root, rel), join(stage, rel), { recursive: true, dereference: false });
try {
  for (const rel of [
    'package.json',
    'package-lock.json',
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'deploy',
    'docs',
  ])
    copy(rel);
  for (const rel of [
    'apps/server/package.json',
    'apps/server/dist',
    'apps/cli/package.json',
    'apps/cli/bin',
    'apps/cli/dist',
    'apps/web/package.json',
    'apps/web/dist',
  ])
    copy(rel);
  // Workspace manifests keep the lock file consistent for npm ci (their code is in the bundles).
  for (const p of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', p, 'package.json'))) copy(`packages/${p}/package.json`);
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {}
  const release = {
    version,
    commit,
    builtAt: new Date().toISOString(),
    node: process.version,
    nodeAbi: process.versions.modules,
    platform: `${process.platform}-${process.arch}`,
    nodeModules: withModules,
  };
  writeFileSync(join(stage, 'RELEASE.json'), `${JSON.stringify(release, null, 2)}\n`);
  if (withModules && cleanInstall) {
    console.log('[release] installing production dependencies (npm ci --omit=dev)');
    run(npm, ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], stage);
  } else if (withModules) {
    console.log('[release] copying production dependencies (npm ls --omit=dev)');
    // npm ls exits 1 on ELSPROBLEMS (e.g. an `overrides` version it calls "invalid"); the list is complete.
    const list = spawnSync(npm, ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }).stdout;
    if (!list?.includes('node_modules')) throw new Error('npm ls --omit=dev listed no packages');
    for (const abs of list.split('\n')) {
      const rel = relative(root, abs.trim());
      // Workspace packages are in the bundles; only real packages under a node_modules are copied.
      if (!rel.includes('node_modules/') || rel.startsWith('..')) continue;
      cpSync(abs.trim(), join(stage, rel), { recursive: true, dereference: false });
    }
    // Not needed at run time and large.
    rmSync(join(stage, 'node_modules/.bin'), { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}-${process.platform}-${process.arch}.tar.gz`);
  run('tar', ['-C', stageRoot, '--owner=0', '--group=0', '-czf', file, name], root);
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  writeFileSync(`${file}.sha256`, `${sha}  ${file.split('/').pop()}\n`);
  console.log(`[release] ${file} (${(statSync(file).size / 1048576).toFixed(1)} MiB) sha256 ${sha}`);
} finally {
  rmSync(stageRoot, { recursive: true, force: true });
}
