import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore, defaultConfigDir, validateProfileName } from './config.ts';
import { CliError, ExitCode } from './errors.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cli-config-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('defaultConfigDir', () => {
  it('uses an absolute XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/proxicloud');
    expect(defaultConfigDir({}, '/home/u')).toBe('/home/u/.config/proxicloud');
    // Relative XDG values are invalid per the spec and ignored.
    expect(defaultConfigDir({ XDG_CONFIG_HOME: 'rel/cfg' }, '/home/u')).toBe('/home/u/.config/proxicloud');
  });
});

describe('ConfigStore', () => {
  it('reads a missing file as an empty store', () => {
    const store = new ConfigStore(path.join(root, 'proxicloud'));
    expect(store.read()).toEqual({ version: 1, profiles: {} });
    expect(fs.existsSync(path.join(root, 'proxicloud'))).toBe(false);
  });

  it('writes the file 0600 in a 0700 directory, even with a permissive umask', () => {
    const dir = path.join(root, 'proxicloud');
    const store = new ConfigStore(dir);
    const old = process.umask(0o000);
    try {
      store.updateProfile('default', () => ({ server: 'http://h:1', accessToken: 'a', refreshToken: 'r' }));
    } finally {
      process.umask(old);
    }
    expect(mode(dir)).toBe(0o700);
    expect(mode(store.file)).toBe(0o600);
    const onDisk = JSON.parse(fs.readFileSync(store.file, 'utf8'));
    expect(onDisk.version).toBe(1);
    expect(onDisk.profiles.default).toMatchObject({
      server: 'http://h:1',
      accessToken: 'a',
      refreshToken: 'r',
    });
    // No temp files are left behind.
    expect(fs.readdirSync(dir)).toEqual(['credentials.json']);
  });

  it('keeps other profiles when updating one and deletes a profile when update returns undefined', () => {
    const store = new ConfigStore(path.join(root, 'p'));
    store.updateProfile('default', () => ({ server: 'http://a' }));
    store.updateProfile('lab', () => ({ server: 'http://b' }));
    store.updateProfile('default', (p) => ({ ...p, username: 'alice' }));
    expect(store.getProfile('default')).toMatchObject({ server: 'http://a', username: 'alice' });
    expect(store.getProfile('lab')).toMatchObject({ server: 'http://b' });
    store.updateProfile('lab', () => undefined);
    expect(store.getProfile('lab')).toBeUndefined();
    expect(Object.keys(store.read().profiles)).toEqual(['default']);
  });

  it('tightens loose permissions on read and warns once', () => {
    const dir = path.join(root, 'p');
    const store = new ConfigStore(dir);
    store.updateProfile('default', () => ({ server: 'http://a' }));
    fs.chmodSync(store.file, 0o644);
    fs.chmodSync(dir, 0o755);
    const warnings: string[] = [];
    const again = new ConfigStore(dir, (m) => warnings.push(m));
    expect(again.getProfile('default')?.server).toBe('http://a');
    expect(mode(store.file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('mode 0644');
    again.read();
    expect(warnings).toHaveLength(2);
  });

  it('reports a corrupt file clearly', () => {
    const dir = path.join(root, 'p');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'credentials.json'), '{not json', { mode: 0o600 });
    const store = new ConfigStore(dir);
    expect(() => store.read()).toThrowError(/is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'credentials.json'), '[]', { mode: 0o600 });
    expect(() => new ConfigStore(dir).read()).toThrowError(/unexpected format/);
  });

  it('ignores unknown and non-string fields', () => {
    const dir = path.join(root, 'p');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(
      path.join(dir, 'credentials.json'),
      JSON.stringify({
        version: 1,
        profiles: { default: { server: 'http://a', accessToken: 5, extra: 'x' } },
      }),
      { mode: 0o600 },
    );
    expect(new ConfigStore(dir).getProfile('default')).toEqual({ server: 'http://a' });
  });

  it('serialises concurrent lock holders', async () => {
    const store = new ConfigStore(path.join(root, 'p'));
    const events: string[] = [];
    const task = (name: string) =>
      store.withLock(async () => {
        events.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 30));
        events.push(`${name}:end`);
      });
    await Promise.all([task('a'), task('b')]);
    expect(events).toHaveLength(4);
    expect(events[0]!.split(':')[0]).toBe(events[1]!.split(':')[0]);
    expect(fs.existsSync(path.join(root, 'p', 'credentials.json.lock'))).toBe(false);
  });

  it('breaks a stale lock left by a crashed process', async () => {
    const dir = path.join(root, 'p');
    const store = new ConfigStore(dir);
    store.updateProfile('default', () => ({}));
    const lock = path.join(dir, 'credentials.json.lock');
    fs.writeFileSync(lock, '99999');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    await expect(store.withLock(async () => 'ok', 1_000)).resolves.toBe('ok');
  });
});

describe('validateProfileName', () => {
  it('accepts simple names and rejects path tricks with a usage error', () => {
    expect(validateProfileName('lab-2.home_x')).toBe('lab-2.home_x');
    for (const bad of ['', '../x', 'a/b', '-x', 'x'.repeat(65)]) {
      let caught: unknown;
      try {
        validateProfileName(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exitCode).toBe(ExitCode.usage);
    }
  });
});
