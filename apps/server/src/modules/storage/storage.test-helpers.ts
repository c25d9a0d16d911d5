/**
 * Test helpers for the storage suite (never imported by production code): the app from the
 * server test kit, listening on ephemeral ports (main + dedicated S3), users with access keys
 * and AWS SDK clients pointed at it.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { S3Client, type S3ClientConfig, S3ServiceException } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import {
  createTestContext,
  type TestClient,
  type TestContext,
  type TestContextOptions,
} from '../../testing/test-kit.ts';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3User {
  client: TestClient;
  key: S3Credentials;
  s3: S3Client;
}

export interface StorageTest {
  ctx: TestContext;
  /** Main port (REST API, and S3 under /s3). */
  url: string;
  /** Dedicated S3 port. */
  s3Url: string;
  s3Client(key: S3Credentials, config?: Partial<S3ClientConfig>): S3Client;
  newS3User(role?: 'admin' | 'operator' | 'readonly', client?: TestClient): Promise<S3User>;
  close(): Promise<void>;
}

export async function startStorageTest(options: TestContextOptions = {}): Promise<StorageTest> {
  const ctx = await createTestContext(options);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (ctx.app.server.address() as { port: number }).port;
  const s3Port = await ctx.app.storage.endpoint.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${port}`;
  const s3Url = `http://127.0.0.1:${s3Port}`;
  const clients: S3Client[] = [];

  const s3Client = (key: S3Credentials, config: Partial<S3ClientConfig> = {}) => {
    const c = new S3Client({
      endpoint: s3Url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: key,
      maxAttempts: 1,
      ...config,
    });
    clients.push(c);
    return c;
  };

  const newS3User: StorageTest['newS3User'] = async (role = 'operator', existing) => {
    const client = existing ?? (role === 'admin' ? ctx.admin : await ctx.newUser({ role }));
    const res = await client.post<{ accessKeyId: string; secretAccessKey: string }>('/api/v1/access-keys', {
      description: 's3 tests',
    });
    if (res.status !== 201) throw new Error(`access key creation failed: ${res.status} ${res.text}`);
    const key = { accessKeyId: res.body.accessKeyId, secretAccessKey: res.body.secretAccessKey };
    return { client, key, s3: s3Client(key) };
  };

  return {
    ctx,
    url,
    s3Url,
    s3Client,
    newS3User,
    async close() {
      for (const c of clients) c.destroy();
      await ctx.close();
    },
  };
}

/** The S3 error an SDK call fails with (name, status, message); throws if it succeeds. */
export async function s3err(
  p: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException)
      return { name: err.name, status: err.$metadata.httpStatusCode, message: err.message };
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Read a whole SDK body (Node stream) into a Buffer. */
export async function bodyBytes(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

// ------------------------------------------------------------------ raw signed requests

class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret !== undefined
      ? createHmac('sha256', Buffer.from(this.secret as Uint8Array))
      : createHash('sha256');
  }
  update(data: SourceData) {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.fresh();
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** Send exactly these bytes (no client-side magic) and collect the answer. */
export function rawRequest(
  baseUrl: string,
  opts: { method: string; path: string; headers: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method: opts.method, path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface SignOptions {
  method: string;
  /** Encoded path, e.g. /bucket/my%20key */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** x-amz-content-sha256 (default: the SHA-256 of body). */
  payloadHash?: string;
  signingDate?: Date;
  host?: string;
  /** Do not add a Content-Length header. */
  noContentLength?: boolean;
}

/**
 * Sign a request with the AWS SDK's own SigV4 signer (an independent implementation of ours).
 * Returns the headers to send and the path with its query string.
 */
export async function signHeaders(
  baseUrl: string,
  key: S3Credentials,
  opts: SignOptions,
): Promise<{ headers: Record<string, string>; path: string }> {
  const u = new URL(baseUrl);
  const signer = new SignatureV4({
    credentials: key,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256 as never,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const body = opts.body ?? '';
  const headers: Record<string, string> = {
    host: opts.host ?? u.host,
    'x-amz-content-sha256': opts.payloadHash ?? createHash('sha256').update(body).digest('hex'),
    ...(opts.headers ?? {}),
  };
  if (
    !opts.noContentLength &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined
  )
    headers['content-length'] = String(Buffer.byteLength(body));
  const signed = await signer.sign(
    {
      method: opts.method,
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: opts.path,
      query: opts.query ?? {},
      headers,
    },
    { signingDate: opts.signingDate ?? new Date() },
  );
  const query = new URLSearchParams(opts.query ?? {}).toString().replace(/\+/g, '%20');
  return {
    headers: signed.headers as Record<string, string>,
    path: `${opts.path}${query ? `?${query}` : ''}`,
  };
}

/** Sign (with the SDK's signer) and send raw. */
export async function signedRequest(
  baseUrl: string,
  key: S3Credentials,
  opts: SignOptions,
): Promise<RawResponse> {
  const { headers, path } = await signHeaders(baseUrl, key, opts);
  return rawRequest(baseUrl, { method: opts.method, path, headers, body: opts.body ?? '' });
}

/** Pull Signature= and the date out of signed headers (the seed for aws-chunked). */
export function seedOf(headers: Record<string, string>): { seed: string; amzDate: string } {
  const seed = /Signature=([0-9a-f]{64})/.exec(headers.authorization ?? '')?.[1];
  const amzDate = headers['x-amz-date'];
  if (!seed || !amzDate) throw new Error('not a SigV4-signed request');
  return { seed, amzDate };
}

// ------------------------------------------------------------------ aws-chunked, computed independently

const hmacOf = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** SigV4 signing key, straight from the AWS documentation's formula. */
export function testSigningKey(secret: string, date: string, region = 'us-east-1'): Buffer {
  return hmacOf(hmacOf(hmacOf(hmacOf(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
}

/**
 * Build a signed aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) from the seed
 * signature. `mutate` may corrupt a chunk after it was signed.
 */
export function signedChunkedBody(opts: {
  key: Buffer;
  amzDate: string;
  region?: string;
  seed: string;
  chunks: Buffer[];
  trailer?: { name: string; value: string };
  mutate?: (index: number, chunk: Buffer) => Buffer;
}): Buffer {
  const scope = `${opts.amzDate.slice(0, 8)}/${opts.region ?? 'us-east-1'}/s3/aws4_request`;
  let prev = opts.seed;
  const out: Buffer[] = [];
  const sign = (data: Buffer) => {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', opts.amzDate, scope, prev, sha(''), sha(data)].join('\n');
    prev = createHmac('sha256', opts.key).update(toSign).digest('hex');
    return prev;
  };
  for (const [i, chunk] of [...opts.chunks, Buffer.alloc(0)].entries()) {
    const sig = sign(chunk);
    const sent = opts.mutate && chunk.length > 0 ? opts.mutate(i, chunk) : chunk;
    out.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${sig}\r\n`));
    if (chunk.length > 0) out.push(sent, Buffer.from('\r\n'));
  }
  if (opts.trailer) {
    const line = `${opts.trailer.name}:${opts.trailer.value}\n`;
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', opts.amzDate, scope, prev, sha(line)].join('\n');
    const tsig = createHmac('sha256', opts.key).update(toSign).digest('hex');
    out.push(
      Buffer.from(`${opts.trailer.name}:${opts.trailer.value}\r\nx-amz-trailer-signature:${tsig}\r\n\r\n`),
    );
  } else out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

/** Write raw bytes to a socket and read the HTTP answer (for requests Node's client would "fix"). */
export function socketRequest(
  baseUrl: string,
  raw: Buffer | string,
): Promise<{ status: number; text: string }> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /content-length: (\d+)/i.exec(text);
      const headerEnd = text.indexOf('\r\n\r\n');
      if (headerEnd >= 0 && m && Buffer.byteLength(text) - headerEnd - 4 >= Number(m[1])) socket.end();
    });
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.on('error', reject);
  });
}

// the real server as a child process: testing/child-server.ts
export { type ChildServer, spawnServer } from '../../testing/child-server.ts';

/** Log in over HTTP and create an access key (for child-process servers). */
export async function accessKeyFor(url: string, username: string, password: string): Promise<S3Credentials> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const key = await fetch(`${url}/api/v1/access-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ description: 'child server tests' }),
  });
  if (key.status !== 201) throw new Error(`access key failed: ${key.status} ${await key.text()}`);
  const body = (await key.json()) as { accessKeyId: string; secretAccessKey: string };
  return { accessKeyId: body.accessKeyId, secretAccessKey: body.secretAccessKey };
}
