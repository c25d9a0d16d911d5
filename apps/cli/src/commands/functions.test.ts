/** functions commands against a demo-mode server: the function quotas of `quotas` are enforced. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;
let dir: string;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
  dir = mkdtempSync(join(tmpdir(), 'pc-cli-fn-'));
  writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => "hi";\n');
});
afterAll(async () => {
  await session?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('functions and their quotas', () => {
  it('quotas set --functions limits function creation with the limit named', async () => {
    const set = await admin.run([
      'quotas',
      'set',
      'admin',
      '--functions',
      '1',
      '--function-concurrency',
      '4',
      '--function-memory',
      '512',
    ]);
    expect(set.code, set.stderr).toBe(0);
    const one = await admin.run([
      'functions',
      'create',
      'one',
      '--runtime',
      'nodejs',
      '--handler',
      'index.handler',
      '--dir',
      dir,
    ]);
    expect(one.code, one.stderr).toBe(0);
    const two = await admin.run([
      'functions',
      'create',
      'two',
      '--runtime',
      'nodejs',
      '--handler',
      'index.handler',
      '--dir',
      dir,
    ]);
    expect(two.code).toBe(7);
    expect(two.stderr).toContain('function count limit is 1');
    const big = await admin.run([
      'functions',
      'create',
      'big',
      '--runtime',
      'nodejs',
      '--handler',
      'index.handler',
      '--dir',
      dir,
      '--memory',
      '1024',
    ]);
    expect(big.code).toBe(7);
    expect(big.stderr).toContain('512 MiB');
    const show = await admin.run(['quotas']);
    expect(show.stdout).toMatch(/Functions\s+1\s+1/);
    expect(show.stdout).toMatch(/Function invocations running\s+0\s+4/);
    expect(show.stdout).toMatch(/Function memory running \(MiB\)\s+0\s+512/);
    expect((await admin.run(['quotas', 'reset', 'admin'])).code).toBe(0);
  }, 120_000);
});
