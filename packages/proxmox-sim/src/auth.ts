/**
 * Authentication as PVE does it: API tokens (`Authorization: PVEAPIToken=USER@REALM!ID=SECRET`)
 * and tickets (`POST /access/ticket` → `PVEAuthCookie` cookie + `CSRFPreventionToken` header on
 * writes). Tickets live two hours; secrets are compared in constant time and never logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PveError } from './errors.ts';

export interface Credentials {
  tokenId: string;
  tokenSecret: string;
  password: string;
}

export interface AuthResult {
  /** `root@pam` for tickets, `root@pam!ci` for tokens */
  user: string;
  kind: 'token' | 'ticket';
}

const TICKET_LIFETIME_S = 7200;

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export class Auth {
  private readonly key = randomBytes(32);
  constructor(private readonly creds: Credentials) {}

  private sign(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64').replace(/=+$/, '');
  }

  /** POST /access/ticket */
  login(username: string, password: string, realm?: string): Record<string, unknown> {
    let user = username;
    if (!user.includes('@')) user = `${user}@${realm ?? 'pam'}`;
    // a valid ticket of the same user renews it (PVE accepts the ticket as the password)
    const renew = password.startsWith('PVE:') && this.checkTicket(password) === user;
    if (user !== 'root@pam' || !(renew || safeEqual(password, this.creds.password)))
      throw new PveError(401, 'authentication failure');
    const ts = Math.floor(Date.now() / 1000)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0');
    const plain = `PVE:${user}:${ts}`;
    const ticket = `${plain}::${this.sign(plain)}`;
    const csrf = `${ts}:${this.sign(`${ts}:${user}`)}`;
    return {
      username: user,
      ticket,
      CSRFPreventionToken: csrf,
      clustername: undefined,
      cap: {
        vms: { 'VM.Allocate': 1, 'VM.PowerMgmt': 1, 'VM.Config.Disk': 1, 'VM.Console': 1, 'VM.Audit': 1 },
        storage: { 'Datastore.Allocate': 1, 'Datastore.AllocateSpace': 1, 'Datastore.Audit': 1 },
        nodes: { 'Sys.Audit': 1, 'Sys.Modify': 1, 'Sys.Console': 1 },
        dc: { 'Sys.Audit': 1, 'SDN.Allocate': 1 },
        access: { 'User.Modify': 1, 'Permissions.Modify': 1 },
        sdn: { 'SDN.Allocate': 1, 'SDN.Audit': 1 },
        mapping: {},
      },
    };
  }

  private checkTicket(ticket: string): string | undefined {
    const m = /^PVE:([^:]+):([0-9A-F]{8})::(.+)$/.exec(ticket);
    if (!m) return undefined;
    const plain = `PVE:${m[1]}:${m[2]}`;
    if (!safeEqual(m[3]!, this.sign(plain))) return undefined;
    const age = Math.floor(Date.now() / 1000) - Number.parseInt(m[2]!, 16);
    if (age < -300 || age > TICKET_LIFETIME_S) return undefined;
    return m[1];
  }

  /** Validates a VNC/term ticket style value (user ticket) as PVE does for websocket auth. */
  userFromTicket(ticket: string): string | undefined {
    return this.checkTicket(ticket);
  }

  /** Authenticates a request or throws 401 with PVE's texts. */
  authenticate(req: IncomingMessage, method: string): AuthResult {
    const header = req.headers.authorization;
    if (header) {
      const m = /^PVEAPIToken=([^=\s]+)=(\S+)$/.exec(header.trim());
      if (!m) throw new PveError(401, 'invalid token value!');
      const [tokenId, secret] = [m[1]!, m[2]!];
      if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/.test(tokenId))
        throw new PveError(401, 'invalid token value!');
      if (tokenId !== this.creds.tokenId || !safeEqual(secret, this.creds.tokenSecret))
        throw new PveError(401, 'authentication failure');
      return { user: tokenId, kind: 'token' };
    }
    const cookie = req.headers.cookie ?? '';
    const cm = /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(cookie);
    if (!cm) throw new PveError(401, 'No ticket');
    let ticket = cm[1]!;
    try {
      ticket = decodeURIComponent(ticket);
    } catch {
      throw new PveError(401, 'authentication failure');
    }
    const user = this.checkTicket(ticket);
    if (!user) throw new PveError(401, 'authentication failure');
    if (method !== 'GET') {
      const csrf = req.headers.csrfpreventiontoken;
      const token = Array.isArray(csrf) ? csrf[0] : csrf;
      const tm = token ? /^([0-9A-F]{8}):(.+)$/.exec(token) : null;
      if (!tm || !safeEqual(tm[2]!, this.sign(`${tm[1]}:${user}`)))
        throw new PveError(401, 'Permission denied - invalid csrf token');
    }
    return { user, kind: 'ticket' };
  }
}
