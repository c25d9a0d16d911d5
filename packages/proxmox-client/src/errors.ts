/**
 * Typed errors of the Proxmox client. None of them ever carries a secret: no token, password,
 * ticket or CSRF token, and no request body (which may contain passwords). Paths are API paths
 * (`/nodes/pve1/qemu/100/config`) and never contain credentials.
 */

/** Base class: every error this package throws extends it. */
export class ProxmoxError extends Error {
  override name = 'ProxmoxError';
}

export interface RequestRef {
  /** HTTP method. */
  method: string;
  /** API path below `/api2/json`, without query string. */
  path: string;
}

/** PVE answered with a non-2xx status (400 parameter errors, 500 "VM is locked", 403 …). */
export class ProxmoxApiError extends ProxmoxError {
  override name = 'ProxmoxApiError';
  readonly status: number;
  /** PVE's own message (the HTTP reason phrase or the body's `message`). */
  readonly pveMessage: string;
  /** Per-parameter errors from a 400 answer (`{"errors": {"vmid": "..."}}`). */
  readonly errors: Record<string, string>;
  readonly method: string;
  readonly path: string;

  constructor(init: RequestRef & { status: number; pveMessage: string; errors?: Record<string, string> }) {
    const errors = init.errors ?? {};
    const detail = Object.entries(errors)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    super(
      `Proxmox API ${init.method} ${init.path} failed with ${init.status}: ${init.pveMessage}` +
        (detail ? ` (${detail})` : ''),
    );
    this.status = init.status;
    this.pveMessage = init.pveMessage;
    this.errors = errors;
    this.method = init.method;
    this.path = init.path;
  }
}

/** 401: the token or ticket was refused. */
export class ProxmoxAuthError extends ProxmoxApiError {
  override name = 'ProxmoxAuthError';
}

/** A request (or a task wait) took longer than allowed. */
export class ProxmoxTimeoutError extends ProxmoxError {
  override name = 'ProxmoxTimeoutError';
  readonly method?: string;
  readonly path?: string;
  readonly timeoutMs: number;
  /** Set for `tasks.wait` timeouts: the task may still be running on the node. */
  readonly upid?: string;
  readonly node?: string;

  constructor(
    message: string,
    init: { timeoutMs: number; method?: string; path?: string; upid?: string; node?: string },
  ) {
    super(message);
    this.timeoutMs = init.timeoutMs;
    this.method = init.method;
    this.path = init.path;
    this.upid = init.upid;
    this.node = init.node;
  }
}

/** The connection could not be made or broke (refused, reset, DNS, closed by the peer). */
export class ProxmoxConnectionError extends ProxmoxError {
  override name = 'ProxmoxConnectionError';
  readonly method: string;
  readonly path: string;
  /** System or undici error code (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, …). */
  readonly code?: string;
  /** True when the failure happened before any byte of the request was sent. */
  readonly beforeSend: boolean;

  constructor(init: RequestRef & { code?: string; beforeSend: boolean; reason: string; cause?: unknown }) {
    super(`Proxmox API ${init.method} ${init.path}: connection failed (${init.reason})`, {
      cause: init.cause,
    });
    this.method = init.method;
    this.path = init.path;
    this.code = init.code;
    this.beforeSend = init.beforeSend;
  }
}

/** TLS trust failure: pinned fingerprint mismatch or an untrusted certificate. */
export class ProxmoxTlsError extends ProxmoxError {
  override name = 'ProxmoxTlsError';
  readonly expectedFingerprint?: string;
  readonly actualFingerprint?: string;

  constructor(message: string, init: { expected?: string; actual?: string; cause?: unknown } = {}) {
    super(message, { cause: init.cause });
    this.expectedFingerprint = init.expected;
    this.actualFingerprint = init.actual;
  }
}

/** A PVE task ended with an exit status other than `OK`. */
export class ProxmoxTaskError extends ProxmoxError {
  override name = 'ProxmoxTaskError';
  readonly node: string;
  readonly upid: string;
  readonly exitstatus: string;
  /** The last lines of the task log (`t` of each line). */
  readonly logTail: string[];

  constructor(init: { node: string; upid: string; exitstatus: string; logTail: string[] }) {
    const tail = init.logTail.length
      ? `\n--- task log (last ${init.logTail.length} lines) ---\n${init.logTail.join('\n')}`
      : '';
    super(`Proxmox task ${init.upid} on node ${init.node} failed: ${init.exitstatus}${tail}`);
    this.node = init.node;
    this.upid = init.upid;
    this.exitstatus = init.exitstatus;
    this.logTail = init.logTail;
  }
}

/**
 * Build the error for a non-2xx answer. PVE puts its message in the HTTP reason phrase (the status
 * line) and, for parameter errors, `{"data": null, "errors": {...}}` in the body; newer versions
 * may also include `message`.
 */
export function apiErrorFromResponse(
  ref: RequestRef,
  status: number,
  statusText: string | undefined,
  body: unknown,
): ProxmoxApiError {
  let pveMessage = (statusText ?? '').trim();
  let errors: Record<string, string> | undefined;
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; errors?: unknown };
    if (typeof b.message === 'string' && b.message.trim()) pveMessage = b.message.trim();
    if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)) {
      errors = {};
      for (const [k, v] of Object.entries(b.errors as Record<string, unknown>)) {
        errors[k] = typeof v === 'string' ? v.trim() : JSON.stringify(v);
      }
    }
  } else if (typeof body === 'string' && body.trim() && !pveMessage) {
    pveMessage = body.trim().slice(0, 500);
  }
  if (!pveMessage) pveMessage = `HTTP ${status}`;
  const init = { ...ref, status, pveMessage, errors };
  return status === 401 ? new ProxmoxAuthError(init) : new ProxmoxApiError(init);
}
