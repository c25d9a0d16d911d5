/**
 * The two protocols PVE speaks on `vncwebsocket`, as far as a proxy needs them to log in with the
 * ticket so that the ticket never reaches the end user:
 *  - RFB (vncproxy): VNC authentication, the ticket (or generated password) as the password;
 *  - termproxy (termproxy, serial): first frame `user:ticket\n`, answered with `OK`; then input
 *    `0:LEN:DATA` (LEN = UTF-8 bytes), resize `1:COLS:ROWS:`, ping `2`.
 */
import { createCipheriv } from 'node:crypto';

/** VNC authentication: DES-ECB of the challenge under the bit-reversed password bytes (first 8). */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i]!;
    let r = 0;
    for (let j = 0; j < 8; j++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  // 3DES with K1 = K2 = K3 is single DES (plain DES is a legacy-provider cipher in OpenSSL 3).
  const c = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(challenge), c.final()]);
}

/** termproxy input frame. */
export function termInput(data: string | Buffer): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return `0:${bytes.length}:${bytes.toString('utf8')}`;
}

/** termproxy resize frame. */
export function termResize(cols: number, rows: number): string {
  return `1:${Math.max(1, Math.floor(cols))}:${Math.max(1, Math.floor(rows))}:`;
}

/** termproxy keep-alive frame. */
export const TERM_PING = '2';

/** termproxy login frame. */
export function termLogin(user: string, ticket: string): string {
  return `${user}:${ticket}\n`;
}
