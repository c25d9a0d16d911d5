/**
 * Test helpers for the storage suite (never imported by production code): the app from the
 * server test kit, listening on ephemeral ports (main + dedicated S3), users with access keys
 * and AWS SDK clients pointed at it.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
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

/**
 * Sign a request with the AWS SDK's own SigV4 signer (an independent implementation of ours)
 * and send it raw. `payloadHash` is what goes into x-amz-content-sha256.
 */
export async function signedRequest(
  baseUrl: string,
  key: S3Credentials,
  opts: {
    method: string;
    /** Encoded path, e.g. /bucket/my%20key */
    path: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: Buffer | string;
    payloadHash?: string;
    signingDate?: Date;
    host?: string;
  },
): Promise<RawResponse> {
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
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
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
  return rawRequest(baseUrl, {
    method: opts.method,
    path: `${opts.path}${query ? `?${query}` : ''}`,
    headers: signed.headers as Record<string, string>,
    body,
  });
}
