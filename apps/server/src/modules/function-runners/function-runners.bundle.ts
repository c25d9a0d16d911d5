/**
 * What ProxiCloud installs in a function runner container: the runner itself (every file of
 * packages/function-runner/src except tests and type declarations), a systemd unit and the
 * runner's environment (shared secret, port, version). It travels through the host agent's fixed
 * app-setup commands: lib.sh (the apps module's helpers: pc_apt, pc_unit, pc_log), app.env (0600,
 * the only file carrying the secret) and setup.sh, whose `pc_runner_file` blocks carry the runner's
 * files base64-encoded.
 *
 * The version is the package version plus a hash over the files: an upgrade is needed exactly
 * when the files the server carries differ from the ones the runner was installed with.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runnerEntry } from '../functions/index.ts';

export const RUNNER_PORT = 8790;
export const RUNNER_DIR = '/opt/proxicloud-function-runner';
export const RUNNER_UNIT = 'proxicloud-function-runner';
/** uids of sandboxes inside the unprivileged container (its map covers 0–65535) */
const RUNNER_UID_BASE = 60000;

export interface RunnerBundle {
  version: string;
  files: Map<string, Buffer>;
}

function walk(dir: string, root: string, out: Map<string, Buffer>): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, root, out);
    else if (!/\.test\.|\.d\.mts$|\.d\.ts$/.test(name)) out.set(relative(root, p), readFileSync(p));
  }
}

let cached: RunnerBundle | null = null;

/**
 * The runner's files as this server carries them, and their version (read once). The files come
 * from packages/function-runner/src, or PROXICLOUD_FUNCTION_RUNNER_SRC (a runner package's src/).
 */
export function runnerBundle(): RunnerBundle {
  if (cached) return cached;
  const src = process.env.PROXICLOUD_FUNCTION_RUNNER_SRC || dirname(runnerEntry());
  const files = new Map<string, Buffer>();
  walk(src, src, files);
  const h = createHash('sha256');
  for (const [path, data] of files) h.update(path).update('\0').update(data).update('\0');
  const pkgFile = join(src, '..', 'package.json');
  const base = existsSync(pkgFile)
    ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version
    : '0.0.0';
  cached = { version: `${base}+${h.digest('hex').slice(0, 12)}`, files };
  return cached;
}

/** Read the files again on the next use (tests: a new runner version). */
export function forgetRunnerBundle(): void {
  cached = null;
}

const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** app.env: the runner's environment (the secret lives only here, root-only 0600). */
export function runnerEnv(secret: string, version: string): string {
  return [
    '# ProxiCloud function runner (written by ProxiCloud; changes are overwritten)',
    `PROXICLOUD_RUNNER_SECRET=${q(secret)}`,
    `PROXICLOUD_RUNNER_VERSION=${q(version)}`,
    'PROXICLOUD_RUNNER_HOST=0.0.0.0',
    `PROXICLOUD_RUNNER_PORT=${RUNNER_PORT}`,
    'PROXICLOUD_RUNNER_DIR=/var/lib/proxicloud-function-runner',
    `PROXICLOUD_RUNNER_UID_BASE=${RUNNER_UID_BASE}`,
    '',
  ].join('\n');
}

export function runnerUnit(): string {
  return [
    '[Unit]',
    'Description=ProxiCloud function runner (managed by ProxiCloud)',
    'After=network-online.target',
    '',
    '[Service]',
    `EnvironmentFile=/etc/${RUNNER_UNIT}.env`,
    `ExecStart=/usr/bin/node ${RUNNER_DIR}/runner.mjs`,
    'Restart=always',
    'RestartSec=1',
    // the runner makes a cgroup per sandbox (memory/CPU/pids limits) below its own
    'Delegate=yes',
    'KillMode=control-group',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ].join('\n');
}

/**
 * setup.sh: `install` installs Node.js, bubblewrap, Python 3 and Go (golang-go, for Go functions), writes the runner, its env and
 * unit, and (re)starts it; `update` does the same with the files of this server (an upgrade).
 */
export function runnerSetupScript(runnerId: string, bundle: RunnerBundle): string {
  const eof = 'PROXICLOUD_RUNNER_EOF';
  const files = [...bundle.files].flatMap(([path, data]) => [
    `pc_runner_file ${q(path)} <<'${eof}'`,
    ...(data.toString('base64').match(/.{1,76}/g) ?? []),
    eof,
  ]);
  return [
    '#!/bin/bash',
    `# ProxiCloud function runner ${runnerId}, version ${bundle.version} (written by ProxiCloud). Phases: install | update.`,
    '# proxicloud-function-runner',
    'set -euo pipefail',
    '# shellcheck source=/dev/null',
    'source /root/.proxicloud/app/lib.sh',
    '',
    `NEW=${RUNNER_DIR}.new`,
    '',
    '# pc_runner_file PATH: the runner file PATH, base64 on stdin',
    'pc_runner_file() {',
    '  install -d "$(dirname "$NEW/$1")"',
    '  base64 -d >"$NEW/$1"',
    '}',
    '',
    'write_runner() {',
    '  rm -rf "$NEW" && install -d "$NEW"',
    ...files.map((l) => (l.startsWith('pc_runner_file') ? `  ${l}` : l)),
    `  rm -rf ${RUNNER_DIR}.old`,
    `  if [ -d ${RUNNER_DIR} ]; then mv ${RUNNER_DIR} ${RUNNER_DIR}.old; fi`,
    `  mv "$NEW" ${RUNNER_DIR}`,
    `  install -m 0600 /root/.proxicloud/app/app.env /etc/${RUNNER_UNIT}.env`,
    '  install -d -m 0700 /var/lib/proxicloud-function-runner',
    '}',
    '',
    'install_app() {',
    '  pc_apt nodejs bubblewrap python3 util-linux golang-go',
    '  write_runner',
    `  pc_unit ${RUNNER_UNIT} "$(cat <<'UNIT'`,
    runnerUnit(),
    'UNIT',
    '  )"',
    `  pc_log "function runner ${bundle.version} started"`,
    '}',
    '',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash, not a template
    'case "${1:-install}" in',
    '  install | update) install_app ;;',
    '  *) echo "unknown phase: $1" >&2; exit 2 ;;',
    'esac',
    '',
  ].join('\n');
}
