/**
 * SSH key material with node:crypto only: generation (ed25519, RSA-4096), the OpenSSH public key
 * line, the OpenSSH private key container for ed25519 (RSA private keys are PKCS#1 PEM, which
 * OpenSSH reads), strict parsing of imported public keys, and fingerprints exactly as
 * `ssh-keygen -l` prints them (SHA256:<base64 without padding>).
 */
import { createHash, generateKeyPair as generateKeyPairCb, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPairCb);

export type KeyAlgorithm = 'ed25519' | 'rsa' | 'ecdsa';

export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
}

export interface PublicKeyInfo {
  /** Wire type: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256|384|521 */
  sshType: string;
  algorithm: KeyAlgorithm;
  bits: number;
  /** SHA256:<base64, no padding>, as ssh-keygen -l shows it */
  fingerprint: string;
  comment: string;
  /** Normalised single line: `<type> <base64> [comment]` */
  publicKey: string;
}

/* ------------------------------------------------------------------ wire format */

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([u32(b.length), b]);
}

/** SSH mpint: big-endian two's complement, minimal, with a 0x00 prefix when the high bit is set. */
function mpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  let b = unsigned.subarray(i);
  if (b.length > 0 && (b[0]! & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.pos + 4 > this.buf.length) throw new KeyFormatError('the key data is truncated');
    const len = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    if (len > this.buf.length - this.pos) throw new KeyFormatError('the key data is truncated');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  done(): boolean {
    return this.pos === this.buf.length;
  }
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function bitLength(unsignedBigEndian: Buffer): number {
  let i = 0;
  while (i < unsignedBigEndian.length && unsignedBigEndian[i] === 0) i++;
  if (i === unsignedBigEndian.length) return 0;
  return (unsignedBigEndian.length - i - 1) * 8 + (32 - Math.clz32(unsignedBigEndian[i]!));
}

/* ------------------------------------------------------------------ parsing */

const ECDSA: Record<string, { curve: string; bits: number; pointLength: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', bits: 256, pointLength: 65 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', bits: 384, pointLength: 97 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', bits: 521, pointLength: 133 },
};

export const MAX_COMMENT = 100;

/**
 * Parse one OpenSSH public key line (`ssh-ed25519 AAAA… comment`). Accepts ssh-ed25519, ssh-rsa
 * (2048–16384 bits) and ecdsa-sha2-nistp256/384/521; refuses private keys, authorized_keys
 * options, several lines, non-canonical base64 and blobs whose inner type does not match.
 */
export function parsePublicKey(input: string): PublicKeyInfo {
  const text = input.replace(/\r?\n$/, '').trim();
  if (/PRIVATE KEY/.test(text)) {
    throw new KeyFormatError(
      'This is a private key. Import the public key (the .pub file) instead; never share the private key',
    );
  }
  if (/[\r\n]/.test(text)) throw new KeyFormatError('Give exactly one public key (one line)');
  if (text.length > 16_384) throw new KeyFormatError('The public key is too long');
  if (
    !/^(ssh-|ecdsa-|sk-)/.test(text) &&
    /(^|\s)(ssh-[a-z0-9]+|ecdsa-sha2-nistp\d+|sk-\S+)\s+AAAA/.test(text)
  ) {
    throw new KeyFormatError(
      'authorized_keys options (such as command="…") are not accepted; give the bare public key',
    );
  }
  const m = /^(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/.exec(text);
  if (!m) {
    throw new KeyFormatError(
      'Expected an OpenSSH public key: "<type> <base64> [comment]", e.g. "ssh-ed25519 AAAAC3… you@host"',
    );
  }
  const [, type, b64, rawComment] = m as unknown as [string, string, string, string | undefined];
  if (!/^(ssh-|ecdsa-|sk-)/.test(type)) {
    throw new KeyFormatError(
      'authorized_keys options (such as command="…") are not accepted; give the bare public key',
    );
  }
  if (!(type === 'ssh-ed25519' || type === 'ssh-rsa' || type in ECDSA)) {
    throw new KeyFormatError(
      `Key type ${type.slice(0, 40)} is not supported (use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521)`,
    );
  }
  const blob = Buffer.from(b64, 'base64');
  if (blob.toString('base64') !== b64) throw new KeyFormatError('The key data is not valid base64');
  const comment = (rawComment ?? '').trim();
  if (comment.length > MAX_COMMENT)
    throw new KeyFormatError(`The key comment is longer than ${MAX_COMMENT} characters`);
  if (!/^[\x20-\x7e]*$/.test(comment))
    throw new KeyFormatError('The key comment may only contain printable ASCII characters');

  const r = new Reader(blob);
  const inner = r.string().toString('latin1');
  if (inner !== type)
    throw new KeyFormatError(`The key data is a ${inner.slice(0, 40)} key, but the line says ${type}`);
  let bits: number;
  let algorithm: KeyAlgorithm;
  if (type === 'ssh-ed25519') {
    const pk = r.string();
    if (pk.length !== 32) throw new KeyFormatError('An ed25519 public key has 32 bytes');
    bits = 256;
    algorithm = 'ed25519';
  } else if (type === 'ssh-rsa') {
    const e = r.string();
    const n = r.string();
    if (e.length === 0 || e.length > 8 || (e[e.length - 1]! & 1) === 0)
      throw new KeyFormatError('Invalid RSA public exponent');
    bits = bitLength(n);
    if (bits < 2048) throw new KeyFormatError(`RSA keys must have at least 2048 bits (this one has ${bits})`);
    if (bits > 16_384) throw new KeyFormatError('RSA keys larger than 16384 bits are not supported');
    algorithm = 'rsa';
  } else {
    const spec = ECDSA[type]!;
    const curve = r.string().toString('latin1');
    if (curve !== spec.curve)
      throw new KeyFormatError(`The curve ${curve.slice(0, 20)} does not match ${type}`);
    const q = r.string();
    if (q.length !== spec.pointLength || q[0] !== 4) throw new KeyFormatError('Invalid ECDSA public point');
    bits = spec.bits;
    algorithm = 'ecdsa';
  }
  if (!r.done()) throw new KeyFormatError('The key data has trailing bytes');
  return {
    sshType: type,
    algorithm,
    bits,
    fingerprint: fingerprintOf(blob),
    comment,
    publicKey: comment ? `${type} ${b64} ${comment}` : `${type} ${b64}`,
  };
}

/* ------------------------------------------------------------------ generation */

export interface GeneratedKeyPair extends PublicKeyInfo {
  /** OpenSSH private key (ed25519) or PKCS#1 PEM (RSA); shown once, never stored. */
  privateKey: string;
  privateKeyFormat: 'openssh' | 'pem';
}

function wrap(b64: string, width: number): string {
  return b64.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');
}

/** The `openssh-key-v1` container, unencrypted, for one ed25519 key (what ssh-keygen writes). */
function opensshEd25519Private(pub: Buffer, seed: Buffer, comment: string): string {
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    u32(1),
    sshString(pubBlob),
    sshString(priv),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString('base64'), 70)}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

export async function generateKeyPair(
  algorithm: 'ed25519' | 'rsa',
  comment: string,
): Promise<GeneratedKeyPair> {
  if (!/^[\x20-\x7e]{0,100}$/.test(comment)) throw new KeyFormatError('Invalid key comment');
  if (algorithm === 'ed25519') {
    const { publicKey, privateKey } = await generateKeyPairAsync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' }) as { x: string; d: string };
    void publicKey;
    const pub = Buffer.from(jwk.x, 'base64url');
    const seed = Buffer.from(jwk.d, 'base64url');
    const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
    const line = `ssh-ed25519 ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
    return {
      ...parsePublicKey(line),
      privateKey: opensshEd25519Private(pub, seed, comment),
      privateKeyFormat: 'openssh',
    };
  }
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 4096, publicExponent: 0x10001 });
  const jwk = privateKey.export({ format: 'jwk' }) as { n: string; e: string };
  const blob = Buffer.concat([
    sshString('ssh-rsa'),
    mpint(Buffer.from(jwk.e, 'base64url')),
    mpint(Buffer.from(jwk.n, 'base64url')),
  ]);
  const line = `ssh-rsa ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
  return {
    ...parsePublicKey(line),
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    privateKeyFormat: 'pem',
  };
}
