import { describe, expect, it } from 'vitest';
import { templateMatches } from './instances.ts';
import { publicKeyProblem } from './keys.ts';
import { bucketNameProblem } from './s3.ts';

describe('bucket names in plain words', () => {
  it.each([
    ['Bad_Name', 'lowercase'],
    ['bad_name', 'not "_"'],
    ['ab', '3 to 63 characters'],
    ['-abc', 'begin and end with a letter or a digit'],
    ['a..b', 'two dots'],
    ['a.-b', 'dot next to a hyphen'],
    ['192.168.1.1', 'IP address'],
    ['xn--abc', 'must not start with "xn--"'],
  ])('%s: %s', (name, words) => {
    const problem = bucketNameProblem(name);
    expect(problem).toContain(words);
    expect(problem).not.toMatch(/\^|\$|\[a-z/); // never a regex
  });
  it('accepts valid names', () => {
    for (const n of ['abc', 'my-backups', 'logs.2026', '0-9']) expect(bucketNameProblem(n)).toBeNull();
  });
});

describe('public key files', () => {
  const good = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX you@host';
  it('lets key lines through (the server checks the key data)', () => {
    expect(publicKeyProblem(`${good}\n`)).toBeNull();
    expect(publicKeyProblem('ecdsa-sha2-nistp256 AAAA')).toBeNull();
  });
  it.each([
    ['', 'empty'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n', 'private key'],
    ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'PEM'],
    ['\u00ff\u00d8\u00ff\u00e0\u0000\u0010JFIF', 'binary'],
    ['\ufffd\ufffdPNG\r\n\u001a\n', 'binary'],
    ['hello world, this is my key', 'key type'],
  ])('%#: %s', (text, words) => {
    expect(publicKeyProblem(text)).toContain(words);
  });
});

describe('template lookup for the --type hint', () => {
  const img = (over: Record<string, unknown>) =>
    ({
      id: 'local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz',
      name: 'alpine-3.20-default_20240908_amd64.tar.xz',
      kind: 'lxc-template',
      instanceType: 'lxc',
      launchable: true,
      os: 'alpine',
      version: '3.20',
      ...over,
    }) as never;
  it('matches aliases (also by major version), names and ids', () => {
    const images = [img({})];
    for (const t of ['alpine-3.20', 'alpine-3', 'alpine-3.20-default_20240908_amd64.tar.xz'])
      expect(templateMatches(images, t), t).toBe(true);
    expect(templateMatches(images, 'local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz')).toBe(true);
    expect(templateMatches(images, 'alpine-3.2')).toBe(false);
    expect(templateMatches(images, 'debian-12')).toBe(false);
    expect(templateMatches([img({ launchable: false })], 'alpine-3.20')).toBe(false);
  });
});
