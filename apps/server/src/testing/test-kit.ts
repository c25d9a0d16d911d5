/**
 * Test kit for the server suite (never imported by production code). Each test file gets a
 * fresh database: a temp SQLite file by default, or with PROXICLOUD_TEST_DB=postgres a new
 * PostgreSQL database `pc_test_<random>` on PROXICLOUD_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped on close.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import type { ProxmoxConnection } from '../deps.ts';
import { migrate } from '../migrate.ts';
import type { Clock } from '../platform/clock.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { type Database, openDatabase } from '../platform/db/database.ts';
import { createLogger, type Logger } from '../platform/logger.ts';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const DEFAULT_PASSWORD = 'correct-horse-battery';

export type TestDialect = 'sqlite' | 'postgres';
export const TEST_DIALECT: TestDialect =
  process.env.PROXICLOUD_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN_URL = process.env.PROXICLOUD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: T;
  text: string;
  cookies: {
    name: string;
    value: string;
    path?: string;
    httpOnly?: boolean;
    sameSite?: string;
    maxAge?: number;
  }[];
}

export interface RequestOptions {
  body?: unknown;
  /** Raw payload (string/Buffer) instead of JSON. */
  payload?: string | Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
  /** Send no Authorization header even if the client has a token. */
  anonymous?: boolean;
}

/** A user's HTTP view of the app (Bearer token), for readable tests. */
export class TestClient {
  constructor(
    readonly ctx: TestContext,
    readonly user: { id: string; username: string; role: string },
    public token: string,
    public refreshToken: string,
    readonly password: string,
  ) {}

  request<T = unknown>(method: string, url: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers = { ...(options.headers ?? {}) };
    if (!options.anonymous && !headers.authorization) headers.authorization = `Bearer ${this.token}`;
    return this.ctx.request<T>(method, url, { ...options, headers });
  }
  get<T = unknown>(url: string, options?: RequestOptions) {
    return this.request<T>('GET', url, options);
  }
  post<T = unknown>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', url, { ...options, body });
  }
  put<T = unknown>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', url, { ...options, body });
  }
  delete<T = unknown>(url: string, options?: RequestOptions) {
    return this.request<T>('DELETE', url, options);
  }
}

export interface TestContextOptions {
  /** Adjust the config (defaults: bcrypt cost 4, generous per-IP limit, admin password set). */
  configure?: (config: Config) => Config;
  env?: Record<string, string>;
  clock?: Clock;
  proxmox?: ProxmoxConnection;
  /** Add routes/hooks before the app is ready (e.g. a route that throws). */
  beforeReady?: (app: FastifyInstance) => void | Promise<void>;
  bootstrap?: boolean;
}

export interface TestContext {
  app: FastifyInstance;
  db: Database;
  config: Config;
  dialect: TestDialect;
  admin: TestClient;
  /** Everything the app logged (JSON lines), for redaction tests. */
  logs(): string;
  request<T = unknown>(method: string, url: string, options?: RequestOptions): Promise<TestResponse<T>>;
  login(username: string, password: string): Promise<TestResponse<LoginBody>>;
  newUser(options?: {
    role?: 'admin' | 'operator' | 'readonly';
    username?: string;
    password?: string;
    fullName?: string;
  }): Promise<TestClient>;
  close(): Promise<void>;
}

/** Login answer: a Session on 200, an error body otherwise (both shapes typed for convenience). */
export interface LoginBody {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; username: string; role: string };
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

let userCounter = 0;

export class CaptureStream extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    cb();
  }
  text(): string {
    return this.chunks.join('');
  }
}

/** A fresh database for one test file (SQLite temp file or a new PostgreSQL database). */
export async function createTestDatabase(): Promise<{
  database: Config['database'];
  dataDir: string;
  drop(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-test-'));
  if (TEST_DIALECT === 'sqlite') {
    return {
      database: { kind: 'sqlite', sqlitePath: join(dataDir, 'proxicloud.db'), url: null },
      dataDir,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `pc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', sqlitePath: '', url: url.toString() },
    dataDir,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const tdb = await createTestDatabase();
  let config = loadConfig({
    env: {
      PROXICLOUD_DATA_DIR: tdb.dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXICLOUD_LOG_LEVEL: 'info',
      PROXICLOUD_WEB_DIR: join(tdb.dataDir, 'no-web'),
      ...(options.env ?? {}),
    },
  });
  config = {
    ...config,
    database: tdb.database,
    auth: { ...config.auth, bcryptCost: 4, ipMaxFailures: 1000 },
  };
  if (options.configure) config = options.configure(config);

  const capture = new CaptureStream();
  const logger: Logger = createLogger(config.logLevel, capture);
  const db = openDatabase(config.database, { poolSize: 5 });
  await migrate(db);
  const app = await buildApp(
    {
      config,
      db,
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.proxmox ? { proxmox: options.proxmox } : {}),
    },
    { bootstrap: options.bootstrap ?? true },
  );
  if (options.beforeReady) await options.beforeReady(app);
  await app.ready();

  const request = async <T>(
    method: string,
    url: string,
    opts: RequestOptions = {},
  ): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let payload: string | Buffer | undefined = opts.payload;
    if (opts.body !== undefined && payload === undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
      ...(opts.query
        ? { query: Object.fromEntries(Object.entries(opts.query).map(([k, v]) => [k, String(v)])) }
        : {}),
    });
    let body: unknown = res.body;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && res.body.length > 0) {
      body = JSON.parse(res.body);
    }
    return {
      status: res.statusCode,
      headers: res.headers,
      body: body as T,
      text: res.body,
      cookies: res.cookies as TestResponse['cookies'],
    };
  };

  const login: TestContext['login'] = (username, password) =>
    request('POST', '/api/v1/auth/login', { body: { username, password } });

  const ctx = {
    app,
    db,
    config,
    dialect: TEST_DIALECT,
    logs: () => capture.text(),
    request,
    login,
  } as TestContext;

  if (options.bootstrap ?? true) {
    const res = await login('admin', ADMIN_PASSWORD);
    if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
    ctx.admin = new TestClient(
      ctx,
      res.body.user,
      res.body.accessToken,
      res.body.refreshToken,
      ADMIN_PASSWORD,
    );
  }

  ctx.newUser = async (o = {}) => {
    userCounter++;
    const username = o.username ?? `user${process.pid % 1000}x${userCounter}`;
    const password = o.password ?? DEFAULT_PASSWORD;
    const created = await ctx.admin.post<{ id: string }>('/api/v1/users', {
      username,
      password,
      role: o.role ?? 'operator',
      ...(o.fullName !== undefined ? { fullName: o.fullName } : {}),
    });
    if (created.status !== 201) throw new Error(`newUser failed: ${created.status} ${created.text}`);
    const res = await login(username, password);
    if (res.status !== 200) throw new Error(`newUser login failed: ${res.status} ${res.text}`);
    return new TestClient(ctx, res.body.user, res.body.accessToken, res.body.refreshToken, password);
  };

  let closed = false;
  ctx.close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await db.close();
    await tdb.drop();
  };
  return ctx;
}

/** Rows of a table straight from the database (to assert that nothing was written). */
export async function countRows(
  ctx: TestContext,
  table: 'users' | 'audit_log' | 'access_keys' | 'auth_sessions' | 'refresh_tokens',
): Promise<number> {
  const row = await ctx.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
