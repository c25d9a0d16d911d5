/**
 * Errors and exit codes. Scripts rely on the exit codes: they are part of the CLI's interface and
 * documented in `proxicloud --help` and docs/cli.md. Never renumber them.
 */
export const ExitCode = {
  ok: 0,
  general: 1,
  usage: 2,
  unauthenticated: 3,
  forbidden: 4,
  notFound: 5,
  conflict: 6,
  validation: 7,
  rateLimited: 8,
  unreachable: 9,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code table as printed in `--help` and docs/cli.md: [code, short name, explanation]. */
export const EXIT_CODE_HELP: ReadonlyArray<readonly [ExitCode, string, string]> = [
  [ExitCode.ok, 'ok', 'success'],
  [ExitCode.general, 'error', 'general or server error (5xx); `audit verify` found a broken chain'],
  [ExitCode.usage, 'usage', 'usage error (unknown command or option, bad or missing argument)'],
  [
    ExitCode.unauthenticated,
    'not authenticated',
    'not authenticated (401, no stored credentials, session expired)',
  ],
  [ExitCode.forbidden, 'forbidden', 'forbidden (403: your role may not do this)'],
  [ExitCode.notFound, 'not found', 'not found (404)'],
  [ExitCode.conflict, 'conflict', 'conflict (409: e.g. the username is taken, the user owns resources)'],
  [ExitCode.validation, 'validation', 'validation error (400/422: the server rejected the input)'],
  [ExitCode.rateLimited, 'rate limited', 'rate limited (429: e.g. too many failed logins; retry later)'],
  [ExitCode.unreachable, 'unreachable', 'cannot reach the server (connection refused, DNS, timeout, TLS)'],
];

export interface CliErrorOptions {
  exitCode?: ExitCode;
  /** Machine-readable code: the API's `error.code`, or a CLI-side code such as `not_logged_in`. */
  code?: string;
  requestId?: string;
  details?: unknown;
  /** One extra line telling the user what to do next. */
  hint?: string;
  cause?: unknown;
}

/** An error the CLI reports as `Error: <message> (code, request id …)` and exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly details: unknown;
  readonly hint: string | undefined;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.general;
    this.code = options.code;
    this.requestId = options.requestId;
    this.details = options.details;
    this.hint = options.hint;
  }
}

/** A usage error (exit 2): bad flag value, missing input, conflicting options. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, code: 'usage_error', ...(hint ? { hint } : {}) });
    this.name = 'UsageError';
  }
}

/** An error answer from the API (any non-2xx status). */
export class ApiError extends CliError {
  readonly status: number;

  constructor(status: number, message: string, options: CliErrorOptions = {}) {
    super(message, { ...options, exitCode: options.exitCode ?? exitCodeForStatus(status) });
    this.name = 'ApiError';
    this.status = status;
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  switch (status) {
    case 400:
    case 422:
      return ExitCode.validation;
    case 401:
      return ExitCode.unauthenticated;
    case 403:
      return ExitCode.forbidden;
    case 404:
      return ExitCode.notFound;
    case 409:
      return ExitCode.conflict;
    case 429:
      return ExitCode.rateLimited;
    default:
      return ExitCode.general;
  }
}

interface ApiErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown };
}

/**
 * Build an ApiError from an error response. `body` is what the SDK parsed (JSON object, or text when
 * the body was not JSON, e.g. a proxy's HTML error page). Never includes request headers or bodies,
 * so no token or password can end up in the message.
 */
export function apiErrorFromResponse(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const envelope = typeof body === 'object' && body !== null ? (body as ApiErrorBody).error : undefined;
  const code = typeof envelope?.code === 'string' ? envelope.code : undefined;
  let message = typeof envelope?.message === 'string' ? envelope.message : undefined;
  if (!message) {
    message = `Server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  }
  const retryAfter = response.headers.get('retry-after');
  let hint: string | undefined;
  if (response.status === 429 && retryAfter) hint = `Retry after ${retryAfter} seconds.`;
  return new ApiError(response.status, message, {
    ...(code ? { code } : {}),
    requestId: typeof envelope?.requestId === 'string' ? envelope.requestId : requestId,
    ...(envelope?.details !== undefined ? { details: envelope.details } : {}),
    ...(hint ? { hint } : {}),
  });
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'socket error',
  UND_ERR_HEADERS_TIMEOUT: 'no response (headers timeout)',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

/** Turn a fetch() failure (undici `TypeError: fetch failed` with a cause) into exit code 9. */
export function networkError(err: unknown, serverUrl: string): CliError {
  let cause: unknown = err;
  let reason: string | undefined;
  for (let depth = 0; depth < 5 && cause; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') {
      reason = NETWORK_CODES[code] ?? code;
      break;
    }
    if ((cause as { name?: unknown }).name === 'TimeoutError') {
      reason = 'timed out';
      break;
    }
    const next = (cause as { cause?: unknown }).cause;
    // No code anywhere (e.g. undici's "bad port"): use the innermost message.
    if (!next && cause !== err && cause instanceof Error && cause.message) reason = cause.message;
    cause = next;
  }
  const tls = reason !== undefined && /TLS/.test(reason);
  return new CliError(`Cannot reach the server at ${serverUrl}${reason ? ` (${reason})` : ''}`, {
    exitCode: ExitCode.unreachable,
    code: 'unreachable',
    hint: tls
      ? 'For a private CA or self-signed certificate, point NODE_EXTRA_CA_CERTS at its PEM file.'
      : 'Is the server running? Check --server, $PROXICLOUD_URL or the profile (proxicloud configure list).',
    cause: err,
  });
}

/** The text printed to stderr for an error: `Error: <message> (code, request id X)` plus a hint line. */
export function formatError(err: CliError): string {
  const meta = [err.code, err.requestId ? `request id ${err.requestId}` : undefined].filter(Boolean);
  let text = `Error: ${err.message}${meta.length ? ` (${meta.join(', ')})` : ''}`;
  const details = formatDetails(withoutRepeatedIssues(err.message, err.details));
  if (details) text += `\n${details}`;
  if (err.hint) text += `\n${err.hint}`;
  return text;
}

/** The server's validation message already lists its issues ("body.x must …"): do not print them twice. */
function withoutRepeatedIssues(message: string, details: unknown): unknown {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return details;
  const { issues, ...rest } = details as { issues?: unknown };
  if (!Array.isArray(issues)) return details;
  const remaining = issues.filter((i) => {
    const v = (i ?? {}) as { field?: unknown; message?: unknown };
    return !(
      typeof v.field === 'string' &&
      typeof v.message === 'string' &&
      message.includes(`${v.field} ${v.message}`)
    );
  });
  return remaining.length ? { ...rest, issues: remaining } : Object.keys(rest).length ? rest : undefined;
}

function formatDetails(details: unknown): string | undefined {
  if (details === undefined || details === null) return undefined;
  if (Array.isArray(details)) {
    const lines = details.map((d) => `  - ${typeof d === 'string' ? d : describe(d)}`);
    return lines.length ? lines.join('\n') : undefined;
  }
  if (typeof details === 'object') {
    const entries = Object.entries(details as Record<string, unknown>);
    if (!entries.length) return undefined;
    return entries
      .map(([k, v]) =>
        Array.isArray(v)
          ? `  ${k}:\n${v.map((item) => `    - ${typeof item === 'string' ? item : describe(item)}`).join('\n')}`
          : `  ${k}: ${typeof v === 'string' ? v : describe(v)}`,
      )
      .join('\n');
  }
  return `  ${String(details)}`;
}

function describe(value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as { message?: unknown; field?: unknown; path?: unknown; instancePath?: unknown };
    const where = [v.field, v.path, v.instancePath].find((x) => typeof x === 'string');
    const path = typeof where === 'string' ? where : '';
    if (typeof v.message === 'string') return path ? `${path}: ${v.message}` : v.message;
  }
  return JSON.stringify(value);
}

/** Normalise anything thrown into a CliError (unexpected errors keep exit 1 and their message). */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof Error) return new CliError(err.message, { cause: err });
  return new CliError(String(err));
}

/** Ends the command with an exit code and no error message (e.g. `plan --detailed-exitcode` → 2). */
export class QuietExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'QuietExit';
    this.exitCode = exitCode;
  }
}
