/**
 * The setup library and the built-in scripts run for real in a throw-away Debian 12 root (mmdebstrap
 * minbase + curl, entered with chroot): pc_fetch against a local server (pinned checksum accepted,
 * wrong one refused, unpinned refused, a second run is a no-op), every built-in script sourcing
 * lib.sh and the app.env ProxiCloud writes for it under `set -euo pipefail`, and pc_apt installing a
 * package from Debian's archive (the one part that needs the network; kept to one tiny package).
 * The Prometheus VM app's rendered configuration passes `promtool check config`.
 *
 * Needs root, mmdebstrap and chroot (CI installs mmdebstrap); building the root takes a minute or two.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILTIN_VM_IDS, builtinDir, loadBuiltins } from './apps.builtin.ts';
import { appEnv, fill, resolveParams } from './apps.params.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// No database involved: the PostgreSQL pass of CI (the same server suite again) skips it.
const canRun =
  process.getuid?.() === 0 &&
  has('mmdebstrap') &&
  has('chroot') &&
  process.env.PROXICLOUD_TEST_DB !== 'postgres';
const catalog = loadBuiltins();
const lib = readFileSync(`${builtinDir()}lib.sh`, 'utf8');

let root = '';
let server: Server;
let port = 0;
const BLOB = Buffer.from('pinned artefact 1.2.3\n');
const BLOB_SHA = createHash('sha256').update(BLOB).digest('hex');

/**
 * Run `bash setup.sh <args>` inside the root with the app files in place (asynchronously: the
 * test's HTTP server answers the script's downloads meanwhile).
 */
function inRoot(
  files: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const dir = join(root, 'root/.proxicloud/app');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), content, { mode: 0o600 });
  return new Promise((resolve) => {
    execFile(
      'chroot',
      [root, '/bin/bash', '/root/.proxicloud/app/setup.sh', ...args],
      {
        encoding: 'utf8',
        timeout: 300_000,
        env: {
          PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          LC_ALL: 'C',
          HOME: '/root',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

const env = (extra: Record<string, string>) =>
  `${Object.entries(extra)
    .map(([k, v]) => `${k}='${v}'`)
    .join('\n')}\n`;

describe.skipIf(!canRun)('setup scripts in a real Debian 12 root', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'pc-apps-root-'));
    const r = spawnSync(
      'mmdebstrap',
      ['--quiet', '--variant=minbase', '--include=ca-certificates,curl', 'bookworm', root],
      { encoding: 'utf8', timeout: 900_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(join(root, 'etc/resolv.conf'), readFileSync('/etc/resolv.conf'));
    server = createServer((req, res) => {
      if (req.url === '/blob-1.2.3') res.end(BLOB);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 900_000);
  afterAll(() => {
    server?.close();
    if (root && existsSync(root)) rmSync(root, { recursive: true, force: true });
  });

  it('pc_fetch: pinned download lands once; wrong checksum and unpinned are refused', async () => {
    const script = [
      '#!/bin/bash',
      'set -euo pipefail',
      'source /root/.proxicloud/app/lib.sh',
      'pc_fetch "$1" /tmp/blob',
      'cat /tmp/blob',
    ].join('\n');
    const url = `http://127.0.0.1:${port}/blob-1.2.3`;
    rmSync(join(root, 'tmp/blob'), { force: true });
    const ok = env({ PC_DL_BLOB_URL: url, PC_DL_BLOB_SHA256: BLOB_SHA });
    const first = await inRoot({ 'lib.sh': lib, 'app.env': ok, 'setup.sh': script }, ['blob']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('fetching blob');
    expect(first.out).toContain('pinned artefact 1.2.3');
    const again = await inRoot({ 'setup.sh': script }, ['blob']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('already have blob');

    rmSync(join(root, 'tmp/blob'), { force: true });
    const wrong = env({ PC_DL_BLOB_URL: url, PC_DL_BLOB_SHA256: '0'.repeat(64) });
    const bad = await inRoot({ 'app.env': wrong }, ['blob']);
    expect(bad.code).toBe(4);
    expect(bad.err).toContain('checksum mismatch for blob');
    expect(existsSync(join(root, 'tmp/blob'))).toBe(false);
    expect(existsSync(join(root, 'tmp/blob.part'))).toBe(false);

    const unpinned = await inRoot({ 'app.env': env({ PC_DL_BLOB_URL: url }) }, ['blob']);
    expect(unpinned.code).toBe(3);
    expect(unpinned.err).toContain('is not pinned');
  });

  it('every built-in script sources lib.sh and its real app.env under set -euo pipefail', async () => {
    for (const t of catalog.templates.values()) {
      if (t.base.type !== 'lxc') continue;
      const given: Record<string, string | number | boolean> = {};
      for (const p of t.parameters)
        if (p.default === undefined && p.type === 'string' && p.required) given[p.key] = 'tester';
      const envText = appEnv(t, resolveParams(t, given), { ip: '10.0.0.5', name: `${t.id}-test` });
      const r = await inRoot({ 'lib.sh': lib, 'app.env': envText, 'setup.sh': t.setup.script! }, [
        'no-such-phase',
      ]);
      // reached the phase dispatch: sourcing and the environment worked; an unknown phase is refused
      expect([t.id, r.code, r.err.trim()]).toEqual([t.id, 2, 'unknown phase: no-such-phase']);
    }
  });

  it("pc_apt installs from Debian's archive once, then is a no-op (needs Debian's mirror)", async () => {
    const script = [
      '#!/bin/bash',
      'set -euo pipefail',
      'source /root/.proxicloud/app/lib.sh',
      'pc_apt hello',
      'hello',
    ].join('\n');
    const first = await inRoot({ 'lib.sh': lib, 'app.env': env({}), 'setup.sh': script }, []);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('apt install hello');
    expect(first.out).toContain('Hello, world!');
    const again = await inRoot({}, []);
    expect(again.code, again.err).toBe(0);
    expect(again.out).not.toContain('apt install');
  }, 600_000);
});

describe.skipIf(!has('promtool'))('the Prometheus VM app', () => {
  it('renders a configuration promtool accepts', () => {
    for (const id of BUILTIN_VM_IDS) {
      const t = catalog.templates.get(id)!;
      if (id !== 'prometheus') continue;
      const ud = fill(t.setup.userData!, { ...resolveParams(t, {}).plain, name: 'prom' });
      const doc = parse(ud) as { write_files: { path: string; content: string }[] };
      const cfg = doc.write_files.find((f) => f.path === '/etc/prometheus/prometheus.yml')!.content;
      const dir = mkdtempSync(join(tmpdir(), 'pc-prom-'));
      writeFileSync(join(dir, 'prometheus.yml'), cfg);
      const r = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const args = doc.write_files.find((f) => f.path === '/etc/default/prometheus')!.content;
      expect(args).toContain('--storage.tsdb.retention.time=15d');
    }
  });
});
