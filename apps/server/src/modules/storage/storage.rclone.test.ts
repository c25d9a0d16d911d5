/**
 * Debian's real `rclone` (a Go S3 client: its XML is written by encoding/xml, ETag quotes as
 * `&#34;`) against the S3 endpoint over real HTTP: a multipart upload (small upload cutoff and
 * chunk size keep it fast), a single-part upload, `rclone check` (sizes and MD5s, and with
 * --download the bytes), a download, and a check that notices a changed file. Skipped, with the
 * reason printed, when the rclone binary is missing (apt-get install -y rclone).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3User, type StorageTest, startStorageTest } from './storage.test-helpers.ts';

const rclone = ['/usr/bin/rclone', '/usr/local/bin/rclone'].find((p) => existsSync(p));
const skipReason = rclone ? undefined : 'the rclone binary is not installed (apt-get install -y rclone)';
if (skipReason) console.log(`[storage] SKIP rclone end-to-end test: ${skipReason}`);

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!!skipReason)('rclone (Go S3 client) end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-rclone-'));
  const local = join(dir, 'local');
  let t: StorageTest;
  let alice: S3User;
  let env: NodeJS.ProcessEnv;

  /** Run rclone asynchronously (the server answers from this same process). */
  const run = (...args: string[]): Promise<RunResult> =>
    new Promise((resolve) => {
      execFile(rclone!, args, { env, timeout: 120_000, maxBuffer: 16 * MiB }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });

  beforeAll(async () => {
    t = await startStorageTest();
    alice = await t.newS3User('operator');
    const config = join(dir, 'rclone.conf');
    writeFileSync(config, '');
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      RCLONE_CONFIG: config,
      RCLONE_CONFIG_PC_TYPE: 's3',
      RCLONE_CONFIG_PC_PROVIDER: 'Other',
      RCLONE_CONFIG_PC_ACCESS_KEY_ID: alice.key.accessKeyId,
      RCLONE_CONFIG_PC_SECRET_ACCESS_KEY: alice.key.secretAccessKey,
      RCLONE_CONFIG_PC_ENDPOINT: t.s3Url,
      RCLONE_CONFIG_PC_REGION: 'us-east-1',
      RCLONE_CONFIG_PC_FORCE_PATH_STYLE: 'true',
    };
    mkdirSync(join(local, 'sub'), { recursive: true });
    writeFileSync(join(local, 'big.bin'), randomBytes(12 * MiB + 12345)); // 3 parts of 5 MiB, the last short
    writeFileSync(join(local, 'sub', "small 'one'.txt"), 'below the multipart cutoff\n');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('multipart upload above --s3-upload-cutoff completes; rclone check agrees; download is intact', async () => {
    const upload = await run(
      'copy',
      local,
      'pc:rclone-e2e/data',
      '--s3-upload-cutoff',
      '5M',
      '--s3-chunk-size',
      '5M',
      '--s3-upload-concurrency',
      '2',
      '--retries',
      '1',
      '--low-level-retries',
      '1',
    );
    expect(upload.code, upload.stderr).toBe(0);

    // it really was multipart: S3's multipart ETag has the part count after a dash
    const head = await alice.s3.send(new HeadObjectCommand({ Bucket: 'rclone-e2e', Key: 'data/big.bin' }));
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(head.ContentLength).toBe(12 * MiB + 12345);

    const check = await run('check', local, 'pc:rclone-e2e/data', '--one-way');
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/0 differences found/);
    expect(check.stderr).toMatch(/2 matching files/);
    const byContent = await run('check', local, 'pc:rclone-e2e/data', '--download');
    expect(byContent.code, byContent.stderr).toBe(0);

    const back = join(dir, 'back.bin');
    const download = await run('copyto', 'pc:rclone-e2e/data/big.bin', back);
    expect(download.code, download.stderr).toBe(0);
    expect(md5(readFileSync(back))).toBe(md5(readFileSync(join(local, 'big.bin'))));
  }, 180_000);

  it('rclone check notices a file that differs', async () => {
    writeFileSync(join(local, 'sub', "small 'one'.txt"), 'changed after the upload\n');
    const check = await run('check', local, 'pc:rclone-e2e/data', '--one-way');
    expect(check.code).not.toBe(0);
    expect(check.stderr).toMatch(/1 differences found/);
  }, 60_000);
});
