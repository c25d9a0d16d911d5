import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenString, proxmoxConfigFromEnv } from './env.ts';

describe('configuration from the environment', () => {
  it('parses a token string; the secret may contain "="', () => {
    expect(parseTokenString('root@pam!ci=abc-123=x')).toEqual({
      tokenId: 'root@pam!ci',
      secret: 'abc-123=x',
    });
    for (const bad of ['root@pam=abc', 'root!ci=abc', 'root@pam!ci=', 'nonsense']) {
      expect(() => parseTokenString(bad)).toThrow(/USER@REALM!TOKENID=SECRET/);
    }
  });

  it('does not leak the token in errors', () => {
    try {
      parseTokenString('root@pam=TOPSECRETVALUE');
    } catch (e) {
      expect(String(e)).not.toContain('TOPSECRETVALUE');
    }
  });

  it('returns undefined without PROXMOX_URL and builds client + ssh options with it', () => {
    expect(proxmoxConfigFromEnv({})).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'pc-env-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    writeFileSync(join(dir, 'id'), 'KEY');
    const cfg = proxmoxConfigFromEnv({
      PROXMOX_URL: 'https://pve:8006',
      PROXMOX_TOKEN: 'svc@pve!pc=s3cr3t',
      PROXMOX_CA_FILE: join(dir, 'ca.pem'),
      PROXMOX_SSH_HOST: 'pve',
      PROXMOX_SSH_KEY_FILE: join(dir, 'id'),
      PROXMOX_SSH_HOST_KEY_FINGERPRINT: 'SHA256:abc',
    });
    expect(cfg).toEqual({
      baseUrl: 'https://pve:8006',
      auth: { tokenId: 'svc@pve!pc', secret: 's3cr3t' },
      tls: { ca: 'PEM' },
      ssh: {
        host: 'pve',
        port: 22,
        username: 'root',
        password: undefined,
        privateKey: 'KEY',
        passphrase: undefined,
        hostKeyFingerprint: 'SHA256:abc',
      },
    });
  });

  it('refuses ambiguous or incomplete settings', () => {
    const base = { PROXMOX_URL: 'https://pve:8006', PROXMOX_TOKEN: 'a@pve!b=c' };
    expect(() => proxmoxConfigFromEnv({ PROXMOX_URL: 'https://x' })).toThrow(/PROXMOX_TOKEN/);
    expect(() => proxmoxConfigFromEnv({ ...base, PROXMOX_FINGERPRINT: 'x', PROXMOX_CA_FILE: '/x' })).toThrow(
      /not both/,
    );
    expect(() => proxmoxConfigFromEnv({ ...base, PROXMOX_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      /PROXMOX_CA_FILE/,
    );
    expect(() =>
      proxmoxConfigFromEnv({ ...base, PROXMOX_SSH_HOST: 'pve', PROXMOX_SSH_PASSWORD: 'x' }),
    ).toThrow(/HOST_KEY_FINGERPRINT/);
    expect(() =>
      proxmoxConfigFromEnv({
        ...base,
        PROXMOX_SSH_HOST: 'pve',
        PROXMOX_SSH_HOST_KEY_FINGERPRINT: 'SHA256:x',
      }),
    ).toThrow(/KEY_FILE or PROXMOX_SSH_PASSWORD/);
    expect(
      proxmoxConfigFromEnv({
        PROXMOX_URL: 'https://x',
        PROXMOX_USER: 'root',
        PROXMOX_PASSWORD: 'p',
        PROXMOX_REALM: 'pam',
      })?.auth,
    ).toEqual({
      username: 'root',
      password: 'p',
      realm: 'pam',
    });
  });
});
