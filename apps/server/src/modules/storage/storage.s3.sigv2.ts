import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { StorageError } from './storage.errors.ts';
import { header } from './storage.s3.request.ts';
import { canonicalUri, MAX_SKEW_MS, signatureEquals } from './storage.s3.sigv4.ts';

/**
 * AWS Signature Version 2 (legacy clients: aws-cli v1 `s3 presign`, s3cmd, boto2): the
 * `Authorization: AWS AccessKeyId:Signature` header and the presigned query
 * (`AWSAccessKeyId`, `Expires`, `Signature`), HMAC-SHA1 over AWS's StringToSign.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
 */

export interface SigV2Auth {
  version: 2;
  kind: 'header' | 'query';
  accessKeyId: string;
  signature: string;
  /** Presigned: the Expires value (epoch seconds), which takes the Date line's place. */
  expires: number | null;
}

/** The sub-resources (and response overrides) that belong to the CanonicalizedResource. */
export const SUB_RESOURCES: ReadonlySet<string> = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'retention',
  'select',
  'select-type',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

function decodeLoose(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new StorageError('InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** `?sub&sub=value…` of the raw query: sub-resources only, sorted by name, values decoded. */
export function subResourceString(rawQuery: string): string {
  const subs: { name: string; text: string }[] = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decodeLoose(eq < 0 ? part : part.slice(0, eq));
    if (!SUB_RESOURCES.has(name)) continue;
    // "?acl" and "?uploads=" are both seen in the wild; sign what the client sent
    subs.push({ name, text: eq < 0 ? name : `${name}=${decodeLoose(part.slice(eq + 1))}` });
  }
  subs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return subs.length ? `?${subs.map((s) => s.text).join('&')}` : '';
}

/** CanonicalizedAmzHeaders: x-amz-* lower-cased, sorted, values joined by ',', whitespace unfolded. */
export function canonicalAmzHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string {
  const out: [string, string][] = [];
  for (const [rawName, v] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('x-amz-') || v === undefined) continue;
    const values = (Array.isArray(v) ? v : [v]).map((s) => s.replace(/\s*\r?\n\s*/g, ' ').trim());
    out.push([name, values.join(',')]);
  }
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out.map(([k, v]) => `${k}:${v}\n`).join('');
}

/**
 * StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders
 * CanonicalizedResource (the resource already carries its sub-resources).
 */
export function stringToSignV2(input: {
  method: string;
  contentMd5: string;
  contentType: string;
  date: string;
  amzHeaders: string;
  resource: string;
}): string {
  return `${input.method}\n${input.contentMd5}\n${input.contentType}\n${input.date}\n${input.amzHeaders}${input.resource}`;
}

export function signV2(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** Does the request carry a V2 signature (header `AWS id:sig` or `AWSAccessKeyId` query)? */
export function isSigV2(req: IncomingMessage, params: ReadonlyMap<string, string>): boolean {
  const h = header(req, 'authorization');
  if (h) return h.startsWith('AWS ');
  return params.has('AWSAccessKeyId') && !params.has('X-Amz-Algorithm');
}

/** Parse and time-check a V2 signature (RequestTimeTooSkewed / "Request has expired"). */
export function parseSigV2(
  req: IncomingMessage,
  params: ReadonlyMap<string, string>,
  now: number,
): SigV2Auth {
  const h = header(req, 'authorization');
  if (h) {
    const m = /^AWS ([^:\s]+):(\S+)$/.exec(h.trim());
    if (!m)
      throw new StorageError(
        'InvalidArgument',
        'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature',
        { ArgumentName: 'Authorization', ArgumentValue: h },
      );
    const dateText = header(req, 'x-amz-date') ?? header(req, 'date');
    const dateMs = dateText ? Date.parse(dateText) : Number.NaN;
    if (Number.isNaN(dateMs))
      throw new StorageError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    if (Math.abs(now - dateMs) > MAX_SKEW_MS)
      throw new StorageError(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: dateText!,
          ServerTime: new Date(now).toISOString(),
          MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
        },
      );
    return { version: 2, kind: 'header', accessKeyId: m[1]!, signature: m[2]!, expires: null };
  }
  const accessKeyId = params.get('AWSAccessKeyId') ?? '';
  const signature = params.get('Signature');
  const expiresText = params.get('Expires');
  if (!accessKeyId || !signature || !expiresText)
    throw new StorageError(
      'AccessDenied',
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
  if (!/^\d+$/.test(expiresText))
    throw new StorageError('AccessDenied', 'Invalid date (should be seconds since epoch)', {
      ArgumentName: 'Expires',
      ArgumentValue: expiresText,
    });
  const expires = Number(expiresText);
  if (now > expires * 1000)
    throw new StorageError('AccessDenied', 'Request has expired', {
      Expires: new Date(expires * 1000).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  return { version: 2, kind: 'query', accessKeyId, signature, expires };
}

/**
 * Verify a V2 signature. The CanonicalizedResource is tried as the client sent the path (with
 * and without the mount) and re-encoded once (clients differ in how they escape keys);
 * virtual-host requests sign
 * `/bucket` + path. A mismatch answers SignatureDoesNotMatch with the StringToSign we expected.
 */
export function verifySigV2(
  req: IncomingMessage,
  method: string,
  fullPath: string,
  /** The path without the `/s3` mount on the main port (botocore signs `/bucket/key`). */
  path: string,
  rawQuery: string,
  virtualBucket: string | null,
  auth: SigV2Auth,
  secret: string,
): void {
  const prefix = virtualBucket ? `/${virtualBucket}` : '';
  const subs = subResourceString(rawQuery);
  const paths = new Set([path, fullPath]);
  for (const p of [path, fullPath])
    try {
      paths.add(canonicalUri(p));
    } catch {
      // the handler reports malformed paths; keep the path as sent
    }
  const amzHeaders = canonicalAmzHeaders(req.headersDistinct ?? req.headers);
  const dates =
    auth.kind === 'query'
      ? [String(auth.expires)]
      : header(req, 'x-amz-date')
        ? // AWS says the Date line is empty when x-amz-date is present; its own examples put the
          // x-amz-date value there, and some clients sign Date anyway
          ['', header(req, 'x-amz-date')!, header(req, 'date') ?? '']
        : [header(req, 'date') ?? ''];
  const base = {
    method,
    contentMd5: header(req, 'content-md5') ?? '',
    contentType: header(req, 'content-type') ?? '',
    amzHeaders,
  };
  let first: string | null = null;
  for (const candidate of paths)
    for (const date of [...new Set(dates)]) {
      const sts = stringToSignV2({ ...base, date, resource: `${prefix}${candidate}${subs}` });
      first ??= sts;
      if (signatureEquals(signV2(secret, sts), auth.signature)) return;
    }
  throw new StorageError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      AWSAccessKeyId: auth.accessKeyId,
      StringToSign: first!,
      SignatureProvided: auth.signature,
      StringToSignBytes: [...Buffer.from(first!, 'utf8')]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join(' '),
    },
  );
}
