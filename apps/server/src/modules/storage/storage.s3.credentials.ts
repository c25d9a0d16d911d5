import { createHmac } from 'node:crypto';

/**
 * Server-derived presign credentials (for the REST presign endpoint and share links).
 *
 * The REST API cannot read a user's access key secrets back (they are shown once), and the web
 * console has none. So presigned URLs are signed with a credential derived per user from the
 * server's master key: access key id `PCPS<base32(user id)>`, secret
 * HMAC-SHA256(masterKey, "proxicloud/s3-presign/v1/<user id>"). The secret never leaves the
 * server; the S3 endpoint recomputes it to verify the URL. These credentials are accepted only
 * for presigned (query) authentication of object GET/HEAD/PUT and UploadPart, they carry the
 * user's current role and status (a disabled user's links stop working), and they expire like
 * any presigned URL (at most 7 days). Rotating the master key revokes every outstanding link.
 */

export const PRESIGN_KEY_PREFIX = 'PCPS';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text) {
    const v = BASE32.indexOf(c);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function presignAccessKeyId(userId: string): string {
  return `${PRESIGN_KEY_PREFIX}${base32(Buffer.from(userId, 'utf8'))}`;
}

export function userIdFromPresignKey(accessKeyId: string): string | null {
  if (!accessKeyId.startsWith(PRESIGN_KEY_PREFIX) || accessKeyId.length > 200) return null;
  const raw = unbase32(accessKeyId.slice(PRESIGN_KEY_PREFIX.length));
  if (!raw || raw.length === 0) return null;
  const id = raw.toString('utf8');
  return /^[a-z]{2,8}-[0-9a-z]{1,64}$/.test(id) && presignAccessKeyId(id) === accessKeyId ? id : null;
}

export function presignSecret(masterKey: Buffer, userId: string): string {
  return createHmac('sha256', masterKey).update(`proxicloud/s3-presign/v1/${userId}`).digest('base64url');
}
