/**
 * The password policy, pure and shared: the server's config check refuses a weak
 * PROXICLOUD_ADMIN_PASSWORD at start with it, and iam applies it to every password the API takes.
 */
import { createRequire } from 'node:module';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/**
 * Password policy beyond length (issue 10). Refused: whitespace only; one character repeated;
 * the username itself (case-insensitively), also with only digits/symbols added ("alice2024!",
 * "2024alice") — a username inside a longer passphrase with other words ("alice-likes-tea") is
 * allowed; and any password on the bundled common-password list (@zxcvbn-ts/language-common,
 * 49k leaked passwords, compared case-insensitively). Returns why, or null when it is fine.
 */
export type PasswordRefusal =
  | 'too_short'
  | 'too_long'
  | 'whitespace_only'
  | 'repeated_character'
  | 'contains_username'
  | 'common_password';

export interface PasswordProblem {
  reason: PasswordRefusal;
  message: string;
}

let commonPasswords: Set<string> | null = null;

/** The common-password list, loaded on first use (keeps ~0.3 s and a few MB off start-up). */
function common(): Set<string> {
  if (commonPasswords === null) {
    const require = createRequire(import.meta.url);
    const pkg = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    const list = pkg.dictionary['passwords-common'] ?? [];
    // Shorter ones are refused by length anyway.
    commonPasswords = new Set(list.filter((p) => p.length >= PASSWORD_MIN).map((p) => p.toLowerCase()));
  }
  return commonPasswords;
}

export function passwordProblem(password: string, username?: string | null): PasswordProblem | null {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN)
    return { reason: 'too_short', message: `must be at least ${PASSWORD_MIN} characters long` };
  if (chars.length > PASSWORD_MAX)
    return { reason: 'too_long', message: `must be at most ${PASSWORD_MAX} characters long` };
  if (password.trim().length === 0)
    return { reason: 'whitespace_only', message: 'must not consist of whitespace only' };
  if (chars.every((c) => c === chars[0]))
    return { reason: 'repeated_character', message: 'must not be a single character repeated' };
  const lower = password.toLowerCase();
  const user = username?.trim().toLowerCase();
  if (user) {
    const rest = lower.trim().split(user).join('');
    if (rest.length !== lower.trim().length && !/\p{L}/u.test(rest)) {
      return {
        reason: 'contains_username',
        message: 'must not be the username (or the username with only digits or symbols added)',
      };
    }
  }
  if (common().has(lower) || common().has(lower.trim()))
    return {
      reason: 'common_password',
      message: 'is on the list of commonly used passwords (choose a longer passphrase)',
    };
  return null;
}
