/** `proxicloud s3 versioning|versions|restore|rm-version` against a real server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;
let work: string;

beforeAll(async () => {
  session = await startWithAdmin();
  admin = session.admin;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-s3v-'));
});
afterAll(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await session?.stop();
});

interface Version {
  versionId: string;
  isLatest: boolean;
  size: number;
}

describe('s3 versioning verbs', () => {
  it('enable, overwrite, list versions, restore the old one, delete a version', async () => {
    const ok = async (args: string[]) => {
      const r = await admin.run(args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await ok(['s3', 'mb', 'cli-versions']);
    expect(await ok(['s3', 'versioning', 'cli-versions'])).toContain('never enabled');
    expect(await ok(['s3', 'versioning', 'cli-versions', 'enable'])).toContain('enabled');
    const file = path.join(work, 'doc.txt');
    fs.writeFileSync(file, 'version one');
    await ok(['s3', 'cp', file, 's3://cli-versions/doc.txt']);
    fs.writeFileSync(file, 'two');
    await ok(['s3', 'cp', file, 's3://cli-versions/doc.txt']);
    const list = JSON.parse(await ok(['-o', 'json', 's3', 'versions', 's3://cli-versions/doc.txt'])) as {
      items: Version[];
    };
    expect(list.items.map((v) => [v.isLatest, v.size])).toEqual([
      [true, 3],
      [false, 11],
    ]);
    const old = list.items[1]!.versionId;
    expect(await ok(['s3', 'versions', 's3://cli-versions/doc.txt'])).toContain(old);
    expect(await ok(['s3', 'restore', 's3://cli-versions/doc.txt', '--version-id', old])).toContain(
      'Restored',
    );
    const out = path.join(work, 'back.txt');
    await ok(['s3', 'cp', 's3://cli-versions/doc.txt', out]);
    expect(fs.readFileSync(out, 'utf8')).toBe('version one');
    expect(
      await ok(['s3', 'rm-version', 's3://cli-versions/doc.txt', '--version-id', old, '--yes']),
    ).toContain('Deleted version');
    const bad = await admin.run(['s3', 'versioning', 'cli-versions', 'off']);
    expect(bad.code).not.toBe(0);
  });
});

describe('s3 lifecycle verbs', () => {
  it('add, show, remove, set from JSON, apply and clear', async () => {
    const ok = async (args: string[]) => {
      const r = await admin.run(args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await ok(['s3', 'mb', 'cli-lifecycle']);
    expect(await ok(['s3', 'lifecycle', 'cli-lifecycle'])).toContain('no lifecycle rules');
    expect(
      await ok([
        's3',
        'lifecycle',
        'cli-lifecycle',
        'add',
        '--id',
        'logs',
        '--prefix',
        'logs/',
        '--expire-days',
        '30',
      ]),
    ).toContain('Added rule logs');
    await ok(['s3', 'lifecycle', 'cli-lifecycle', 'add', '--noncurrent-days', '7', '--keep-noncurrent', '3']);
    const shown = await ok(['s3', 'lifecycle', 'cli-lifecycle']);
    expect(shown).toContain('prefix logs/');
    expect(shown).toContain('expire after 30 d');
    expect(shown).toContain('old versions after 7 d (keep 3)');
    const bad = await admin.run(['s3', 'lifecycle', 'cli-lifecycle', 'add', '--prefix', 'x/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('needs an action');
    const missing = await admin.run(['s3', 'lifecycle', 'cli-lifecycle', 'remove', 'nope']);
    expect(missing.code).toBe(2);
    await ok(['s3', 'lifecycle', 'cli-lifecycle', 'remove', 'logs']);
    const json = JSON.parse(await ok(['-o', 'json', 's3', 'lifecycle', 'cli-lifecycle'])) as {
      rules: { id: string }[];
    };
    expect(json.rules).toHaveLength(1);
    const file = path.join(work, 'rules.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        rules: [{ id: 'tmp', status: 'Enabled', filter: { prefix: 'tmp/' }, expiration: { days: 1 } }],
      }),
    );
    expect(await ok(['s3', 'lifecycle', 'cli-lifecycle', 'set', '-f', file])).toContain('1 lifecycle rule');
    expect(await ok(['s3', 'lifecycle', 'cli-lifecycle', 'apply', '--yes'])).toContain('0 object(s) expired');
    await ok(['s3', 'lifecycle', 'cli-lifecycle', 'clear']);
    expect(await ok(['s3', 'lifecycle', 'cli-lifecycle'])).toContain('no lifecycle rules');
  });
});
