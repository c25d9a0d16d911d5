import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/bcrypt';
import { ValidationError } from '../../platform/errors.ts';
import { passwordProblem } from '../../platform/password-policy.ts';

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

export {
  PASSWORD_MAX,
  PASSWORD_MIN,
  type PasswordProblem,
  type PasswordRefusal,
  passwordProblem,
} from '../../platform/password-policy.ts';

/** Throws a 400 validation_error naming the field and the reason when the password is refused. */
export function assertPasswordAllowed(password: string, username: string | null, field: string): void {
  const problem = passwordProblem(password, username);
  if (problem) {
    throw new ValidationError(`Password ${problem.message}`, { field, reason: problem.reason });
  }
}
