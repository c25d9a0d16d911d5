/** `proxicloud s3 encryption` and `s3 cp --sse AES256` against a real server. */
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
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-s3sse-'));
});
afterAll(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await session?.stop();
});

/** Whether the object's blob has a key row (i.e. is encrypted at rest). */
async function encrypted(bucket: string, key: string): Promise<boolean> {
  const k = session.server.server.db.kysely;
  const b = await k.selectFrom('buckets').select('id').where('name', '=', bucket).executeTakeFirstOrThrow();
  const o = await k
    .selectFrom('objects')
    .select('blob')
    .where('bucket_id', '=', b.id)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  const row = await k
    .selectFrom('blob_keys')
    .select('mode')
    .where('bucket_id', '=', b.id)
    .where('blob', '=', o.blob)
    .executeTakeFirst();
  return row?.mode === 'AES256';
}

describe('s3 encryption', () => {
  it('shows, sets and deletes the default; cp --sse encrypts one upload', async () => {
    const ok = async (args: string[]) => {
      const r = await admin.run(args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await ok(['s3', 'mb', 'cli-sse']);
    expect(await ok(['s3', 'encryption', 'cli-sse'])).toContain('no default encryption');
    const file = path.join(work, 'a.txt');
    fs.writeFileSync(file, 'hello');
    await ok(['s3', 'cp', file, 's3://cli-sse/plain.txt']);
    expect(await encrypted('cli-sse', 'plain.txt')).toBe(false);
    await ok(['s3', 'cp', file, 's3://cli-sse/sse.txt', '--sse', 'AES256']);
    expect(await encrypted('cli-sse', 'sse.txt')).toBe(true);
    await ok(['s3', 'cp', 's3://cli-sse/plain.txt', 's3://cli-sse/copy.txt', '--sse', 'AES256']);
    expect(await encrypted('cli-sse', 'copy.txt')).toBe(true);

    expect(await ok(['s3', 'encryption', 'cli-sse', 'set'])).toContain('now encrypted with AES256');
    expect(JSON.parse(await ok(['-o', 'json', 's3', 'encryption', 'cli-sse']))).toMatchObject({
      algorithm: 'AES256',
    });
    await ok(['s3', 'cp', file, 's3://cli-sse/default.txt']);
    expect(await encrypted('cli-sse', 'default.txt')).toBe(true);
    const back = path.join(work, 'back.txt');
    await ok(['s3', 'cp', 's3://cli-sse/default.txt', back]);
    expect(fs.readFileSync(back, 'utf8')).toBe('hello');

    expect(await ok(['s3', 'encryption', 'cli-sse', 'delete'])).toContain('no longer encrypted');
    expect(await ok(['s3', 'encryption', 'cli-sse'])).toContain('no default encryption');
    const bad = await admin.run(['s3', 'cp', file, 's3://cli-sse/x', '--sse', 'aws:kms']);
    expect(bad.code).not.toBe(0);
  });
});
