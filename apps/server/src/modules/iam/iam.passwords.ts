import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/bcrypt';

/**
 * bcrypt only reads 72 bytes, so the password is first reduced with SHA-256 (base64, 44 ASCII
 * bytes, no NULs): every character of a 256-character passphrase counts. Async (libuv pool).
 */
function prehash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return hash(prehash(password), cost);
}

export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  try {
    return await verify(prehash(password), passwordHash);
  } catch {
    return false;
  }
}

/** A real hash at the configured cost, to spend the same time on unknown usernames. */
export class DummyHash {
  private value: Promise<string> | null = null;
  constructor(private readonly cost: number) {}
  get(): Promise<string> {
    this.value ??= hashPassword('proxicloud-dummy-password-for-timing', this.cost);
    return this.value;
  }
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
