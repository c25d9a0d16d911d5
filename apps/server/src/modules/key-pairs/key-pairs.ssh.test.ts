import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair, KeyFormatError, parsePublicKey } from './key-pairs.ssh.ts';

const dir = mkdtempSync(join(tmpdir(), 'pc-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasSshKeygen = existsSync('/usr/bin/ssh-keygen');

function sshKeygen(args: string[]): string {
  return execFileSync('ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.skipIf(!hasSshKeygen)('against ssh-keygen', () => {
  it.each(['ed25519', 'rsa', 'ecdsa'] as const)(
    'imports %s keys made by ssh-keygen with the same fingerprint',
    (t) => {
      const file = join(dir, `import_${t}`);
      sshKeygen([
        '-q',
        '-t',
        t,
        ...(t === 'rsa' ? ['-b', '3072'] : []),
        '-N',
        '',
        '-C',
        `me@${t}`,
        '-f',
        file,
      ]);
      const parsed = parsePublicKey(readFileSync(`${file}.pub`, 'utf8'));
      const expected = sshKeygen(['-l', '-E', 'sha256', '-f', `${file}.pub`]).split(' ')[1];
      expect(parsed.fingerprint).toBe(expected);
      expect(parsed.algorithm).toBe(t);
      expect(parsed.bits).toBe(t === 'rsa' ? 3072 : t === 'ecdsa' ? 256 : 256);
      expect(parsed.comment).toBe(`me@${t}`);
    },
  );

  it.each(['ed25519', 'rsa'] as const)(
    'generates %s keys that ssh-keygen reads (private key → same public key)',
    async (t) => {
      const kp = await generateKeyPair(t, 'alice@proxicloud');
      const priv = join(dir, `gen_${t}`);
      writeFileSync(priv, kp.privateKey, { mode: 0o600 });
      const derived = sshKeygen(['-y', '-f', priv]).trim().split(' ').slice(0, 2).join(' ');
      expect(kp.publicKey.split(' ').slice(0, 2).join(' ')).toBe(derived);
      writeFileSync(`${priv}.pub`, `${kp.publicKey}\n`);
      expect(sshKeygen(['-l', '-E', 'sha256', '-f', `${priv}.pub`]).split(' ')[1]).toBe(kp.fingerprint);
      expect(kp.privateKey).toContain(
        t === 'ed25519' ? 'BEGIN OPENSSH PRIVATE KEY' : 'BEGIN RSA PRIVATE KEY',
      );
      if (t === 'rsa') expect(kp.bits).toBe(4096);
      else expect(sshKeygen(['-l', '-f', priv])).toContain('alice@proxicloud');
    },
  );
});

describe('parsePublicKey refuses bad input', () => {
  const good = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX';
  it('accepts a valid key with and without comment', () => {
    expect(parsePublicKey(good).publicKey).toBe(good);
    expect(parsePublicKey(`${good} bob@laptop\n`).comment).toBe('bob@laptop');
  });
  it.each([
    ['', /Expected an OpenSSH public key/],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blb...\n-----END OPENSSH PRIVATE KEY-----', /private key/],
    [`${good}\n${good}`, /one line/],
    [`command="rm -rf /" ${good}`, /options/],
    ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /not supported/],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2', /truncated|base64/],
    ['ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIFmwl5jDOnUkS1YqFXPp3H8zRkQWkOgxhPzkuMn1Q2TX', /line says ssh-rsa/],
    [`${good} $(reboot)\u0007`, /printable ASCII/],
    [`${good} ${'x'.repeat(101)}`, /longer than/],
    ['ssh-ed25519 not*base64', /Expected an OpenSSH/],
  ])('%#: %s', (input, message) => {
    expect(() => parsePublicKey(input)).toThrow(KeyFormatError);
    expect(() => parsePublicKey(input)).toThrow(message);
  });
  it('refuses RSA keys under 2048 bits', () => {
    const file = join(dir, 'small_rsa');
    if (!hasSshKeygen) return;
    sshKeygen(['-q', '-t', 'rsa', '-b', '1024', '-N', '', '-f', file]);
    const line = sshKeygen(['-y', '-f', file]).trim();
    expect(() => parsePublicKey(line)).toThrow(/at least 2048 bits \(this one has 1024\)/);
  });
});
