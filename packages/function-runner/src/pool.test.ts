/**
 * The runner's pool with real bubblewrap sandboxes: the Node bootstrap loads every kind of handler
 * module (ESM .mjs, ESM syntax in .js, CommonJS .js/.cjs, top-level await via the import()
 * fallback, callback style), on a cold start from scratch (init written before `booted`) and on a
 * pre-booted spare, and a spare is refilled after it is used.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from './pool.mjs';
import { type Files, put, until } from './testing.ts';

let n = 0;
const request = (sha: string, extra: Record<string, unknown> = {}) => ({
  invocationId: `inv-${++n}`,
  key: `fn-${sha.slice(0, 12)}:1`,
  codeSha: sha,
  runtime: 'nodejs',
  handler: 'index.handler',
  memoryMb: 128,
  timeoutMs: 30_000,
  network: false,
  env: { GREETING: 'hi' },
  payload: { name: 'pool' },
  context: {},
  idleMs: 60_000,
  ...extra,
});

const MODULES: Record<string, Files> = {
  'ESM .mjs': {
    'index.mjs': 'export const handler = async (e) => [process.env.GREETING, e.name, "mjs"].join(" ");',
  },
  'ESM syntax in .js': {
    'index.js':
      'export async function handler(e) { return [process.env.GREETING, e.name, "esm-js"].join(" "); }',
  },
  'CommonJS .js with a relative require': {
    'index.js':
      'const { suffix } = require("./lib/suffix.js"); exports.handler = async (e) => [process.env.GREETING, e.name, suffix].join(" ");',
    'lib/suffix.js': 'module.exports = { suffix: "cjs" };',
  },
  'CommonJS .cjs, callback style': {
    'index.cjs':
      'module.exports.handler = (e, ctx, cb) => setTimeout(() => cb(null, [process.env.GREETING, e.name, "cb"].join(" ")), 5);',
  },
  'top-level await (import() fallback)': {
    'index.mjs':
      'const suffix = await new Promise((r) => setTimeout(() => r("tla"), 5)); export const handler = async (e) => [process.env.GREETING, e.name, suffix].join(" ");',
  },
  'default export object': {
    'index.mjs':
      'export default { handler: async (e) => [process.env.GREETING, e.name, "default"].join(" ") };',
  },
};
const EXPECTED: Record<string, string> = {
  'ESM .mjs': 'hi pool mjs',
  'ESM syntax in .js': 'hi pool esm-js',
  'CommonJS .js with a relative require': 'hi pool cjs',
  'CommonJS .cjs, callback style': 'hi pool cb',
  'top-level await (import() fallback)': 'hi pool tla',
  'default export object': 'hi pool default',
};

describe('function runner pool (real sandboxes)', () => {
  let dir: string;
  let pool: Pool;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fn-pool-test-'));
    chmodSync(dir, 0o755);
    pool = new Pool({ dir, maxWorkers: 16, pids: 64, tmpMb: 16, uidBase: 230000, spares: 1 });
    if (!pool.bwrap) throw new Error('bubblewrap is required for these tests (Debian package bubblewrap)');
  });
  afterAll(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [kind, files] of Object.entries(MODULES)) {
    it(`loads a handler module: ${kind} — from scratch and on a pre-booted spare`, async () => {
      const sha = put(pool, files);
      // from scratch: no spare of this runtime/memory/network
      pool.evict('', true);
      const scratch = await pool.invoke(request(sha));
      expect(scratch.error).toBeUndefined();
      expect(scratch).toMatchObject({ status: 'success', cold: true, result: EXPECTED[kind] });
      // a spare is booted after that cold start; the next cold start (warm one evicted) lands on it
      await until(() => pool.status().spares >= 1 && [...pool.spares.values()].flat().every((w) => w.booted));
      pool.evict(`fn-${sha.slice(0, 12)}:`);
      const onSpare = await pool.invoke(request(sha));
      expect(onSpare).toMatchObject({ status: 'success', cold: true, result: EXPECTED[kind] });
      // and the warm sandbox serves the next one
      const warm = await pool.invoke(request(sha));
      expect(warm).toMatchObject({ status: 'success', cold: false, result: EXPECTED[kind] });
    });
  }

  it('reports a handler that throws while loading as an init error, from scratch', async () => {
    const sha = put(pool, { 'index.js': 'throw new Error("boom at load");' });
    pool.evict('', true);
    const r = await pool.invoke(request(sha));
    expect(r.status).toBe('error');
    expect(r.error?.message).toContain('boom at load');
  });

  it('reports a missing handler module', async () => {
    const sha = put(pool, { 'other.js': 'exports.handler = () => 1;' });
    pool.evict('', true);
    const r = await pool.invoke(request(sha));
    expect(r.status).toBe('error');
    expect(r.error?.message).toMatch(/Handler module 'index' not found/);
  });
});
