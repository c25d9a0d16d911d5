/**
 * HTTPS served directly (config.tls): a self-signed certificate generated on first start, reused
 * on the next (same fingerprint, which is logged), the S3 port on TLS too, operator-provided
 * files, HSTS only on HTTPS (direct or X-Forwarded-Proto from a trusted proxy), config errors.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server.ts';
import { CaptureStream, createTestDatabase } from '../../testing/test-kit.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { selfSignedPaths } from './tls.ts';

const dirs: string[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops) await d();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  fingerprint256: string | null;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Got> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, rejectUnauthorized: false }, (res) => {
      const socket = res.socket as TLSSocket;
      const fingerprint256 =
        typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate().fingerprint256 : null;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, fingerprint256 }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(env: Record<string, string>, dataDir?: string) {
  const tdb = await createTestDatabase();
  drops.push(tdb.drop);
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'pc-tls-'));
  if (!dataDir) dirs.push(dir);
  const base = loadConfig({
    env: {
      PROXICLOUD_DATA_DIR: dir,
      PROXICLOUD_PORT: '0',
      PROXICLOUD_S3_PORT: '0',
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_ADMIN_PASSWORD: 'tls-test-password-1',
      ...env,
    },
  });
  const logs = new CaptureStream();
  const server = await startServer(
    { ...base, database: tdb.database },
    { logger: createLogger('info', logs), jobs: false },
  );
  return { server, logs, dir };
}

describe('HTTPS served directly', () => {
  it('self-signed: generated once (key 0600), fingerprint logged, S3 port on TLS too, reused on restart', async () => {
    const first = await start({ PROXICLOUD_TLS: 'self-signed', PROXICLOUD_HSTS: 'on' });
    let fingerprint = '';
    try {
      expect(first.server.url).toMatch(/^https:\/\//);
      expect(first.server.s3Url).toMatch(/^https:\/\//);
      const ready = await get(`${first.server.url}/readyz`);
      expect(ready.status).toBe(200);
      fingerprint = ready.fingerprint256 ?? '';
      expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      // The operator can compare what the browser shows with the log.
      expect(first.logs.text()).toContain(fingerprint);
      expect(ready.headers['strict-transport-security']).toBe('max-age=31536000');
      const s3 = await get(`${first.server.s3Url}/`);
      expect(s3.fingerprint256).toBe(fingerprint);
      expect(s3.status).toBeGreaterThanOrEqual(200);
      expect(statSync(selfSignedPaths(first.dir).key).mode & 0o777).toBe(0o600);
    } finally {
      await first.server.stop();
    }
    const second = await start({ PROXICLOUD_TLS: 'self-signed' }, first.dir);
    try {
      const ready = await get(`${second.server.url}/readyz`);
      expect(ready.fingerprint256).toBe(fingerprint);
      // HSTS is off unless asked for (a self-signed certificate plus HSTS can lock browsers out).
      expect(ready.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await second.server.stop();
    }
  });

  it("serves the operator's certificate and key files", async () => {
    // Make a pair with the self-signed generator, then use it as "files".
    const gen = await start({ PROXICLOUD_TLS: 'self-signed', PROXICLOUD_S3_PORT: 'off' });
    await gen.server.stop();
    const paths = selfSignedPaths(gen.dir);
    const files = await start({
      PROXICLOUD_TLS_CERT: paths.cert,
      PROXICLOUD_TLS_KEY: paths.key,
      PROXICLOUD_S3_PORT: 'off',
    });
    try {
      const ready = await get(`${files.server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(ready.fingerprint256).toMatch(/^[0-9A-F:]+$/);
      expect(files.logs.text()).toContain('HTTPS enabled');
    } finally {
      await files.server.stop();
    }
  });

  it('behind a proxy: HSTS when a trusted proxy says X-Forwarded-Proto https, not for anyone else', async () => {
    const viaProxy = await start({
      PROXICLOUD_TRUST_PROXY: '127.0.0.1',
      PROXICLOUD_HSTS: '600',
      PROXICLOUD_S3_PORT: 'off',
    });
    const untrusted = await start({
      PROXICLOUD_TRUST_PROXY: '10.0.0.0/8',
      PROXICLOUD_HSTS: '600',
      PROXICLOUD_S3_PORT: 'off',
    });
    try {
      const proxied = await get(`${viaProxy.server.url}/healthz`, { 'x-forwarded-proto': 'https' });
      expect(proxied.headers['strict-transport-security']).toBe('max-age=600');
      const plain = await get(`${viaProxy.server.url}/healthz`);
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      const forged = await get(`${untrusted.server.url}/healthz`, { 'x-forwarded-proto': 'https' });
      expect(forged.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await viaProxy.server.stop();
      await untrusted.server.stop();
    }
  });

  it('refuses half or broken TLS settings at start, naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-tls-cfg-'));
    dirs.push(dir);
    const load = (env: Record<string, string>) => () =>
      loadConfig({ env: { PROXICLOUD_DATA_DIR: dir, ...env } });
    expect(load({ PROXICLOUD_TLS_CERT: '/etc/hosts' })).toThrow(
      /PROXICLOUD_TLS_KEY: required together with PROXICLOUD_TLS_CERT/,
    );
    expect(load({ PROXICLOUD_TLS_CERT: '/nope.pem', PROXICLOUD_TLS_KEY: '/nope.key' })).toThrow(
      /PROXICLOUD_TLS_CERT: file not found/,
    );
    expect(load({ PROXICLOUD_TLS: 'maybe' })).toThrow(ConfigError);
    expect(load({ PROXICLOUD_TLS: 'on' })).toThrow(/needs PROXICLOUD_TLS_CERT/);
    expect(load({ PROXICLOUD_HSTS: 'forever' })).toThrow(/PROXICLOUD_HSTS/);
    expect(loadConfig({ env: { PROXICLOUD_DATA_DIR: dir, PROXICLOUD_TLS: 'off' } }).tls).toBeNull();
  });
});
