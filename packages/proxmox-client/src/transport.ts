import { Agent, type Dispatcher } from 'undici';
import { backoffDelay, sleep } from './backoff.ts';
import { encodeForm, toWireParams, type WireParams } from './encoding.ts';
import {
  apiErrorFromResponse,
  ProxmoxApiError,
  ProxmoxAuthError,
  ProxmoxConnectionError,
  ProxmoxError,
  ProxmoxTimeoutError,
  ProxmoxTlsError,
} from './errors.ts';
import { createConnector, isConnectPhaseError, type TlsOptions } from './tls.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `{tokenId: 'root@pam!ci', secret}` or `{username: 'root', realm: 'pam', password}`. */
export type AuthOptions =
  | { tokenId: string; secret: string }
  | { username: string; password: string; realm?: string; otp?: string };

/** Minimal pino-compatible logger; only `debug`/`warn` are used. Secrets are never passed. */
export interface Logger {
  debug?(obj: Record<string, unknown>, msg?: string): void;
  warn?(obj: Record<string, unknown>, msg?: string): void;
}

/** What the `onRequest` hook sees: the exact request as sent (passwords redacted). */
export interface RequestInfo {
  method: HttpMethod;
  /** API path below `/api2/json` as sent (path segments percent-encoded), without query. */
  path: string;
  /** Wire parameters (query for GET/DELETE, form body for POST/PUT); all values strings. */
  params: WireParams;
  attempt: number;
}

export interface ResponseInfo extends RequestInfo {
  status: number;
  durationMs: number;
}

export interface ProxmoxClientOptions {
  /** `https://pve.example:8006` (a trailing `/api2/json` is accepted and ignored). */
  baseUrl: string;
  auth: AuthOptions;
  tls?: TlsOptions;
  /** Per-attempt timeout of one HTTP request. Default 30 s. */
  timeoutMs?: number;
  /** Retries of idempotent requests (GET) on 5xx and connection errors. Default 2. */
  retries?: number;
  /** Backoff between retries. Default base 200 ms, max 5 s, jitter 0.5. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  logger?: Logger;
  /**
   * Observation hooks (documented, optional): called for every request attempt before it is sent
   * and for every response. Throwing from `onRequest` aborts the call with that error, which makes
   * it usable as a contract check (the test suite validates every request against the PVE schema).
   */
  hooks?: {
    onRequest?(info: RequestInfo): void;
    onResponse?(info: ResponseInfo): void;
  };
  /** Clock used for ticket renewal. Default `Date.now`. */
  now?: () => number;
  /** Max sockets to the host. Default 16. */
  connections?: number;
  /** Supply your own undici dispatcher (then `tls` and `connections` are ignored). */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Override the retry count for this call (only idempotent calls retry anyway). */
  retries?: number;
}

/** Statuses on which an idempotent request is retried. 595/596: pveproxy could not reach the node. */
const RETRY_STATUS = new Set([500, 502, 503, 504, 595, 596]);
/**
 * PVE answers 500 for many deterministic errors ("Configuration file … does not exist"); retrying
 * those only adds latency (existence checks are common), so they are not retried.
 */
const DETERMINISTIC_500 = /does not exist|no such |already exists|not running|already running/i;

const TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** Renew a ticket once it is this old (PVE tickets live 2 h). */
const TICKET_RENEW_AFTER_MS = 60 * 60 * 1000;

interface Ticket {
  ticket: string;
  csrf: string;
  obtainedAt: number;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : undefined;
}

export class Transport {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly auth: AuthOptions;
  private readonly tls?: TlsOptions;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly logger?: Logger;
  private readonly hooks: NonNullable<ProxmoxClientOptions['hooks']>;
  private readonly now: () => number;
  private ticket?: Ticket;
  private login?: Promise<Ticket>;

  constructor(opts: ProxmoxClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new ProxmoxError(`invalid Proxmox baseUrl: ${JSON.stringify(opts.baseUrl)}`);
    }
    if (url.protocol !== 'https:') throw new ProxmoxError('Proxmox baseUrl must use https://');
    if (url.username || url.password) throw new ProxmoxError('Proxmox baseUrl must not contain credentials');
    this.origin = url.origin;
    this.prefix = `${url.pathname.replace(/\/+$/, '').replace(/\/api2\/json$/, '')}/api2/json`;
    this.baseUrl = `${this.origin}${this.prefix}`;
    if ('tokenId' in opts.auth) {
      if (!/^[^@!\s]+@[^@!\s]+![A-Za-z][A-Za-z0-9._-]*$/.test(opts.auth.tokenId)) {
        throw new ProxmoxError('API token id must look like USER@REALM!TOKENID');
      }
      if (!opts.auth.secret) throw new ProxmoxError('API token secret is empty');
    } else if (!opts.auth.username || !opts.auth.password) {
      throw new ProxmoxError('ticket auth needs username and password');
    }
    this.auth = opts.auth;
    this.tls = opts.tls;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retries ?? 2;
    this.retryBaseMs = opts.retryBaseMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 5_000;
    this.logger = opts.logger;
    this.hooks = opts.hooks ?? {};
    this.now = opts.now ?? Date.now;
    if (opts.dispatcher) {
      this.dispatcher = opts.dispatcher;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = new Agent({
        connect: createConnector({ tls: opts.tls, connectTimeoutMs: Math.min(this.timeoutMs, 10_000) }),
        connections: opts.connections ?? 16,
        keepAliveTimeout: 4_000,
      });
      this.ownsDispatcher = true;
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Log in (ticket auth) now; a no-op with an API token. */
  async ensureAuth(signal?: AbortSignal): Promise<void> {
    if (!('tokenId' in this.auth)) await this.currentTicket(signal);
  }

  private async currentTicket(signal?: AbortSignal): Promise<Ticket> {
    const t = this.ticket;
    const age = t ? this.now() - t.obtainedAt : Number.POSITIVE_INFINITY;
    if (t && age < TICKET_RENEW_AFTER_MS) return t;
    if (!this.login) {
      this.login = this.obtainTicket(t && age < TICKET_LIFETIME_MS - 60_000 ? t : undefined, signal).finally(
        () => {
          this.login = undefined;
        },
      );
    }
    return this.login;
  }

  /** `POST /access/ticket`; renews with the current ticket as password when one is still valid. */
  private async obtainTicket(renewFrom: Ticket | undefined, signal?: AbortSignal): Promise<Ticket> {
    const auth = this.auth as Extract<AuthOptions, { username: string }>;
    const username =
      auth.realm && !auth.username.includes('@') ? `${auth.username}@${auth.realm}` : auth.username;
    const attempt = async (password: string, otp?: string): Promise<Ticket> => {
      const data = (await this.send(
        'POST',
        '/access/ticket',
        { username, password, otp },
        { signal },
        null,
      )) as {
        ticket?: string;
        CSRFPreventionToken?: string;
      } | null;
      if (!data?.ticket || !data.CSRFPreventionToken) {
        throw new ProxmoxAuthError({
          method: 'POST',
          path: '/access/ticket',
          status: 401,
          pveMessage: 'no ticket in the answer (two-factor authentication required?)',
        });
      }
      return { ticket: data.ticket, csrf: data.CSRFPreventionToken, obtainedAt: this.now() };
    };
    if (renewFrom) {
      try {
        this.ticket = await attempt(renewFrom.ticket);
        return this.ticket;
      } catch (e) {
        if (!(e instanceof ProxmoxAuthError)) throw e;
        // fall through to a fresh login
      }
    }
    this.ticket = await attempt(auth.password, auth.otp);
    this.logger?.debug?.({ user: username }, 'pve ticket obtained');
    return this.ticket;
  }

  /**
   * What a WebSocket upgrade to the API needs (`…/vncwebsocket`): the wss:// URL with the query,
   * the authentication headers (token, or ticket cookie after logging in) and the TLS policy.
   */
  async upgradeTarget(
    path: string,
    params: object,
    signal?: AbortSignal,
  ): Promise<{ url: string; headers: Record<string, string>; tls?: TlsOptions }> {
    const form = encodeForm(toWireParams(params));
    const headers: Record<string, string> = {};
    if ('tokenId' in this.auth) {
      headers.authorization = `PVEAPIToken=${this.auth.tokenId}=${this.auth.secret}`;
    } else {
      headers.cookie = `PVEAuthCookie=${(await this.currentTicket(signal)).ticket}`;
    }
    const url = `${this.origin.replace(/^https:/, 'wss:')}${this.prefix}${path}${form ? `?${form}` : ''}`;
    return { url, headers, ...(this.tls ? { tls: this.tls } : {}) };
  }

  /** Encode one path segment (volume ids contain '/', UPIDs ':' and '@'). */
  static segment(v: string | number): string {
    const s = String(v);
    if (s === '' || s === '.' || s === '..')
      throw new ProxmoxError(`invalid path parameter ${JSON.stringify(s)}`);
    return encodeURIComponent(s);
  }

  async request<T>(method: HttpMethod, path: string, params?: object, opts: CallOptions = {}): Promise<T> {
    return (await this.send(method, path, params, opts, undefined)) as T;
  }

  /**
   * One API call with retries. `forceTicket === null` sends no auth (the login call itself).
   */
  private async send(
    method: HttpMethod,
    path: string,
    params: object | undefined,
    opts: CallOptions,
    forceTicket: null | undefined,
  ): Promise<unknown> {
    const wire = toWireParams(params);
    const form = encodeForm(wire);
    const hasBody = method === 'POST' || method === 'PUT';
    const url = `${this.origin}${this.prefix}${path}${!hasBody && form ? `?${form}` : ''}`;
    const idempotent = method === 'GET';
    const maxRetries = opts.retries ?? this.retries;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const isLogin = forceTicket === null;
    let reauthed = false;

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (hasBody) headers['content-type'] = 'application/x-www-form-urlencoded';
      if (!isLogin) {
        if ('tokenId' in this.auth) {
          headers.authorization = `PVEAPIToken=${this.auth.tokenId}=${this.auth.secret}`;
        } else {
          const t = await this.currentTicket(opts.signal);
          headers.cookie = `PVEAuthCookie=${t.ticket}`;
          if (method !== 'GET') headers.csrfpreventiontoken = t.csrf;
        }
      }
      const info: RequestInfo = {
        method,
        path,
        params: isLogin ? { ...wire, password: '<redacted>' } : wire,
        attempt,
      };
      this.hooks.onRequest?.(info);

      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error('timeout'));
      }, timeoutMs);
      const onAbort = () => controller.abort(opts.signal?.reason);
      if (opts.signal?.aborted) onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const started = performance.now();
      let status = 0;
      let statusText = '';
      let text = '';
      let failure: unknown;
      try {
        const res = await this.dispatcher.request({
          origin: this.origin,
          path: url.slice(this.origin.length),
          method,
          headers,
          body: hasBody ? form : undefined,
          signal: controller.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        status = res.statusCode;
        statusText = res.statusText ?? '';
        text = await res.body.text();
      } catch (e) {
        failure = e;
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      }
      const durationMs = Math.round(performance.now() - started);

      if (failure !== undefined) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? failure;
        if (failure instanceof ProxmoxTlsError) throw failure;
        const code = errCode(failure);
        if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
          this.logger?.warn?.({ method, path, timeoutMs, attempt }, 'pve request timed out');
          throw new ProxmoxTimeoutError(
            `Proxmox API ${method} ${path} timed out after ${timeoutMs} ms` +
              (idempotent ? '' : ' (the operation may still have been carried out by the host)'),
            { timeoutMs, method, path },
          );
        }
        const beforeSend = isConnectPhaseError(failure);
        if (!code || !CONNECTION_CODES.has(code)) {
          if (failure instanceof Error && !(failure instanceof ProxmoxError)) {
            throw new ProxmoxConnectionError({
              method,
              path,
              code,
              beforeSend,
              reason: failure.message,
              cause: failure,
            });
          }
          throw failure;
        }
        const err = new ProxmoxConnectionError({
          method,
          path,
          code,
          beforeSend,
          reason: `${code}${failure instanceof Error && failure.message ? `: ${failure.message}` : ''}`,
          cause: failure,
        });
        if ((idempotent || beforeSend) && attempt < maxRetries) {
          await this.backoff(attempt, { method, path, reason: code }, opts.signal);
          continue;
        }
        throw err;
      }

      this.hooks.onResponse?.({ ...info, status, durationMs });
      this.logger?.debug?.({ method, path, status, durationMs, attempt }, 'pve request');

      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      if (status >= 200 && status < 300) {
        if (body && typeof body === 'object' && 'data' in body) return (body as { data: unknown }).data;
        if (body === undefined) return null;
        throw new ProxmoxApiError({
          method,
          path,
          status,
          pveMessage: 'answer is not a PVE {"data": …} envelope',
        });
      }
      const err = apiErrorFromResponse({ method, path }, status, statusText, body);
      if (status === 401 && !isLogin && !('tokenId' in this.auth) && !reauthed) {
        // The ticket expired or was revoked: the request was refused before doing anything,
        // so logging in again and repeating it once is safe for every method.
        reauthed = true;
        this.ticket = undefined;
        attempt--;
        continue;
      }
      const deterministic = status === 500 && DETERMINISTIC_500.test(err.pveMessage);
      if (idempotent && RETRY_STATUS.has(status) && !deterministic && attempt < maxRetries) {
        await this.backoff(attempt, { method, path, reason: status }, opts.signal);
        continue;
      }
      throw err;
    }
  }

  private async backoff(attempt: number, ctx: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    const delay = backoffDelay(attempt, { baseMs: this.retryBaseMs, maxMs: this.retryMaxMs });
    this.logger?.debug?.({ ...ctx, attempt, delay }, 'pve request retry');
    await sleep(delay, signal);
  }
}
