/**
 * SigV4 request authentication, the pure steps (storage.s3.handler.ts looks the credentials up):
 * which signature the request carries and whether its time is acceptable, what the payload is
 * (signed, unsigned, aws-chunked), and whether the signature matches.
 */
import type { IncomingMessage } from 'node:http';
import { StorageError } from './storage.errors.ts';
import { header, type PayloadMode } from './storage.s3.request.ts';
import {
  type ChunkSigning,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  computeSignature,
  MAX_SKEW_MS,
  parseAmzDate,
  parseAuthorizationHeader,
  parsePresignedQuery,
  type SigV4Auth,
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  scopeOf,
  signatureEquals,
  signingKey,
  UNSIGNED_PAYLOAD,
} from './storage.s3.sigv4.ts';

/** The SigV4 signature of the request (Authorization header or presigned query), time-checked. */
export function parseAuth(req: IncomingMessage, params: Map<string, string>, now: number): SigV4Auth {
  const authHeader = header(req, 'authorization');
  let auth: SigV4Auth;
  if (authHeader) {
    if (!authHeader.startsWith('AWS4-HMAC-SHA256 '))
      throw new StorageError(
        'InvalidRequest',
        'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
      );
    const amzDate = header(req, 'x-amz-date');
    let dateMs: number | null;
    let dateText: string;
    if (amzDate) {
      dateMs = parseAmzDate(amzDate);
      dateText = amzDate;
    } else {
      const d = header(req, 'date');
      dateMs = d ? Date.parse(d) : null;
      dateText =
        dateMs !== null && !Number.isNaN(dateMs)
          ? new Date(dateMs)
              .toISOString()
              .replace(/[-:]/g, '')
              .replace(/\.\d{3}/, '')
          : '';
    }
    if (dateMs === null || Number.isNaN(dateMs))
      throw new StorageError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    auth = parseAuthorizationHeader(authHeader, dateText);
    if (Math.abs(now - dateMs) > MAX_SKEW_MS)
      throw new StorageError(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: dateText,
          ServerTime: new Date(now).toISOString(),
          MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
        },
      );
  } else if (
    params.has('X-Amz-Algorithm') ||
    params.has('X-Amz-Signature') ||
    params.has('X-Amz-Credential')
  ) {
    auth = parsePresignedQuery(params);
    const signedAt = parseAmzDate(auth.amzDate)!;
    if (now > signedAt + auth.expires! * 1000)
      throw new StorageError('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(auth.expires),
        Expires: new Date(signedAt + auth.expires! * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
    if (signedAt - now > MAX_SKEW_MS)
      throw new StorageError('AccessDenied', 'Request is not valid yet', {
        'X-Amz-Date': auth.amzDate,
        ServerTime: new Date(now).toISOString(),
      });
  } else if (params.has('AWSAccessKeyId') || params.has('Signature')) {
    throw new StorageError(
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    );
  } else {
    throw new StorageError(
      'AccessDenied',
      'Access Denied (anonymous requests are not allowed; sign the request with an access key)',
    );
  }
  return auth;
}

export interface PayloadInfo {
  /** The payload hash that goes into the canonical request. */
  payloadHash: string;
  payload: PayloadMode;
  /** Declared SHA-256 of a signed payload. */
  payloadSha256: string | null;
}

/** What x-amz-content-sha256 (or X-Amz-Content-Sha256 when presigned) says about the body. */
export function payloadOf(req: IncomingMessage, auth: SigV4Auth, params: Map<string, string>): PayloadInfo {
  const contentSha = header(req, 'x-amz-content-sha256');
  let payloadHash: string;
  let payload: PayloadMode;
  let payloadSha256: string | null = null;
  if (auth.kind === 'query') {
    payloadHash = params.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
    payload = 'unsigned';
    if (payloadHash !== UNSIGNED_PAYLOAD) {
      if (!/^[0-9a-f]{64}$/.test(payloadHash))
        throw new StorageError('InvalidArgument', 'Invalid X-Amz-Content-Sha256');
      payload = 'signed';
      payloadSha256 = payloadHash;
    }
  } else {
    if (!contentSha)
      throw new StorageError(
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    payloadHash = contentSha;
    if (contentSha === UNSIGNED_PAYLOAD) payload = 'unsigned';
    else if (contentSha === STREAMING_SIGNED || contentSha === STREAMING_SIGNED_TRAILER)
      payload = 'streaming-signed';
    else if (contentSha === STREAMING_UNSIGNED_TRAILER) payload = 'streaming-unsigned';
    else if (/^STREAMING-AWS4-ECDSA/.test(contentSha))
      throw new StorageError(
        'NotImplemented',
        'AWS Signature Version 4A (ECDSA) is not supported; use AWS4-HMAC-SHA256.',
      );
    else if (/^[0-9a-f]{64}$/.test(contentSha)) {
      payload = 'signed';
      payloadSha256 = contentSha;
    } else
      throw new StorageError(
        'InvalidArgument',
        'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER), STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.',
        { ArgumentName: 'x-amz-content-sha256', ArgumentValue: contentSha },
      );
  }
  return { payloadHash, payload, payloadSha256 };
}

/**
 * Check the signature against the canonical request (URI re-encoded from the decoded path, and
 * the path exactly as sent); returns the signing key and, for aws-chunked, the chunk signing seed.
 */
export function verifySignature(
  req: IncomingMessage,
  method: string,
  fullPath: string,
  pairs: [string, string][],
  auth: SigV4Auth,
  secret: string,
  info: PayloadInfo,
): ChunkSigning | null {
  const { payloadHash, payload } = info;
  const query = canonicalQuery(pairs, auth.kind === 'query' ? 'X-Amz-Signature' : undefined);
  const keyBytes = signingKey(secret, auth.date, auth.region, auth.service);
  const candidates = [canonicalUri(fullPath)];
  if (candidates[0] !== fullPath) candidates.push(fullPath);
  let matched = false;
  for (const uri of candidates) {
    const canonical = canonicalRequest(method, uri, query, req.headers, auth.signedHeaders, payloadHash);
    if (signatureEquals(computeSignature(keyBytes, auth, canonical), auth.signature)) {
      matched = true;
      break;
    }
  }
  if (!matched)
    throw new StorageError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: auth.accessKeyId },
    );
  return payload === 'streaming-signed'
    ? { key: keyBytes, amzDate: auth.amzDate, scope: scopeOf(auth), seed: auth.signature }
    : null;
}
