/**
 * `proxicloud s3 …`: pure helpers, then the real CLI (one subprocess per call) against a real
 * server with the storage module (temp data dir), checking bytes with checksums.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../lib/output.ts';
import {
  ADMIN_PASSWORD,
  type CliRunner,
  cliRunner,
  startTestServer,
  type TestServer,
} from '../testing/harness.ts';
import { encodeKey, parseExpires, parseS3Uri, partSizeFor, safeRelative } from './s3.ts';

describe('helpers', () => {
  it('parses s3 URIs', () => {
    expect(parseS3Uri('s3://b/a/b c.txt')).toEqual({ bucket: 'b', key: 'a/b c.txt' });
    expect(parseS3Uri('s3://b')).toEqual({ bucket: 'b', key: '' });
    expect(parseS3Uri('./local')).toBeNull();
    expect(parseS3Uri('b/prefix/', { bare: true })).toEqual({ bucket: 'b', key: 'prefix/' });
    expect(() => parseS3Uri('s3:///key')).toThrow(/no bucket/);
  });
  it('encodes keys per segment', () => {
    expect(encodeKey('a b/ü?#/x')).toBe('a%20b/%C3%BC%3F%23/x');
  });
  it('parses expiry durations within 7 days', () => {
    expect(parseExpires('1h')).toBe(3600);
    expect(parseExpires('7d')).toBe(604800);
    expect(parseExpires('90')).toBe(90);
    expect(() => parseExpires('8d')).toThrow(/7 days/);
    expect(() => parseExpires('soon')).toThrow(/duration/);
  });
  it('sizes parts so no upload needs more than 10,000', () => {
    expect(partSizeFor(100 * 1024 * 1024, 16 * 1024 * 1024)).toBe(16 * 1024 * 1024);
    const huge = 400 * 1024 ** 3;
    expect(Math.ceil(huge / partSizeFor(huge, 16 * 1024 * 1024))).toBeLessThanOrEqual(10_000);
    expect(partSizeFor(1, 1)).toBe(5 * 1024 * 1024);
  });
  it('refuses unsafe local paths from keys', () => {
    expect(safeRelative('a/b.txt')).toBe(true);
    expect(safeRelative('../etc/passwd')).toBe(false);
    expect(safeRelative('a/../../x')).toBe(false);
    expect(safeRelative('/abs')).toBe(false);
  });
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20.0 MiB');
  });
});

let server: TestServer;
let admin: CliRunner;
let bob: CliRunner;
let work: string;
const runners: CliRunner[] = [];

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const json = <T>(s: string) => JSON.parse(s) as T;

async function login(r: CliRunner, username: string, password: string) {
  const res = await r.run(['login', '--username', username, '--password-stdin'], { input: `${password}\n` });
  expect(res.code, res.stderr).toBe(0);
}

beforeAll(async () => {
  server = await startTestServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-s3-'));
  admin = cliRunner({ PROXICLOUD_URL: server.url });
  bob = cliRunner({ PROXICLOUD_URL: server.url });
  runners.push(admin, bob);
  await login(admin, 'admin', ADMIN_PASSWORD);
  const created = await admin.run(['users', 'create', 'bob', '--role', 'operator', '--password-stdin'], {
    input: 'bob-password-123\n',
  });
  expect(created.code, created.stderr).toBe(0);
  await login(bob, 'bob', 'bob-password-123');
});

afterAll(async () => {
  for (const r of runners) r.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await server?.stop();
});

describe('proxicloud s3', () => {
  it('help lists the subcommands with examples', async () => {
    const res = await admin.run(['s3', '--help']);
    expect(res.code).toBe(0);
    for (const word of ['mb', 'rb', 'ls', 'cp', 'rm', 'presign', 'Examples:'])
      expect(res.stdout).toContain(word);
    const cp = await admin.run(['s3', 'cp', '--help']);
    expect(cp.stdout).toContain('--recursive');
    expect(cp.stdout).toContain('s3://backups/disk.img');
  });

  it('mb, ls, cp up and down with equal checksums, rm, rb', async () => {
    const mb = await admin.run(['s3', 'mb', 'cli-one']);
    expect(mb.code, mb.stderr).toBe(0);
    expect(mb.stdout).toContain('s3://cli-one');
    const bad = await admin.run(['s3', 'mb', 'Bad_Name']);
    expect(bad.code).toBe(7);
    expect(bad.stderr).toContain('"Bad_Name" is not a valid bucket name: it must be lowercase');
    expect(bad.stderr).not.toMatch(/pattern|\^\[a-z/); // plain words, not the schema's regex

    const src = path.join(work, 'hello.bin');
    fs.writeFileSync(src, randomBytes(300_000));
    const up = await admin.run(['s3', 'cp', src, 's3://cli-one/docs/hello.bin']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('upload:');

    const ls = await admin.run(['s3', 'ls', 'cli-one']);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain('docs/');
    expect(ls.stdout).toContain('PRE');
    const lsDeep = await admin.run(['-o', 'json', 's3', 'ls', 's3://cli-one/docs/']);
    const listing = json<{ items: { key: string; size: number }[] }>(lsDeep.stdout);
    expect(listing.items).toEqual([expect.objectContaining({ key: 'docs/hello.bin', size: 300_000 })]);

    const buckets = await admin.run(['-o', 'json', 's3', 'ls']);
    const b = json<{ items: { name: string; objectCount: number; sizeBytes: number }[] }>(buckets.stdout);
    expect(b.items.find((x) => x.name === 'cli-one')).toMatchObject({ objectCount: 1, sizeBytes: 300_000 });

    const downDir = path.join(work, 'down');
    fs.mkdirSync(downDir);
    const down = await admin.run(['s3', 'cp', 's3://cli-one/docs/hello.bin', `${downDir}/`]);
    expect(down.code, down.stderr).toBe(0);
    expect(sha(path.join(downDir, 'hello.bin'))).toBe(sha(src));
    expect(fs.readdirSync(downDir)).toEqual(['hello.bin']); // no leftover .part file

    const rb = await admin.run(['s3', 'rb', 'cli-one']);
    expect(rb.code).toBe(6);
    expect(rb.stderr).toContain('--force');

    const rm = await admin.run(['s3', 'rm', 's3://cli-one/docs/hello.bin']);
    expect(rm.code, rm.stderr).toBe(0);
    const missing = await admin.run(['s3', 'cp', 's3://cli-one/docs/hello.bin', downDir]);
    expect(missing.code).toBe(5);
    const rb2 = await admin.run(['s3', 'rb', 'cli-one']);
    expect(rb2.code, rb2.stderr).toBe(0);
  });

  it('multipart upload of a large file, bucket-to-bucket copy, download matches', async () => {
    await admin.run(['s3', 'mb', 'cli-big']);
    const src = path.join(work, 'big.bin');
    fs.writeFileSync(src, randomBytes(13 * 1024 * 1024 + 17));
    const up = await admin.run([
      '-o',
      'json',
      's3',
      'cp',
      src,
      's3://cli-big/big.bin',
      '--multipart-threshold',
      '5',
      '--part-size',
      '5',
    ]);
    expect(up.code, up.stderr).toBe(0);
    const result = json<{ items: { etag: string; multipart?: boolean }[] }>(up.stdout).items[0]!;
    expect(result.multipart).toBe(true);
    expect(result.etag).toMatch(/-3$/); // three parts: 5 + 5 + 3 MiB

    const copy = await admin.run(['s3', 'cp', 's3://cli-big/big.bin', 's3://cli-big/copy/big.bin']);
    expect(copy.code, copy.stderr).toBe(0);
    const out = path.join(work, 'big-copy.bin');
    const down = await admin.run(['s3', 'cp', 's3://cli-big/copy/big.bin', out]);
    expect(down.code, down.stderr).toBe(0);
    expect(sha(out)).toBe(sha(src));

    const rb = await admin.run(['s3', 'rb', 'cli-big', '--force', '--yes']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.stdout).toContain('2 objects');
  });

  it('recursive copy of a small tree up and down, recursive rm', async () => {
    await admin.run(['s3', 'mb', 'cli-tree']);
    const tree = path.join(work, 'tree');
    const files = ['a.txt', 'sub/b.json', 'sub/deeper/c d.txt'];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(tree, f)), { recursive: true });
      fs.writeFileSync(path.join(tree, f), `content of ${f}\n${randomBytes(64).toString('hex')}`);
    }
    const up = await admin.run(['s3', 'cp', tree, 's3://cli-tree/site/', '--recursive']);
    expect(up.code, up.stderr).toBe(0);
    const notRecursive = await admin.run(['s3', 'cp', tree, 's3://cli-tree/x/']);
    expect(notRecursive.code).toBe(2);

    const ls = await admin.run(['-q', 's3', 'ls', 'cli-tree/site/', '--recursive']);
    expect(ls.stdout.trim().split('\n')).toEqual(files.map((f) => `site/${f}`));

    const back = path.join(work, 'tree-back');
    const down = await admin.run(['s3', 'cp', 's3://cli-tree/site', back, '--recursive']);
    expect(down.code, down.stderr).toBe(0);
    for (const f of files) expect(sha(path.join(back, f))).toBe(sha(path.join(tree, f)));
    const piped = await admin.run(['s3', 'cp', 's3://cli-tree/site/sub/b.json', '-']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(fs.readFileSync(path.join(tree, 'sub/b.json'), 'utf8'));

    const rm = await admin.run(['s3', 'rm', 's3://cli-tree/site/sub/', '--recursive', '--yes']);
    expect(rm.code, rm.stderr).toBe(0);
    const left = await admin.run(['-q', 's3', 'ls', 'cli-tree', '--recursive']);
    expect(left.stdout.trim()).toBe('site/a.txt');
  });

  it('presign gives a URL that plain fetch can download, and a PUT URL that uploads', async () => {
    await admin.run(['s3', 'mb', 'cli-share']);
    const src = path.join(work, 'share.txt');
    fs.writeFileSync(src, 'shared with a link\n');
    await admin.run(['s3', 'cp', src, 's3://cli-share/share.txt']);
    const res = await admin.run(['s3', 'presign', 's3://cli-share/share.txt', '--expires', '15m']);
    expect(res.code, res.stderr).toBe(0);
    const url = res.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s3\/cli-share\/share\.txt\?/);
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('shared with a link\n');
    const tampered = await fetch(url.replace('share.txt', 'other.txt'));
    expect(tampered.status).toBe(403);

    const putUrl = await admin.run(['s3', 'presign', 's3://cli-share/in.txt', '--method', 'PUT']);
    const put = await fetch(putUrl.stdout.trim(), { method: 'PUT', body: 'uploaded by link' });
    expect(put.status).toBe(200);
    const ls = await admin.run(['-q', 's3', 'ls', 'cli-share']);
    expect(ls.stdout).toContain('in.txt');

    const tooLong = await admin.run(['s3', 'presign', 's3://cli-share/share.txt', '--expires', '30d']);
    expect(tooLong.code).toBe(2);
  });

  it("another user's bucket is not found (exit 5)", async () => {
    await admin.run(['s3', 'mb', 'cli-private']);
    await admin.run(['s3', 'cp', path.join(work, 'share.txt'), 's3://cli-private/secret.txt']);
    for (const args of [
      ['s3', 'ls', 'cli-private'],
      ['s3', 'cp', 's3://cli-private/secret.txt', path.join(work, 'stolen.txt')],
      ['s3', 'cp', path.join(work, 'share.txt'), 's3://cli-private/planted.txt'],
      ['s3', 'rm', 's3://cli-private/secret.txt'],
      ['s3', 'presign', 's3://cli-private/secret.txt'],
      ['s3', 'rb', 'cli-private'],
    ]) {
      const res = await bob.run(args);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(5);
    }
    expect(fs.existsSync(path.join(work, 'stolen.txt'))).toBe(false);
    const own = await bob.run(['-q', 's3', 'ls']);
    expect(own.stdout).not.toContain('cli-private');
    const taken = await bob.run(['s3', 'mb', 'cli-private']);
    expect(taken.code).toBe(6);
  });
});
