import { readFileSync } from 'node:fs';
import { ProxmoxError } from './errors.ts';
import type { SshExecutorOptions } from './host-agent/executor.ts';
import type { TlsOptions } from './tls.ts';
import type { AuthOptions } from './transport.ts';

export interface ProxmoxEnvConfig {
  baseUrl: string;
  auth: AuthOptions;
  tls?: TlsOptions;
  /** Present when PROXMOX_SSH_HOST is set. */
  ssh?: SshExecutorOptions;
}

/** `USER@REALM!TOKENID=SECRET` → `{tokenId, secret}` (the secret is everything after the first '='). */
export function parseTokenString(token: string): { tokenId: string; secret: string } {
  const eq = token.indexOf('=');
  const tokenId = eq > 0 ? token.slice(0, eq).trim() : '';
  const secret = eq > 0 ? token.slice(eq + 1).trim() : '';
  if (!/^[^@!\s]+@[^@!\s]+![A-Za-z][A-Za-z0-9._-]*$/.test(tokenId) || !secret) {
    throw new ProxmoxError('PROXMOX_TOKEN must look like USER@REALM!TOKENID=SECRET');
  }
  return { tokenId, secret };
}

/**
 * Reads the documented environment variables (see docs/proxmox.md). Returns undefined when
 * PROXMOX_URL is not set. Errors name the variable, never its value.
 *
 * PROXMOX_URL, PROXMOX_TOKEN (or PROXMOX_USER + PROXMOX_PASSWORD [+ PROXMOX_REALM]),
 * PROXMOX_FINGERPRINT or PROXMOX_CA_FILE, PROXMOX_SSH_HOST, PROXMOX_SSH_PORT, PROXMOX_SSH_USER,
 * PROXMOX_SSH_PASSWORD or PROXMOX_SSH_KEY_FILE, PROXMOX_SSH_HOST_KEY_FINGERPRINT.
 */
export function proxmoxConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProxmoxEnvConfig | undefined {
  const url = env.PROXMOX_URL?.trim();
  if (!url) return undefined;
  let auth: AuthOptions;
  if (env.PROXMOX_TOKEN) auth = parseTokenString(env.PROXMOX_TOKEN);
  else if (env.PROXMOX_USER && env.PROXMOX_PASSWORD) {
    auth = {
      username: env.PROXMOX_USER,
      password: env.PROXMOX_PASSWORD,
      realm: env.PROXMOX_REALM || undefined,
    };
  } else
    throw new ProxmoxError('PROXMOX_URL is set but neither PROXMOX_TOKEN nor PROXMOX_USER/PROXMOX_PASSWORD');

  let tls: TlsOptions | undefined;
  if (env.PROXMOX_FINGERPRINT && env.PROXMOX_CA_FILE) {
    throw new ProxmoxError('set PROXMOX_FINGERPRINT or PROXMOX_CA_FILE, not both');
  }
  if (env.PROXMOX_FINGERPRINT) tls = { fingerprint: env.PROXMOX_FINGERPRINT };
  else if (env.PROXMOX_CA_FILE) {
    try {
      tls = { ca: readFileSync(env.PROXMOX_CA_FILE, 'utf8') };
    } catch (e) {
      throw new ProxmoxError(`cannot read PROXMOX_CA_FILE (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  let ssh: SshExecutorOptions | undefined;
  if (env.PROXMOX_SSH_HOST) {
    if (!env.PROXMOX_SSH_HOST_KEY_FINGERPRINT) {
      throw new ProxmoxError(
        'PROXMOX_SSH_HOST_KEY_FINGERPRINT is required with PROXMOX_SSH_HOST (host keys are pinned)',
      );
    }
    let privateKey: string | undefined;
    if (env.PROXMOX_SSH_KEY_FILE) {
      try {
        privateKey = readFileSync(env.PROXMOX_SSH_KEY_FILE, 'utf8');
      } catch (e) {
        throw new ProxmoxError(
          `cannot read PROXMOX_SSH_KEY_FILE (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
    if (!privateKey && !env.PROXMOX_SSH_PASSWORD) {
      throw new ProxmoxError('PROXMOX_SSH_HOST needs PROXMOX_SSH_KEY_FILE or PROXMOX_SSH_PASSWORD');
    }
    const port = env.PROXMOX_SSH_PORT ? Number(env.PROXMOX_SSH_PORT) : 22;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ProxmoxError('PROXMOX_SSH_PORT is not a port');
    ssh = {
      host: env.PROXMOX_SSH_HOST,
      port,
      username: env.PROXMOX_SSH_USER || 'root',
      password: env.PROXMOX_SSH_PASSWORD || undefined,
      privateKey,
      passphrase: env.PROXMOX_SSH_KEY_PASSPHRASE || undefined,
      hostKeyFingerprint: env.PROXMOX_SSH_HOST_KEY_FINGERPRINT,
    };
  }
  return { baseUrl: url, auth, tls, ssh };
}
