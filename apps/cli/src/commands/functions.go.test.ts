/**
 * `functions create --runtime go` against a demo-mode server with Debian's Go toolchain: a Go
 * directory deploys and invokes; code that does not build is refused with the compiler's output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

const ready = spawnSync('go', ['version']).status === 0 && spawnSync('bwrap', ['--version']).status === 0;
if (!ready) console.warn('[cli functions.go.test] skipped: needs go (golang-go) and bwrap (bubblewrap)');

describe.skipIf(!ready)('functions create --runtime go', () => {
  let session: AdminSession;
  let admin: CliRunner;
  let dir: string;
  beforeAll(async () => {
    session = await startWithAdmin();
    ({ admin } = session);
    dir = mkdtempSync(join(tmpdir(), 'pc-cli-fngo-'));
  });
  afterAll(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys a Go directory and invokes it; a build error prints the compiler output', async () => {
    writeFileSync(
      join(dir, 'main.go'),
      'package main\n\ntype Event struct {\n\tName string `json:"name"`\n}\n\nfunc Handler(e Event) (string, error) {\n\treturn "hello " + e.Name, nil\n}\n',
    );
    const create = await admin.run([
      'functions',
      'create',
      'hello-go',
      '--runtime',
      'go',
      '--handler',
      'main.Handler',
      '--dir',
      dir,
    ]);
    expect(create.code, create.stderr).toBe(0);
    const inv = await admin.run([
      'functions',
      'invoke',
      'hello-go',
      '--payload',
      '{"name":"Ada"}',
      '-o',
      'json',
    ]);
    expect(inv.code, inv.stderr).toBe(0);
    expect(JSON.parse(inv.stdout)).toMatchObject({ status: 'success', result: 'hello Ada' });
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc Handler() string {\n\treturn missing\n}\n');
    const deploy = await admin.run(['functions', 'deploy', 'hello-go', dir]);
    expect(deploy.code).not.toBe(0);
    expect(deploy.stderr).toContain('The Go code does not build');
    expect(deploy.stderr).toContain('./main.go:4:9: undefined: missing');
  });
});
