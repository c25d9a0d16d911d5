/** A fresh OpenSSH ed25519 public key line (tests and benchmarks that import keys). */
import { generateKeyPairSync } from 'node:crypto';

export function testSshPublicKey(comment = ''): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const part = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const key = `ssh-ed25519 ${Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]).toString('base64')}`;
  return comment ? `${key} ${comment}` : key;
}
