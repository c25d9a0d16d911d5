/** Server policy: 10..256 characters. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function passwordProblem(pw: string): string | null {
  if (pw.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (pw.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return null;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.';

/** A random 20-character password from the browser's CSPRNG (about 118 bits). */
export function generatePassword(length = 20): string {
  const out: string[] = [];
  const buf = new Uint8Array(length * 2);
  while (out.length < length) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      // Rejection sampling keeps the distribution uniform.
      if (b < 256 - (256 % ALPHABET.length) && out.length < length) out.push(ALPHABET[b % ALPHABET.length]!);
    }
  }
  return out.join('');
}

export const USERNAME_RE = /^[a-z][a-z0-9._-]{2,31}$/;
export function usernameProblem(u: string): string | null {
  if (!u) return 'Enter a username.';
  if (!USERNAME_RE.test(u))
    return '3–32 characters: lower-case letters, digits, dot, dash or underscore, starting with a letter.';
  return null;
}
