/** `proxicloud s3 mb --object-lock`, `s3 object-lock|retention|legal-hold` against a real server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';
import { parseUntil } from './s3-objectlock.ts';

let session: AdminSession;
let admin: CliRunner;
let work: string;

beforeAll(async () => {
  session = await startWithAdmin();
  admin = session.admin;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-s3lock-'));
});
afterAll(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await session?.stop();
});

describe('parseUntil', () => {
  it('takes durations and future dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseUntil('30d', now)).toBe('2026-01-31T00:00:00.000Z');
    expect(parseUntil('1y', now)).toBe('2027-01-01T00:00:00.000Z');
    expect(parseUntil('2026-06-30', now)).toBe('2026-06-30T00:00:00.000Z');
    expect(() => parseUntil('2025-01-01', now)).toThrow(/past/);
    expect(() => parseUntil('soon', now)).toThrow(/not a date/);
  });
});

describe('s3 object lock verbs', () => {
  it('creates a locked bucket, sets default retention, holds and releases an object', async () => {
    const ok = async (args: string[]) => {
      const r = await admin.run(args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await ok(['s3', 'mb', 'cli-lock', '--object-lock']);
    expect(await ok(['s3', 'object-lock', 'cli-lock'])).toContain('object lock on, no default retention');
    expect(await ok(['s3', 'object-lock', 'cli-lock', '--mode', 'governance', '--days', '2'])).toContain(
      'kept 2 day(s) in GOVERNANCE mode',
    );
    const file = path.join(work, 'db.dump');
    fs.writeFileSync(file, 'dump');
    await ok(['s3', 'cp', file, 's3://cli-lock/db/db.dump']);
    const shown = await ok(['s3', 'retention', 's3://cli-lock/db/db.dump']);
    expect(shown).toContain('retention:  GOVERNANCE until');
    expect(shown).toContain('deletable:  no (locked)');

    expect(await ok(['s3', 'legal-hold', 's3://cli-lock/db/db.dump', 'on'])).toContain('is now ON');
    const state = JSON.parse(await ok(['-o', 'json', 's3', 'retention', 's3://cli-lock/db/db.dump'])) as {
      versionId: string;
      legalHold: boolean;
    };
    expect(state.legalHold).toBe(true);
    const refused = await admin.run([
      's3',
      'rm-version',
      's3://cli-lock/db/db.dump',
      '--version-id',
      state.versionId,
      '--yes',
      '--bypass-governance',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('object lock');

    await ok(['s3', 'legal-hold', 's3://cli-lock/db/db.dump', 'off']);
    // the admin removes the GOVERNANCE retention, then the version can go
    expect(
      await ok(['s3', 'retention', 's3://cli-lock/db/db.dump', '--remove', '--bypass-governance']),
    ).toContain('retention:  none');
    await ok(['s3', 'rm-version', 's3://cli-lock/db/db.dump', '--version-id', state.versionId, '--yes']);

    const usage = await admin.run(['s3', 'object-lock', 'cli-lock', '--mode', 'forever', '--days', '1']);
    expect(usage.code).toBe(2);
    const plain = await admin.run(['s3', 'mb', 'cli-lock-plain']);
    expect(plain.code).toBe(0);
    expect(await ok(['s3', 'object-lock', 'cli-lock-plain'])).toContain('object lock is off');
  });
});
