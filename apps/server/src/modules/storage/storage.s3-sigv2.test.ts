/**
 * AWS Signature Version 2 over real HTTP: requests signed here with a small signer written from
 * AWS's documented algorithm (RESTAuthentication), the documented example StringToSign values as
 * a unit test of the canonicalization, presigned GET URLs, expiry, tampering, clock skew,
 * virtual-host style, and s3cmd in V2 mode when it is installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalAmzHeaders, stringToSignV2, subResourceString } from './storage.s3.sigv2.ts';
import {
  bodyBytes,
  type RawResponse,
  rawRequest,
  type S3Credentials,
  type S3User,
  type StorageTest,
  startStorageTest,
} from './storage.test-helpers.ts';

const DOMAIN = 's3.sigv2.test';
let t: StorageTest;
let alice: S3User;
const B = 'sigv2-tests';

beforeAll(async () => {
  t = await startStorageTest({ configure: (c) => ({ ...c, s3Domain: DOMAIN }) });
  alice = await t.newS3User('operator');
  await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
  await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'docs/readme.txt', Body: 'hello v2' }));
});
afterAll(async () => {
  await t?.close();
});

// ------------------------------------------------------------------ the test's own V2 signer

const SUBS = new Set([
  'acl',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  'cors',
  'response-content-type',
  'response-content-disposition',
]);

const sign = (secret: string, sts: string) => createHmac('sha1', secret).update(sts, 'utf8').digest('base64');

/** StringToSign straight from the AWS documentation. */
function testStringToSign(
  method: string,
  headers: Record<string, string>,
  resourcePath: string,
  query: [string, string | null][],
  dateLine?: string,
): string {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const amz = Object.keys(lower)
    .filter((k) => k.startsWith('x-amz-'))
    .sort()
    .map((k) => `${k}:${lower[k]!.trim()}\n`)
    .join('');
  const subs = query
    .filter(([k]) => SUBS.has(k))
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => (v === null ? k : `${k}=${v}`))
    .join('&');
  const date = dateLine ?? (lower['x-amz-date'] ? '' : (lower.date ?? ''));
  return `${method}\n${lower['content-md5'] ?? ''}\n${lower['content-type'] ?? ''}\n${date}\n${amz}${resourcePath}${subs ? `?${subs}` : ''}`;
}

function queryString(query: [string, string | null][]): string {
  if (query.length === 0) return '';
  return `?${query.map(([k, v]) => (v === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&')}`;
}

async function v2Request(
  key: S3Credentials,
  opts: {
    method: string;
    /** Encoded path (path style: /bucket/key). */
    path: string;
    query?: [string, string | null][];
    headers?: Record<string, string>;
    body?: string | Buffer;
    host?: string;
    /** The resource the signature covers (defaults to path). */
    resource?: string;
    date?: Date;
    tamper?: boolean;
  },
): Promise<RawResponse> {
  const query = opts.query ?? [];
  const headers: Record<string, string> = {
    date: (opts.date ?? new Date()).toUTCString(),
    ...(opts.headers ?? {}),
  };
  if (opts.host) headers.host = opts.host;
  const sts = testStringToSign(opts.method, headers, opts.resource ?? opts.path, query);
  let sig = sign(key.secretAccessKey, sts);
  if (opts.tamper) sig = sign(key.secretAccessKey, `${sts}x`);
  headers.authorization = `AWS ${key.accessKeyId}:${sig}`;
  return rawRequest(t.s3Url, {
    method: opts.method,
    path: `${opts.path}${queryString(query)}`,
    headers,
    body: opts.body ?? '',
  });
}

function presignV2(
  key: S3Credentials,
  path: string,
  expiresAt: number,
  extra: [string, string][] = [],
): string {
  const sts = testStringToSign('GET', {}, path, extra, String(expiresAt));
  const sig = sign(key.secretAccessKey, sts);
  const q: [string, string][] = [
    ...extra,
    ['AWSAccessKeyId', key.accessKeyId],
    ['Expires', String(expiresAt)],
    ['Signature', sig],
  ];
  return `${t.s3Url}${path}${queryString(q)}`;
}

// ------------------------------------------------------------------ AWS's documented examples

describe('canonicalization (AWS documented examples)', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('object GET, list, ACL fetch, presigned GET', () => {
    const get = stringToSignV2({
      method: 'GET',
      contentMd5: '',
      contentType: '',
      date: 'Tue, 27 Mar 2007 19:36:42 +0000',
      amzHeaders: '',
      resource: '/johnsmith/photos/puppy.jpg',
    });
    expect(get).toBe('GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg');
    expect(sign(secret, get)).toBe('bWq2s1WEIj+Ydj0vQ697zp+IXMU=');

    // GET /?prefix=photos&max-keys=50&marker=puppy: none of those is a sub-resource
    const list = `GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/${subResourceString('prefix=photos&max-keys=50&marker=puppy')}`;
    expect(list).toBe('GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/');
    expect(sign(secret, list)).toBe('htDYFYduRNen8P9ZfE/s9SuKy0U=');

    const acl = `GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/${subResourceString('acl')}`;
    expect(acl).toBe('GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl');
    expect(sign(secret, acl)).toBe('c2WLPFtWHVgbEmeEG93a4cG37dM=');

    const presigned = 'GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg';
    expect(sign(secret, presigned)).toBe('NpgCjnDzrM+WFzoENXmpNDUsSn8=');
  });

  it('upload with x-amz-* headers (multiple values folded with ",")', () => {
    const amz = canonicalAmzHeaders({
      'x-amz-acl': 'public-read',
      'x-amz-meta-reviewedby': ['joe@johnsmith.net', 'jane@johnsmith.net'],
      'x-amz-meta-filechecksum': '0x02661779',
      'x-amz-meta-checksumalgorithm': 'crc32',
      'content-type': 'application/x-download',
    });
    const sts = stringToSignV2({
      method: 'PUT',
      contentMd5: '4gJE4saaMU4BqNR0kLY+lw==',
      contentType: 'application/x-download',
      date: 'Tue, 27 Mar 2007 21:06:08 +0000',
      amzHeaders: amz,
      resource: '/static.johnsmith.net/db-backup.dat.gz',
    });
    expect(sts).toBe(
      'PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n' +
        'x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n' +
        'x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n/static.johnsmith.net/db-backup.dat.gz',
    );
    expect(sign(secret, sts)).toBe('ilyl83RwaSoYIEdixDQcA4OnAnc=');
  });

  it('sub-resources are sorted, values decoded, other parameters left out', () => {
    expect(subResourceString('uploadId=abc%2Fd&partNumber=2&foo=bar')).toBe('?partNumber=2&uploadId=abc/d');
    expect(subResourceString('versioning')).toBe('?versioning');
    expect(subResourceString('response-content-type=text%2Fplain&list-type=2')).toBe(
      '?response-content-type=text/plain',
    );
    expect(subResourceString('delete=&x=1')).toBe('?delete=');
  });
});

// ------------------------------------------------------------------ over HTTP

const errorCode = (r: RawResponse) => /<Code>([^<]+)<\/Code>/.exec(r.text)?.[1];

describe('header-signed requests (path style)', () => {
  it('PUT, GET, list, DELETE an object', async () => {
    const body = 'written with signature v2';
    const md5 = createHash('md5').update(body).digest('base64');
    const put = await v2Request(alice.key, {
      method: 'PUT',
      path: `/${B}/v2/my%20file.txt`,
      headers: { 'content-type': 'text/plain', 'content-md5': md5, 'x-amz-meta-origin': 'legacy' },
      body,
    });
    expect(put.status, put.text).toBe(200);
    // no payload hash in V2, but a signed Content-MD5 is still checked against the body
    const badMd5 = await v2Request(alice.key, {
      method: 'PUT',
      path: `/${B}/v2/bad-md5.txt`,
      headers: { 'content-md5': createHash('md5').update('other').digest('base64') },
      body,
    });
    expect(badMd5.status).toBe(400);
    expect(errorCode(badMd5)).toBe('BadDigest');

    const got = await alice.s3.send(new GetObjectCommand({ Bucket: B, Key: 'v2/my file.txt' }));
    expect((await bodyBytes(got.Body)).toString()).toBe(body);
    expect(got.Metadata?.origin).toBe('legacy');

    const get = await v2Request(alice.key, { method: 'GET', path: `/${B}/v2/my%20file.txt` });
    expect(get.status).toBe(200);
    expect(get.text).toBe(body);

    const list = await v2Request(alice.key, { method: 'GET', path: `/${B}`, query: [['prefix', 'v2/']] });
    expect(list.status).toBe(200);
    expect(list.text).toContain('<Key>v2/my file.txt</Key>');

    const acl = await v2Request(alice.key, {
      method: 'GET',
      path: `/${B}/v2/my%20file.txt`,
      query: [['acl', null]],
    });
    expect(acl.status, acl.text).toBe(200);
    expect(acl.text).toContain('AccessControlPolicy');

    const del = await v2Request(alice.key, { method: 'DELETE', path: `/${B}/v2/my%20file.txt` });
    expect(del.status).toBe(204);
    const gone = await v2Request(alice.key, { method: 'GET', path: `/${B}/v2/my%20file.txt` });
    expect(gone.status).toBe(404);
    expect(errorCode(gone)).toBe('NoSuchKey');
  });

  it('x-amz-date replaces Date (empty Date line)', async () => {
    const res = await v2Request(alice.key, {
      method: 'GET',
      path: `/${B}/docs/readme.txt`,
      headers: { 'x-amz-date': new Date().toUTCString() },
      date: new Date(Date.now() - 3600_000),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('hello v2');
  });

  it('a tampered signature is SignatureDoesNotMatch with the StringToSign we expected', async () => {
    const res = await v2Request(alice.key, { method: 'GET', path: `/${B}/docs/readme.txt`, tamper: true });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('SignatureDoesNotMatch');
    expect(res.text).toContain(`<AWSAccessKeyId>${alice.key.accessKeyId}</AWSAccessKeyId>`);
    expect(res.text).toMatch(/<StringToSign>GET\n\n\n[^<]+\n\/sigv2-tests\/docs\/readme.txt<\/StringToSign>/);
    expect(res.text).toContain('<SignatureProvided>');

    // signed for one key, sent for another
    const other = await v2Request(alice.key, {
      method: 'GET',
      path: `/${B}/docs/other.txt`,
      resource: `/${B}/docs/readme.txt`,
    });
    expect(errorCode(other)).toBe('SignatureDoesNotMatch');
    // a wrong secret
    const wrong = await v2Request(
      { accessKeyId: alice.key.accessKeyId, secretAccessKey: 'not-the-secret' },
      { method: 'GET', path: `/${B}/docs/readme.txt` },
    );
    expect(errorCode(wrong)).toBe('SignatureDoesNotMatch');
  });

  it('unknown keys, skewed clocks and malformed headers get the AWS answers', async () => {
    const unknown = await v2Request(
      { accessKeyId: 'AKIANOTAREALKEY00000', secretAccessKey: 'x' },
      { method: 'GET', path: `/${B}/docs/readme.txt` },
    );
    expect(unknown.status).toBe(403);
    expect(errorCode(unknown)).toBe('InvalidAccessKeyId');

    const skewed = await v2Request(alice.key, {
      method: 'GET',
      path: `/${B}/docs/readme.txt`,
      date: new Date(Date.now() - 20 * 60_000),
    });
    expect(skewed.status).toBe(403);
    expect(errorCode(skewed)).toBe('RequestTimeTooSkewed');
    const within = await v2Request(alice.key, {
      method: 'GET',
      path: `/${B}/docs/readme.txt`,
      date: new Date(Date.now() - 10 * 60_000),
    });
    expect(within.status).toBe(200);

    const malformed = await rawRequest(t.s3Url, {
      method: 'GET',
      path: `/${B}/docs/readme.txt`,
      headers: { date: new Date().toUTCString(), authorization: 'AWS nocolon' },
    });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed)).toBe('InvalidArgument');
  });

  it('authorization is the same as SigV4: another user cannot read the bucket', async () => {
    const bob = await t.newS3User('operator');
    const res = await v2Request(bob.key, { method: 'GET', path: `/${B}/docs/readme.txt` });
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toContain('hello v2');
  });
});

describe('virtual-host style', () => {
  it('signs /bucket + path', async () => {
    const host = `${B}.${DOMAIN}`;
    const get = await v2Request(alice.key, {
      method: 'GET',
      path: '/docs/readme.txt',
      host,
      resource: `/${B}/docs/readme.txt`,
    });
    expect(get.status, get.text).toBe(200);
    expect(get.text).toBe('hello v2');
    const list = await v2Request(alice.key, { method: 'GET', path: '/', host, resource: `/${B}/` });
    expect(list.status, list.text).toBe(200);
    expect(list.text).toContain('<Key>docs/readme.txt</Key>');
    const unsignedBucket = await v2Request(alice.key, {
      method: 'GET',
      path: '/docs/readme.txt',
      host,
      resource: '/docs/readme.txt',
    });
    expect(errorCode(unsignedBucket)).toBe('SignatureDoesNotMatch');
  });
});

describe('presigned query (AWSAccessKeyId, Expires, Signature)', () => {
  it('a presigned GET URL works with plain fetch; response-* overrides are signed', async () => {
    const url = presignV2(alice.key, `/${B}/docs/readme.txt`, Math.floor(Date.now() / 1000) + 300);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello v2');

    const dl = presignV2(alice.key, `/${B}/docs/readme.txt`, Math.floor(Date.now() / 1000) + 300, [
      ['response-content-disposition', 'attachment; filename="r.txt"'],
    ]);
    const dlRes = await fetch(dl);
    expect(dlRes.status).toBe(200);
    expect(dlRes.headers.get('content-disposition')).toBe('attachment; filename="r.txt"');
  });

  it('an expired URL is AccessDenied "Request has expired"', async () => {
    const url = presignV2(alice.key, `/${B}/docs/readme.txt`, Math.floor(Date.now() / 1000) - 60);
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<Message>Request has expired</Message>');
  });

  it('a tampered URL (other key, later expiry, changed override) is SignatureDoesNotMatch', async () => {
    const exp = Math.floor(Date.now() / 1000) + 300;
    const url = presignV2(alice.key, `/${B}/docs/readme.txt`, exp);
    for (const bad of [
      url.replace('/docs/readme.txt', '/docs/other.txt'),
      url.replace(`Expires=${exp}`, `Expires=${exp + 3600}`),
      `${url}&response-content-type=text%2Fhtml`,
    ]) {
      const res = await fetch(bad);
      expect(res.status, bad).toBe(403);
      const text = await res.text();
      expect(text).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(text).toContain('<StringToSign>GET');
    }
  });
});

// ------------------------------------------------------------------ s3cmd in V2 mode

const s3cmd = ['/usr/bin/s3cmd', '/usr/local/bin/s3cmd'].find((p) => existsSync(p));

describe.skipIf(!s3cmd)('s3cmd with signature_v2 = True', () => {
  it('mb, put, ls, get, del', async () => {
    const run = promisify(execFile);
    const dir = mkdtempSync(join(tmpdir(), 's3cmd-v2-'));
    try {
      const hostPort = new URL(t.s3Url).host;
      const cfg = join(dir, 's3cfg');
      writeFileSync(
        cfg,
        [
          '[default]',
          `access_key = ${alice.key.accessKeyId}`,
          `secret_key = ${alice.key.secretAccessKey}`,
          `host_base = ${hostPort}`,
          `host_bucket = ${hostPort}`,
          'use_https = False',
          'signature_v2 = True',
          'check_ssl_certificate = False',
          'guess_mime_type = False',
          '',
        ].join('\n'),
      );
      const s = (...args: string[]) =>
        run(s3cmd!, ['-c', cfg, '--no-progress', ...args], { timeout: 60_000 });
      const src = join(dir, 'in.txt');
      writeFileSync(src, 'from s3cmd, signed v2');
      await s('mb', 's3://s3cmd-v2');
      await s('put', src, 's3://s3cmd-v2/dir/file with space.txt');
      const ls = await s('--debug', 'ls', '-r', 's3://s3cmd-v2');
      // really V2: s3cmd's debug log shows the "AWS key:signature" header it sent
      expect(ls.stderr).toMatch(/'Authorization': 'AWS [^:']+:/);
      expect(ls.stdout).toContain('s3://s3cmd-v2/dir/file with space.txt');
      const out = join(dir, 'out.txt');
      await s('get', 's3://s3cmd-v2/dir/file with space.txt', out);
      expect(readFileSync(out, 'utf8')).toBe('from s3cmd, signed v2');
      await s('del', 's3://s3cmd-v2/dir/file with space.txt');
      const after = await s('ls', '-r', 's3://s3cmd-v2');
      expect(after.stdout).not.toContain('file with space');
      await s('rb', 's3://s3cmd-v2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ------------------------------------------------------------------ aws-cli v1 `s3 presign` (SigV2 URLs)

const awsCliV1 = (() => {
  try {
    const v = execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /^aws-cli\/1\./.test(v.trim());
  } catch {
    return false;
  }
})();

describe.skipIf(!awsCliV1)('aws-cli v1 s3 presign', () => {
  it('its URLs work on the S3 port and under /s3 on the main port; expiry is enforced', async () => {
    const run = promisify(execFile);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: alice.key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: alice.key.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const presign = async (endpoint: string, key: string, expires = 300) =>
      (
        await run(
          'aws',
          ['s3', 'presign', `s3://${B}/${key}`, '--endpoint-url', endpoint, '--expires-in', String(expires)],
          {
            env,
            timeout: 60_000,
          },
        )
      ).stdout.trim();
    await alice.s3.send(
      new PutObjectCommand({ Bucket: B, Key: 'cli/a file+plus.txt', Body: 'for aws-cli v1' }),
    );
    for (const endpoint of [t.s3Url, `${t.url}/s3`]) {
      const url = await presign(endpoint, 'cli/a file+plus.txt');
      expect(url).toContain('AWSAccessKeyId=');
      expect(url).not.toContain('X-Amz-Algorithm');
      const res = await fetch(url);
      expect(res.status, `${url}: ${res.status}`).toBe(200);
      expect(await res.text()).toBe('for aws-cli v1');
    }
    const expired = await presign(t.s3Url, 'cli/a file+plus.txt', -60);
    const res = await fetch(expired);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Message>Request has expired</Message>');
  });
});
