import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function tmp() {
  return mkdtempSync(join(tmpdir(), 'pc-config-'));
}

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, cwd: tmp() });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('has sane defaults and generates secrets once with 0600', () => {
    const cwd = tmp();
    const c = loadConfig({ env: {}, cwd });
    expect(c.dataDir).toBe(join(cwd, 'data'));
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.database).toEqual({ kind: 'sqlite', sqlitePath: join(cwd, 'data', 'proxicloud.db'), url: null });
    expect(c.proxmox).toBeNull();
    expect(c.s3Port).toBe(9000);
    expect(c.auditRetentionDays).toBe(90);
    expect(c.auth.bcryptCost).toBe(12);
    expect(c.masterKey).toHaveLength(32);
    expect(c.jwtSecret.length).toBe(32);
    for (const f of ['jwt.key', 'master.key']) {
      expect(statSync(join(cwd, 'data', 'secrets', f)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(cwd, 'data', 'secrets')).mode & 0o777).toBe(0o700);
    const again = loadConfig({ env: {}, cwd });
    expect(Buffer.from(again.masterKey).equals(c.masterKey)).toBe(true);
    expect(Buffer.from(again.jwtSecret).equals(Buffer.from(c.jwtSecret))).toBe(true);
  });

  it('reads env vars and selects PostgreSQL and Proxmox', () => {
    const c = loadConfig({
      cwd: tmp(),
      env: {
        PROXICLOUD_PORT: '9090',
        PROXICLOUD_HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://pc:pw@db.local:5432/proxicloud',
        PROXMOX_URL: 'https://pve.local:8006/',
        PROXMOX_TOKEN: 'root@pam!proxicloud=0b5d1e6e-0000-4000-8000-000000000000',
        PROXICLOUD_JWT_SECRET: 'x'.repeat(40),
        PROXICLOUD_MASTER_KEY: 'ab'.repeat(32),
        PROXICLOUD_LOG_LEVEL: 'DEBUG',
      },
    });
    expect(c.port).toBe(9090);
    expect(c.database.kind).toBe('postgres');
    expect(c.proxmox?.url).toBe('https://pve.local:8006');
    expect(c.logLevel).toBe('debug');
    expect(c.sources.port).toBe('env');
  });

  it('reads a JSON config file, env wins over it, unknown keys are errors', () => {
    const cwd = tmp();
    const file = join(cwd, 'pc.json');
    writeFileSync(file, JSON.stringify({ port: 7000, host: '127.0.0.1', auditRetentionDays: 30 }));
    const c = loadConfig({ cwd, env: { PROXICLOUD_CONFIG: file, PROXICLOUD_HOST: '::1' } });
    expect(c).toMatchObject({ port: 7000, host: '::1', auditRetentionDays: 30 });
    expect(c.sources).toMatchObject({ port: 'file', host: 'env' });

    writeFileSync(file, JSON.stringify({ prot: 7000 }));
    expect(() => loadConfig({ cwd, env: { PROXICLOUD_CONFIG: file } })).toThrow(/unknown key "prot"/);
    writeFileSync(file, '{nope');
    expect(() => loadConfig({ cwd, env: { PROXICLOUD_CONFIG: file } })).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ port: 'eighty' }));
    expect(() => loadConfig({ cwd, env: { PROXICLOUD_CONFIG: file } })).toThrow(
      /PROXICLOUD_PORT \(config file key "port"/,
    );
  });

  it('picks up <dataDir>/config.json automatically', () => {
    const cwd = tmp();
    loadConfig({ cwd, env: {} });
    writeFileSync(join(cwd, 'data', 'config.json'), JSON.stringify({ port: 8181 }));
    expect(loadConfig({ cwd, env: {} }).port).toBe(8181);
  });

  it('reports every problem with the variable name', () => {
    const p = problems({
      PROXICLOUD_PORT: '99999',
      PROXICLOUD_LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      PROXMOX_URL: 'http://pve.local:8006',
      PROXICLOUD_ADMIN_PASSWORD: 'short',
      PROXICLOUD_JWT_SECRET: 'tooshort',
      PROXICLOUD_MASTER_KEY: 'nothex',
      PROXICLOUD_AUDIT_RETENTION_DAYS: '-1',
    });
    const text = p.join('\n');
    for (const name of [
      'PROXICLOUD_PORT',
      'PROXICLOUD_LOG_LEVEL',
      'DATABASE_URL',
      'PROXMOX_URL',
      'PROXMOX_TOKEN',
      'PROXICLOUD_ADMIN_PASSWORD',
      'PROXICLOUD_JWT_SECRET',
      'PROXICLOUD_MASTER_KEY',
      'PROXICLOUD_AUDIT_RETENTION_DAYS',
    ]) {
      expect(text).toContain(name);
    }
    expect(problems({ PROXMOX_TOKEN: 'root@pam!t=abc' }).join()).toContain('PROXMOX_URL: required');
    expect(problems({ PROXICLOUD_CONFIG: '/nope/missing.json' }).join()).toContain(
      'PROXICLOUD_CONFIG: file not found',
    );
  });

  it('PROXICLOUD_TRUST_PROXY takes proxy addresses/CIDRs and refuses a bare true', () => {
    expect(loadConfig({ env: {}, cwd: tmp() }).trustProxy).toEqual([]);
    expect(
      loadConfig({
        env: { PROXICLOUD_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' },
        cwd: tmp(),
      }).trustProxy,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    expect(loadConfig({ env: { PROXICLOUD_TRUST_PROXY: 'false' }, cwd: tmp() }).trustProxy).toEqual([]);
    for (const v of ['true', 'TRUE', 'yes', '1', '*']) {
      const text = problems({ PROXICLOUD_TRUST_PROXY: v }).join('\n');
      expect(text).toContain('PROXICLOUD_TRUST_PROXY');
      expect(text).toContain('127.0.0.1,10.0.0.0/8');
    }
    const bad = problems({ PROXICLOUD_TRUST_PROXY: '10.0.0.0/33,proxy.lan,1.2.3.4' }).join('\n');
    expect(bad).toContain('"10.0.0.0/33"');
    expect(bad).toContain('"proxy.lan"');
    expect(bad).not.toContain('"1.2.3.4"');
    // The config file's JSON boolean true is refused the same way.
    const cwd = tmp();
    writeFileSync(join(cwd, 'c.json'), JSON.stringify({ trustProxy: true }));
    expect(problems({ PROXICLOUD_CONFIG: join(cwd, 'c.json') }).join()).toContain('127.0.0.1,10.0.0.0/8');
  });

  it('PROXICLOUD_ADMIN_PASSWORD follows the password policy (refused at start, saying why)', () => {
    for (const [value, why] of [
      ['password123', 'commonly used'],
      ['admin12345', 'username'],
      ['          ', 'whitespace'],
      ['zzzzzzzzzzzz', 'repeated'],
    ] as const) {
      const text = problems({ PROXICLOUD_ADMIN_PASSWORD: value }).join('\n');
      expect(text, value).toContain('PROXICLOUD_ADMIN_PASSWORD');
      expect(text, value).toContain(why);
    }
    expect(problems({ PROXICLOUD_ADMIN_PASSWORD: 'admin likes long passphrases' })).toEqual([]);
  });
});
