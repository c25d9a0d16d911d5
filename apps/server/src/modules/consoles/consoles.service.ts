import { ProxmoxApiError } from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, randomToken, sha256Hex } from '../../platform/crypto.ts';
import type { Actor } from '../../platform/db/repository.ts';
import { ConflictError, NotFoundError, UnprocessableError, UpstreamError } from '../../platform/errors.ts';
import type { Authenticator } from '../iam/index.ts';
import { authorize, can } from '../iam/index.ts';
import type { InstanceRow, InstancesPort } from '../instances/index.ts';
import { apiErrorOf } from '../proxmox/index.ts';
import type { ConsoleSession, ConsoleType } from './consoles.schemas.ts';

/** PVE's side of a session: what only the server may know (the ticket never leaves the process). */
export interface PveTicket {
  node: string;
  kind: 'qemu' | 'lxc';
  vmid: number;
  port: string;
  ticket: string;
  /** The PVE user the ticket belongs to (termproxy login: `user:ticket`). */
  user: string;
  /** When PVE issued it (epoch ms): its proxy task waits ~10 s for the connection. */
  issuedAt: number;
}

/** A created, not yet opened session. */
export interface PendingSession {
  id: string;
  actor: Actor;
  instanceId: string;
  instanceName: string;
  type: ConsoleType;
  pve: PveTicket;
  expiresAt: number;
}

export interface ConsolesSettings {
  /** How long a created session may wait to be opened (≤ 30 s). */
  connectTtlMs: number;
  /** Close a session after this long without input from the user (0 = never). */
  idleTimeoutMs: number;
  /** Origins allowed besides the server's own (exact `scheme://host[:port]`). */
  allowedOrigins: string[];
  /** Ask PVE for a fresh ticket when the stored one is older than this at connect time. */
  ticketReuseMs: number;
}

export interface ConsolesServiceDeps {
  instances: Pick<InstancesPort, 'findScoped'>;
  proxmox: () => ProxmoxConnection;
  authenticator: Pick<Authenticator, 'recheck'>;
  clock: Clock;
  settings: ConsolesSettings;
}

const MAX_PENDING = 10_000;
/** Unopened sessions one user may have at a time (each one starts a console task on Proxmox). */
const MAX_PENDING_PER_USER = 20;

/**
 * Console sessions: checks that the caller may use the instance, asks PVE for a console ticket
 * and hands out a one-time token for the websocket. Tokens live in memory only (hashed), bound to
 * the user and the instance, single use and short-lived; the PVE ticket stays in this process.
 */
export class ConsolesService {
  private readonly pending = new Map<string, PendingSession>();

  constructor(private readonly deps: ConsolesServiceDeps) {}

  get settings(): ConsolesSettings {
    return this.deps.settings;
  }

  async create(actor: Actor, instanceId: string, type: ConsoleType, wsBase: string): Promise<ConsoleSession> {
    authorize(actor, 'instances', 'console');
    const row = await this.deps.instances.findScoped(actor, instanceId);
    if (!row) throw new NotFoundError('Instance', instanceId);
    const target = consoleTarget(row, type);
    this.purge();
    let mine = 0;
    for (const s of this.pending.values()) if (s.actor.id === actor.id) mine++;
    if (mine >= MAX_PENDING_PER_USER || this.pending.size >= MAX_PENDING)
      throw new ConflictError(
        'Too many console sessions are waiting to be opened; open them or wait 30 seconds',
        { pendingSessions: mine },
        'too_many_console_sessions',
      );
    const pve = await this.ticket(target, type);
    const token = randomToken(32);
    const now = this.deps.clock.now().getTime();
    const session: PendingSession = {
      id: newId('con'),
      actor,
      instanceId: row.id,
      instanceName: row.name,
      type,
      pve,
      expiresAt: now + this.deps.settings.connectTtlMs,
    };
    this.pending.set(sha256Hex(token), session);
    return {
      sessionId: session.id,
      type,
      instanceId: row.id,
      url: `${wsBase}/api/v1/console/ws?session=${token}`,
      expiresAt: new Date(session.expiresAt).toISOString(),
    };
  }

  /**
   * Redeem a token (single use): the session, or a reason why not. Checks again that the user's
   * credentials still hold and that they may still use the instance.
   */
  async redeem(
    token: string,
  ): Promise<
    | { session: PendingSession; actor: Actor }
    | { refused: 'invalid' }
    | { refused: 'expired' | 'revoked'; session: PendingSession }
  > {
    const key = sha256Hex(token);
    const session = this.pending.get(key);
    if (!session) return { refused: 'invalid' };
    this.pending.delete(key);
    if (session.expiresAt < this.deps.clock.now().getTime()) return { refused: 'expired', session };
    const actor = await this.stillAllowed(session.actor, session.instanceId);
    if (!actor) return { refused: 'revoked', session };
    return { session, actor };
  }

  /** The actor as they are now when they may still open a console on the instance, else null. */
  async stillAllowed(actor: Actor, instanceId: string): Promise<Actor | null> {
    const now = await this.deps.authenticator.recheck(actor);
    if (!now || now.id !== actor.id || !can(now, 'instances', 'console')) return null;
    const row = await this.deps.instances.findScoped(now, instanceId);
    if (row?.status !== 'running') return null;
    return now;
  }

  /** A ticket fresh enough to connect with (PVE's proxy task gives up ~10 s after issuing). */
  async freshTicket(session: PendingSession): Promise<PveTicket> {
    const age = this.deps.clock.now().getTime() - session.pve.issuedAt;
    if (age <= this.deps.settings.ticketReuseMs) return session.pve;
    return this.ticket(session.pve, session.type);
  }

  private async ticket(
    target: { node: string; kind: 'qemu' | 'lxc'; vmid: number },
    type: ConsoleType,
  ): Promise<PveTicket> {
    const guest = this.deps.proxmox().client.node(target.node).guest(target.kind, target.vmid);
    try {
      const r =
        type === 'vnc'
          ? await guest.vncproxy({ websocket: true })
          : await guest.termproxy(type === 'serial' ? { serial: 'serial0' } : {});
      return {
        ...target,
        port: String(r.port),
        ticket: r.ticket,
        user: r.user,
        issuedAt: this.deps.clock.now().getTime(),
      };
    } catch (e) {
      const msg = (e as Error).message ?? '';
      if (/serial0 is not configured|not configured/i.test(msg))
        throw new UnprocessableError(
          'This VM has no serial port (serial0); add one or use the VNC console',
          undefined,
          'serial_not_configured',
        );
      if (/not running/i.test(msg))
        throw new ConflictError('The instance is not running', undefined, 'instance_not_running');
      if (e instanceof ProxmoxApiError && e.status === 403) {
        const priv = /Permission check failed \(([^,]+), ([A-Za-z.]+)\)/.exec(e.pveMessage);
        throw new UpstreamError(
          `Proxmox refused the console: ProxiCloud's API token lacks ${priv?.[2] ?? 'VM.Console'} on ` +
            `${priv?.[1] ?? `/vms/${target.vmid}`}. An administrator adds it to the token's role ` +
            '(docs/proxmox.md); `proxicloud doctor` checks it.',
          { code: 'pve_permission_denied', privilege: priv?.[2] ?? 'VM.Console', pveMessage: e.pveMessage },
        );
      }
      throw apiErrorOf(e);
    }
  }

  private purge(): void {
    const now = this.deps.clock.now().getTime();
    for (const [k, s] of this.pending) if (s.expiresAt < now) this.pending.delete(k);
  }
}

/** Where the console of an instance is, and whether that kind of console fits it. */
export function consoleTarget(
  row: InstanceRow,
  type: ConsoleType,
): { node: string; kind: 'qemu' | 'lxc'; vmid: number } {
  if (row.status !== 'running' || row.vmid === null || row.node === null)
    throw new ConflictError(
      `The instance is ${row.status}; start it to open a console`,
      { status: row.status },
      'instance_not_running',
    );
  const kind = row.type === 'vm' ? 'qemu' : 'lxc';
  if (type === 'serial' && kind !== 'qemu')
    throw new UnprocessableError("A container has no serial port: use type 'terminal'", {
      type,
    });
  if (type === 'terminal' && kind === 'qemu')
    throw new UnprocessableError(
      "A VM's text console is its serial port: use type 'serial' (or 'vnc' for its screen)",
      { type },
    );
  return { node: row.node, kind, vmid: row.vmid };
}
