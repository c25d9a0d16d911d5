/**
 * Shared Proxmox glue for every module that talks to PVE: how PVE failures become operation
 * errors and API errors, and how ProxiCloud marks the guests it owns.
 */
import {
  ExecutorError,
  HostAgentCommandError,
  HostAgentValidationError,
  ProxmoxApiError,
  ProxmoxConnectionError,
  ProxmoxError,
  ProxmoxTaskError,
  ProxmoxTimeoutError,
  ProxmoxTlsError,
} from '@proxicloud/proxmox-client';
import type { ProxmoxConnection } from '../../deps.ts';
import {
  type AppError,
  isAppError,
  UnavailableError,
  UnprocessableError,
  UpstreamError,
} from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { HostAgentUnavailableError } from '../../platform/proxmox.ts';
import type { OperationError } from '../operations/index.ts';

/** A failure the operation shows as is (code + message), e.g. an interrupted create. */
export class ComputeError extends Error {
  override name = 'ComputeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Tag on every guest ProxiCloud creates (plus the instance id as a second tag). */
export const PC_TAG = 'proxicloud';
const INSTANCE_ID = /^i-[0-9a-f]{17}$/;

export function guestTags(instanceId: string): string {
  return `${PC_TAG};${instanceId}`;
}

export function parseTags(tags: string | undefined | null): string[] {
  return (tags ?? '')
    .split(/[;,\s]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The ProxiCloud instance id a guest is tagged with, or null for guests we did not create. */
export function taggedInstanceId(tags: string | undefined | null): string | null {
  const list = parseTags(tags);
  if (!list.includes(PC_TAG)) return null;
  return list.find((t) => INSTANCE_ID.test(t)) ?? null;
}

export function guestDescription(instanceId: string, ownerId: string): string {
  return `Managed by ProxiCloud. instance=${instanceId} owner=${ownerId}. Changes made here may be reverted.`;
}

/** PVE says the guest/volume is not there (any node). */
export function isGone(e: unknown): boolean {
  return (
    e instanceof ProxmoxApiError &&
    (e.status === 500 || e.status === 404) &&
    /does not exist|no such/i.test(e.pveMessage)
  );
}

/** nextid race: another create took that VMID first. */
export function isVmidTaken(e: unknown): boolean {
  if (!(e instanceof ProxmoxApiError)) return false;
  return /already exists/i.test(e.pveMessage) || /already exists/i.test(Object.values(e.errors).join(' '));
}

/** The node (or the whole API) cannot be reached right now. */
export function isUnreachable(e: unknown): boolean {
  return (
    e instanceof ProxmoxConnectionError ||
    e instanceof ProxmoxTimeoutError ||
    (e instanceof ProxmoxApiError &&
      (e.status === 595 || e.status === 596 || e.status === 503 || e.status === 0))
  );
}

/** What an operation row shows for an error. Internal errors are logged, not shown. */
export function operationErrorOf(e: unknown, logger?: Logger): OperationError {
  if (e instanceof ComputeError) return { code: e.code, message: e.message };
  if (e instanceof ProxmoxTaskError) {
    return {
      code: 'pve_task_failed',
      message: `Proxmox task on node ${e.node} failed: ${e.exitstatus}`,
      details: { node: e.node, upid: e.upid, exitstatus: e.exitstatus, log: e.logTail },
    };
  }
  if (isUnreachable(e)) {
    const err = e as ProxmoxError;
    return {
      code: 'pve_unreachable',
      message: `Proxmox is not reachable: ${err.message}`,
      ...(err instanceof ProxmoxApiError ? { details: { status: err.status, path: err.path } } : {}),
    };
  }
  if (e instanceof ProxmoxApiError) {
    return {
      code: 'pve_api_error',
      message: `Proxmox refused ${e.method} ${e.path}: ${e.pveMessage}`,
      details: { status: e.status, ...(Object.keys(e.errors).length ? { errors: e.errors } : {}) },
    };
  }
  if (e instanceof ProxmoxTlsError) return { code: 'pve_tls_error', message: e.message };
  if (e instanceof ProxmoxError) return { code: 'pve_error', message: e.message };
  if (e instanceof HostAgentCommandError) {
    return {
      code: 'host_agent_error',
      message: e.message,
      details: { command: e.command, exitCode: e.exitCode },
    };
  }
  if (
    e instanceof HostAgentValidationError ||
    e instanceof HostAgentUnavailableError ||
    e instanceof ExecutorError
  ) {
    return { code: 'host_agent_error', message: e.message };
  }
  if (isAppError(e)) {
    const app = e as AppError;
    return { code: app.code, message: app.message, ...(app.details ? { details: app.details } : {}) };
  }
  logger?.error({ err: e }, 'unexpected error in operation');
  return { code: 'internal_error', message: 'Internal error (see the server log)' };
}

/** For synchronous request paths: a PVE failure as an API error (502/503/422). */
export function apiErrorOf(e: unknown): unknown {
  if (isAppError(e)) return e;
  if (e instanceof HostAgentUnavailableError)
    return new UnprocessableError(e.message, undefined, 'host_agent_unavailable');
  // PVE answered (503, or 595/596 from pveproxy): say so with its status and message, not "unreachable"
  if (e instanceof ProxmoxApiError && e.status !== 0 && isUnreachable(e)) {
    return new UnavailableError(
      `Proxmox VE answered ${e.method} ${e.path} with ${e.status} ${e.pveMessage}; try again shortly`,
      { status: e.status, path: e.path, method: e.method, pveStatus: e.status, pveMessage: e.pveMessage },
    );
  }
  const op = operationErrorOf(e);
  if (op.code === 'internal_error') return e;
  if (op.code === 'pve_unreachable') return new UnavailableError(op.message, op.details);
  return new UpstreamError(op.message, { code: op.code, ...(op.details ?? {}) });
}

/** The connection, or 503 when the server runs without one (tests, misconfiguration). */
export function requireProxmox(conn: ProxmoxConnection | undefined): ProxmoxConnection {
  if (!conn) throw new UnavailableError('No Proxmox connection is configured');
  return conn;
}
