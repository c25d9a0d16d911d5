import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '../../platform/db/repository.ts';
import { AppError } from '../../platform/errors.ts';
import { clientAddress, requestProtocol } from '../../platform/http/proxy.ts';
import type { ResolvedAccessKey } from '../iam/index.ts';
import { corsHeaders, matchCorsRule } from './storage.cors.ts';
import { type S3ErrorCode, StorageError } from './storage.errors.ts';
import { parseAuth, payloadOf, verifySignature } from './storage.s3.auth.ts';
import { presignSecret, userIdFromPresignKey } from './storage.s3.credentials.ts';
import { dispatch } from './storage.s3.operations.ts';
import { ANONYMOUS_ACTOR, authorizeS3Request, isUnsigned } from './storage.s3.policy.ts';
import { isFormUpload, postObject } from './storage.s3.post.ts';
import {
  errorXml,
  header,
  type PayloadMode,
  type S3HandlerDeps,
  type S3Request,
  type S3User,
} from './storage.s3.request.ts';
import { isSigV2, parseSigV2, verifySigV2 } from './storage.s3.sigv2.ts';
import { type ChunkSigning, parseQuery, type SigV4Auth } from './storage.s3.sigv4.ts';
import type { StorageContext } from './storage.service.ts';
import { noteRequestStart } from './storage.socket-body.ts';

/**
 * The S3 protocol endpoint as a plain node:http handler (no framework in the data path):
 * addressing, SigV4 authentication, dispatch to the operations, XML errors. Used by the
 * dedicated S3 listener and, through a hijacked Fastify route, under /s3 on the main port.
 */

const MUTATING = new Set(['PUT', 'POST', 'DELETE']);

function requestIdOf(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new StorageError('InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** Where a bucket name appears: in the Host (virtual-host style) or the first path segment. */
export function resolveAddress(
  host: string,
  path: string,
  domain: string | null,
): { bucket: string | null; key: string | null } {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  if (domain && hostname.endsWith(`.${domain}`)) {
    const bucket = hostname.slice(0, -(domain.length + 1));
    const key = path.length > 1 ? decode(path.slice(1)) : null;
    return { bucket, key: key === '' ? null : key };
  }
  const rest = path.startsWith('/') ? path.slice(1) : path;
  if (rest === '') return { bucket: null, key: null };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest), key: null };
  const key = decode(rest.slice(slash + 1));
  return { bucket: decode(rest.slice(0, slash)), key: key === '' ? null : key };
}

interface CachedKey {
  value: ResolvedAccessKey | null;
  expires: number;
}

export class S3Handler {
  private readonly keyCache = new Map<string, CachedKey>();
  private readonly lastMarked = new Map<string, number>();

  constructor(readonly deps: S3HandlerDeps) {}

  /** node:http entry point. `mount` is the path prefix ('' on the S3 port, '/s3' on the main port). */
  handle = (req: IncomingMessage, res: ServerResponse, mount = ''): void => {
    noteRequestStart(req);
    void this.serve(req, res, mount);
  };

  private async serve(req: IncomingMessage, res: ServerResponse, mount: string): Promise<void> {
    const requestId = requestIdOf();
    const started = Date.now();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    res.setHeader('server', 'ProxiCloud');
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const fullPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    let path = fullPath.startsWith(mount) ? fullPath.slice(mount.length) : fullPath;
    if (path === '') path = '/';
    const method = (req.method ?? 'GET').toUpperCase();
    let resource = path;
    let r: S3Request | null = null;
    const extraHeaders: Record<string, string> = {};
    let ctx: StorageContext | null = null;
    let keyOwner: ResolvedAccessKey | null = null;
    try {
      const pairs = parseQuery(rawQuery);
      const query = new Map<string, string>();
      for (const [k, v] of pairs) if (!query.has(k)) query.set(k, v);
      const host = header(req, 'host') ?? '';
      const { bucket, key } = resolveAddress(host, path, this.deps.domain);
      resource = bucket ? `/${bucket}${key ? `/${key}` : ''}` : '/';
      const origin = `${this.protocolOf(req)}://${host}`;

      // Browser CORS: preflight is anonymous; actual requests get headers from the bucket's rules.
      const reqOrigin = header(req, 'origin');
      if (method === 'OPTIONS') {
        await this.preflight(req, res, bucket);
        return;
      }
      if (reqOrigin && bucket) {
        const rules = await this.deps.service.corsRulesForBucket(bucket);
        const rule = rules ? matchCorsRule(rules, reqOrigin, method, []) : null;
        if (rule) Object.assign(extraHeaders, corsHeaders(rule, reqOrigin, { preflight: false }));
      }

      // browser form uploads (POST object): the signature is in the form (storage.s3.post.ts)
      if (method === 'POST' && bucket && key === null && isFormUpload(req)) {
        await postObject({
          req,
          res,
          bucket,
          requestId,
          ip: this.ipOf(req),
          origin,
          extraHeaders,
          deps: this.deps,
          credentials: async (accessKeyId) => {
            const c = await this.credentialsFor({ kind: 'header', accessKeyId });
            keyOwner = c.key;
            if (c.key) await this.touch(c.key.accessKeyId);
            return { secret: c.secret, actor: c.actor };
          },
          onContext: (c) => {
            ctx = c;
          },
        });
        return;
      }
      // unsigned requests are anonymous: they get only what a bucket policy or ACL allows
      const auth = isUnsigned(header(req, 'authorization'), new Map(pairs))
        ? this.anonymous()
        : await this.authenticate(req, method, fullPath, pairs, rawQuery, host, path);
      keyOwner = auth.key;
      ctx = {
        actor: auth.actor,
        ip: this.ipOf(req),
        requestId,
        userAgent: (header(req, 'user-agent') ?? '').slice(0, 256) || null,
        audited: false,
        surface: 's3',
      };
      r = {
        req,
        res,
        method,
        bucket,
        key,
        query,
        resource,
        origin,
        ctx,
        requestId,
        derivedCredential: auth.derived,
        payload: auth.payload,
        payloadSha256: auth.payloadSha256,
        chunkSigning: auth.chunkSigning,
        extraHeaders,
        deps: this.deps,
      };
      await authorizeS3Request(r);
      await dispatch(r);
    } catch (err) {
      this.fail(req, res, err, resource, requestId, method, extraHeaders);
      if (MUTATING.has(method) && (ctx || keyOwner))
        await this.auditFailure(req, ctx, keyOwner, method, resource, err, requestId);
    } finally {
      this.deps.logger.debug(
        { requestId, method, resource, status: res.statusCode, ms: Date.now() - started },
        's3 request',
      );
    }
  }

  private protocolOf(req: IncomingMessage): string {
    return requestProtocol(req, this.deps.trustProxy);
  }

  private ipOf(req: IncomingMessage): string {
    return clientAddress(req, this.deps.trustProxy);
  }

  // ---------------------------------------------------------------- authentication

  private async lookupKey(accessKeyId: string): Promise<ResolvedAccessKey | null> {
    const now = Date.now();
    const hit = this.keyCache.get(accessKeyId);
    if (hit && hit.expires > now) return hit.value;
    const value = await this.deps.resolveAccessKey(accessKeyId);
    if (this.deps.keyCacheMs > 0) {
      if (this.keyCache.size > 10_000) this.keyCache.clear();
      this.keyCache.set(accessKeyId, { value, expires: now + this.deps.keyCacheMs });
    }
    return value;
  }

  /** Forget cached keys (tests; IAM changes made elsewhere reach us within keyCacheMs anyway). */
  invalidate(): void {
    this.keyCache.clear();
  }

  private anonymous(): {
    actor: Actor;
    key: null;
    derived: false;
    payload: PayloadMode;
    payloadSha256: null;
    chunkSigning: null;
  } {
    return {
      actor: { ...ANONYMOUS_ACTOR },
      key: null,
      derived: false,
      payload: 'unsigned',
      payloadSha256: null,
      chunkSigning: null,
    };
  }

  /** SigV4 (or V2): parse and time-check the signature, find the credentials, check the signature. */
  private async authenticate(
    req: IncomingMessage,
    method: string,
    fullPath: string,
    pairs: [string, string][],
    rawQuery: string,
    host: string,
    path: string,
  ): Promise<{
    actor: Actor;
    key: ResolvedAccessKey | null;
    derived: boolean;
    payload: PayloadMode;
    payloadSha256: string | null;
    chunkSigning: ChunkSigning | null;
  }> {
    const params = new Map(pairs);
    if (isSigV2(req, params)) {
      const v2 = parseSigV2(req, params, this.deps.clock.now().getTime());
      const { secret, actor, key, derived } = await this.credentialsFor(v2);
      const domain = this.deps.domain;
      const hostname = host.replace(/:\d+$/, '').toLowerCase();
      const vbucket =
        domain && hostname.endsWith(`.${domain}`) ? hostname.slice(0, -(domain.length + 1)) : null;
      verifySigV2(req, method, fullPath, path, rawQuery, vbucket, v2, secret);
      if (key) await this.touch(key.accessKeyId);
      return { actor, key, derived, payload: 'unsigned', payloadSha256: null, chunkSigning: null };
    }
    const auth = parseAuth(req, params, this.deps.clock.now().getTime());
    const { secret, actor, key, derived } = await this.credentialsFor(auth);
    const info = payloadOf(req, auth, params);
    const chunkSigning = verifySignature(req, method, fullPath, pairs, auth, secret, info);
    if (key) await this.touch(key.accessKeyId);
    return { actor, key, derived, payload: info.payload, payloadSha256: info.payloadSha256, chunkSigning };
  }

  /** The secret and identity behind the access key (stored keys, or server-derived presign keys). */
  private async credentialsFor(
    auth: Pick<SigV4Auth, 'kind' | 'accessKeyId'>,
  ): Promise<{ secret: string; actor: Actor; key: ResolvedAccessKey | null; derived: boolean }> {
    let secret: string;
    let actor: Actor;
    let key: ResolvedAccessKey | null = null;
    let derived = false;
    const derivedUser = auth.kind === 'query' ? userIdFromPresignKey(auth.accessKeyId) : null;
    if (derivedUser) {
      const user = await this.deps.findUser(derivedUser);
      if (user?.status !== 'active')
        throw new StorageError(
          'InvalidAccessKeyId',
          'The AWS Access Key Id you provided does not exist in our records.',
          {
            AWSAccessKeyId: auth.accessKeyId,
          },
        );
      secret = presignSecret(this.deps.masterKey, user.id);
      actor = {
        id: user.id,
        username: user.username,
        role: user.role,
        via: 'access_key',
        accessKeyId: auth.accessKeyId,
      };
      derived = true;
    } else {
      key = await this.lookupKey(auth.accessKeyId);
      if (!key)
        throw new StorageError(
          'InvalidAccessKeyId',
          'The AWS Access Key Id you provided does not exist in our records.',
          {
            AWSAccessKeyId: auth.accessKeyId,
          },
        );
      secret = key.secretAccessKey;
      actor = {
        id: key.userId,
        username: key.username,
        role: key.role,
        via: 'access_key',
        accessKeyId: key.accessKeyId,
      };
    }
    return { secret, actor, key, derived };
  }

  private async touch(accessKeyId: string): Promise<void> {
    const now = Date.now();
    const last = this.lastMarked.get(accessKeyId) ?? 0;
    if (now - last < 60_000) return;
    this.lastMarked.set(accessKeyId, now);
    if (this.lastMarked.size > 10_000) this.lastMarked.clear();
    await this.deps
      .markAccessKeyUsed(accessKeyId)
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'could not record access key use'));
  }

  // ---------------------------------------------------------------- CORS preflight

  private async preflight(req: IncomingMessage, res: ServerResponse, bucket: string | null): Promise<void> {
    const origin = header(req, 'origin');
    const method = header(req, 'access-control-request-method');
    if (!origin || !method)
      throw new StorageError('InvalidRequest', 'Insufficient information. Origin request header needed.');
    const requested = (header(req, 'access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const rules = bucket ? await this.deps.service.corsRulesForBucket(bucket) : null;
    if (!rules) {
      throw new StorageError('AccessDenied', 'CORSResponse: CORS is not enabled for this bucket.');
    }
    const rule = matchCorsRule(rules, origin, method.toUpperCase(), requested);
    if (!rule)
      throw new StorageError(
        'AccessDenied',
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      );
    const headers = corsHeaders(rule, origin, { preflight: true, method, requestHeaders: requested });
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('content-length', '0');
    res.statusCode = 200;
    res.end();
  }

  // ---------------------------------------------------------------- errors

  private fail(
    req: IncomingMessage,
    res: ServerResponse,
    err: unknown,
    resource: string,
    requestId: string,
    method: string,
    extraHeaders: Record<string, string>,
  ): void {
    const { code, status, message, fields } = this.describe(err, requestId, req);
    if (res.headersSent) {
      // streaming already started (e.g. a GET whose file read failed): cut the connection
      res.destroy();
      return;
    }
    for (const name of res.getHeaderNames()) {
      if (!['x-amz-request-id', 'x-amz-id-2', 'server'].includes(name)) res.removeHeader(name);
    }
    for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
    if (err instanceof StorageError) for (const [k, v] of Object.entries(err.s3Headers)) res.setHeader(k, v);
    if (!req.complete) {
      // We answer before reading the body: do not keep this connection.
      res.setHeader('connection', 'close');
      req.resume();
    }
    res.statusCode = status;
    if (code === 'NotModified') {
      res.end();
      return;
    }
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const body = errorXml(code, message, resource, requestId, fields);
    res.setHeader('content-type', 'application/xml');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
  }

  private describe(
    err: unknown,
    requestId: string,
    req: IncomingMessage,
  ): { code: S3ErrorCode; status: number; message: string; fields: Record<string, string> } {
    if (err instanceof StorageError)
      return {
        code: err.s3Code,
        status: err.s3Status,
        message: err.s3Message ?? err.message,
        fields: err.s3Fields,
      };
    if (err instanceof AppError) {
      const map: Record<number, S3ErrorCode> = {
        400: 'InvalidArgument',
        401: 'AccessDenied',
        403: 'AccessDenied',
        404: 'NoSuchKey',
        409: 'InvalidRequest',
        503: 'ServiceUnavailable',
      };
      const code = map[err.status] ?? 'InternalError';
      const status = code === 'InternalError' ? 500 : code === 'AccessDenied' ? 403 : err.status;
      return {
        code,
        status,
        message:
          code === 'InternalError' ? 'We encountered an internal error. Please try again.' : err.message,
        fields: {},
      };
    }
    const e = err as NodeJS.ErrnoException;
    if (
      e?.code === 'ECONNRESET' ||
      e?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      e?.message === 'aborted' ||
      req.destroyed
    )
      return {
        code: 'IncompleteBody',
        status: 400,
        message: 'The request body terminated unexpectedly',
        fields: {},
      };
    if (e?.code === 'ENOSPC')
      return { code: 'ServiceUnavailable', status: 503, message: 'The storage is full.', fields: {} };
    this.deps.logger.error({ err, requestId }, 's3 request failed');
    return {
      code: 'InternalError',
      status: 500,
      message: 'We encountered an internal error. Please try again.',
      fields: {},
    };
  }

  private async auditFailure(
    req: IncomingMessage,
    ctx: StorageContext | null,
    key: ResolvedAccessKey | null,
    method: string,
    resource: string,
    err: unknown,
    requestId: string,
  ): Promise<void> {
    if (ctx?.audited) return;
    const code = err instanceof StorageError ? err.s3Code : 'InternalError';
    if (code === 'NotModified') return;
    const denied = [
      'AccessDenied',
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId',
      'RequestTimeTooSkewed',
    ].includes(code);
    const context = ctx ?? {
      actor: null,
      ip: this.ipOf(req),
      requestId,
      userAgent: (header(req, 'user-agent') ?? '').slice(0, 256) || null,
      audited: false,
    };
    try {
      await this.deps.audit.record(context, {
        action: 's3.request',
        resourceType: resource === '/' ? null : resource.indexOf('/', 1) > 0 ? 'object' : 'bucket',
        resourceId: resource === '/' ? null : resource.slice(1),
        result: denied ? 'denied' : 'failure',
        details: { via: 's3', method, error: code },
        ...(ctx ? {} : key ? { user: { id: key.userId, username: key.username } } : {}),
      });
    } catch (e) {
      this.deps.logger.error({ err: e }, 'failed to write audit entry');
    }
  }
}

export type { PayloadMode, S3HandlerDeps, S3Request, S3User };
export { errorXml };
