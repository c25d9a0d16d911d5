/**
 * Test helpers for the storage suite (never imported by production code): the app from the
 * server test kit, listening on ephemeral ports (main + dedicated S3), users with access keys
 * and AWS SDK clients pointed at it.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
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
