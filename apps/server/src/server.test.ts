import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { startServer } from './server.ts';
import { CaptureStream, createTestDatabase } from './testing/test-kit.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function post(url: string, path: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('server process', () => {
  it('serves over real HTTP and shuts down gracefully: in-flight requests finish, then it stops accepting', async () => {
    const tdb = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'pc-server-'));
    dirs.push(dataDir);
    const base = loadConfig({
      env: {
        PROXICLOUD_DATA_DIR: dataDir,
        PROXICLOUD_PORT: '0',
        PROXICLOUD_HOST: '127.0.0.1',
        PROXICLOUD_ADMIN_PASSWORD: 'server-test-password',
      },
    });
    // Real bcrypt cost so a login is slow enough to be in flight during shutdown.
    const config = { ...base, database: tdb.database, auth: { ...base.auth, bcryptCost: 11 } };
    const logs = new CaptureStream();
    const server = await startServer(config, { logger: createLogger('trace', logs) });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });

      const inflight = post(server.url, '/api/v1/auth/login', {
        username: 'admin',
        password: 'server-test-password',
      });
      let answered = false;
      void inflight.then(() => {
        answered = true;
      });
      // Stop only once the login is inside the server (logged at trace by onRequest), not merely sent.
      for (let i = 0; i < 500 && !logs.text().includes('"url":"/api/v1/auth/login"'); i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const t0 = Date.now();
      const stopping = server.stop();
      expect(answered).toBe(false); // still hashing when shutdown starts
      const res = await inflight;
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).user.username).toBe('admin');
      await stopping;
      expect(Date.now() - t0).toBeLessThan(10_000);
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      expect(logs.text()).toContain('shutdown complete');
      expect(logs.text()).not.toContain('server-test-password');
      await expect(server.db.ping()).rejects.toThrow(); // database closed
    } finally {
      await server.stop();
      await tdb.drop();
    }
  });
});
