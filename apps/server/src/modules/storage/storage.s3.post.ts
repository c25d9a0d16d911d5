/**
 * POST Object: browser form uploads (`<form method="post" enctype="multipart/form-data">` to
 * `/<bucket>`), as AWS documents them. The form carries a base64 POST policy signed with SigV4
 * (`x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `x-amz-signature`) or SigV2
 * (`AWSAccessKeyId`, `signature`); the policy's conditions (exact match, `eq`, `starts-with`,
 * `content-length-range`) must hold for every form field and every form field must be covered by a
 * condition. The `file` field is the object; it must come after the other fields (fields after it
 * are ignored). The body is streamed (busboy) into the normal PutObject path, so digests, locks,
 * versioning, object lock defaults and audit are the same as for PUT.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import Busboy, { type BusboyFileStream } from '@fastify/busboy';
import type { Actor } from '../../platform/db/repository.ts';
import { notImplemented, StorageError } from './storage.errors.ts';
import { quoteEtag } from './storage.http-conditions.ts';
import { MAX_PUT_BYTES } from './storage.names.ts';
import { parseLockValues } from './storage.s3.objectlock.ts';
import type { S3HandlerDeps } from './storage.s3.request.ts';
import { parseAmzDate, signingKey } from './storage.s3.sigv4.ts';
import { children, parseXml, text, xmlDocument, tag as xmlTag } from './storage.s3.xml.ts';
import { validateObjectTags } from './storage.tagging.service.ts';
import type { ObjectAttributes, StorageContext, StoredHeaders, Tag } from './storage.types.ts';

/** AWS replaces this in the `key` field with the uploaded file's name. */
const FILENAME_VARIABLE = ['$', '{filename}'].join('');

export function isFormUpload(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

// ---------------------------------------------------------------- policy

export type PolicyCondition =
  | { kind: 'eq'; field: string; value: string }
  | { kind: 'starts-with'; field: string; value: string }
  | { kind: 'content-length-range'; min: number; max: number };

export interface PostPolicy {
  expiration: number;
  conditions: PolicyCondition[];
  /** The conditions as written, for error messages. */
  raw: unknown[];
}

function invalidPolicy(message: string): StorageError {
  return new StorageError('InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

function policyDenied(message: string): StorageError {
  return new StorageError('AccessDenied', `Invalid according to Policy: ${message}`);
}

const fieldOf = (ref: unknown): string => {
  if (typeof ref !== 'string' || !ref.startsWith('$'))
    throw invalidPolicy('Invalid Condition: field references start with $.');
  return ref.slice(1).toLowerCase();
};

/** Decode and check the shape of a base64 POST policy (AWS's 400 InvalidPolicyDocument otherwise). */
export function parsePolicy(base64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const exp = typeof expiration === 'string' ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(exp)) throw invalidPolicy("Invalid 'expiration' value: must be an ISO 8601 date-time.");
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalidPolicy("Invalid 'conditions' value: must be a list.");
  const out: PolicyCondition[] = [];
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const op = String(c[0] ?? '').toLowerCase();
      if (op === 'content-length-range') {
        const [min, max] = [Number(c[1]), Number(c[2])];
        if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min)
          throw invalidPolicy('Invalid content-length-range: needs two integers, min ≤ max.');
        out.push({ kind: 'content-length-range', min, max });
      } else if (op === 'eq' || op === 'starts-with') {
        if (c.length !== 3 || typeof c[2] !== 'string')
          throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)} needs a field and a string value.`);
        out.push({ kind: op, field: fieldOf(c[1]), value: c[2] });
      } else throw invalidPolicy(`Invalid Condition: unknown operation ${JSON.stringify(c[0])}.`);
    } else if (typeof c === 'object' && c !== null) {
      const entries = Object.entries(c);
      if (entries.length !== 1 || typeof entries[0]![1] !== 'string')
        throw invalidPolicy(
          `Invalid Condition: ${JSON.stringify(c)} must name one field with a string value.`,
        );
      out.push({ kind: 'eq', field: entries[0]![0].toLowerCase(), value: entries[0]![1] as string });
    } else throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}.`);
  }
  return { expiration: exp, conditions: out, raw: conditions };
}

/** Form fields that need no condition (AWS's list; plus x-ignore-*). */
const UNCHECKED = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);

/**
 * The policy against the form (lower-cased names; `bucket` is the request's bucket). Returns the
 * content-length range to enforce on the file.
 */
export function checkPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  nowMs: number,
): { min: number; max: number } | null {
  if (policy.expiration <= nowMs) throw policyDenied('Policy expired.');
  let range: { min: number; max: number } | null = null;
  const covered = new Set<string>();
  policy.conditions.forEach((c, i) => {
    const raw = JSON.stringify(policy.raw[i]);
    if (c.kind === 'content-length-range') {
      range = { min: c.min, max: c.max };
      return;
    }
    covered.add(c.field);
    const value = fields.get(c.field) ?? '';
    if (c.kind === 'eq') {
      if (value !== c.value) throw policyDenied(`Policy Condition failed: ${raw}`);
      return;
    }
    // starts-with; Content-Type may list several types, each must match
    const values = c.field === 'content-type' ? value.split(',').map((v) => v.trim()) : [value];
    if (!values.every((v) => v.startsWith(c.value))) throw policyDenied(`Policy Condition failed: ${raw}`);
  });
  const extra = [...fields.keys()].filter(
    (f) => f !== 'bucket' && !UNCHECKED.has(f) && !f.startsWith('x-ignore-') && !covered.has(f),
  );
  if (extra.length) throw policyDenied(`Extra input fields: ${extra.join(', ')}`);
  return range;
}

function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------------------------------------------------------------- the request

export interface PostObjectInput {
  req: IncomingMessage;
  res: ServerResponse;
  bucket: string;
  requestId: string;
  ip: string;
  origin: string;
  extraHeaders: Record<string, string>;
  deps: S3HandlerDeps;
  /** The secret and identity of a stored access key (InvalidAccessKeyId otherwise). */
  credentials: (accessKeyId: string) => Promise<{ secret: string; actor: Actor }>;
  /** The storage context once known (for the handler's failure audit). */
  onContext: (ctx: StorageContext) => void;
}

interface FilePart {
  stream: BusboyFileStream;
  filename: string;
  mimeType: string;
}

/** Read the form: every field before `file`, then the file stream itself. */
function readForm(req: IncomingMessage): {
  fields: Map<string, string>;
  file: Promise<FilePart | null>;
  done: Promise<void>;
} {
  const fields = new Map<string, string>();
  let resolveFile!: (f: FilePart | null) => void;
  let rejectFile!: (e: unknown) => void;
  const file = new Promise<FilePart | null>((res, rej) => {
    resolveFile = res;
    rejectFile = rej;
  });
  let seen = false;
  const bb = Busboy({
    headers: req.headers as { 'content-type': string },
    isPartAFile: (name) => (name ?? '').toLowerCase() === 'file',
    limits: { fieldSize: 64 * 1024, fields: 200, fieldNameSize: 256, parts: 210 },
  });
  const done = new Promise<void>((resolve, reject) => {
    bb.on('field', (name, value, _nt, valueTruncated) => {
      if (seen) return; // AWS ignores fields after the file
      if (valueTruncated) {
        reject(new StorageError('InvalidArgument', `The form field ${name} is too long.`));
        return;
      }
      const k = name.toLowerCase();
      if (!fields.has(k)) fields.set(k, value);
    });
    bb.on('file', (_name, stream, filename, _enc, mimeType) => {
      if (seen) {
        stream.resume();
        reject(new StorageError('InvalidArgument', 'POST requires exactly one file upload per request.'));
        return;
      }
      seen = true;
      resolveFile({ stream, filename, mimeType });
    });
    bb.on('finish', () => {
      if (!seen) resolveFile(null);
      resolve();
    });
    bb.on('error', (err) => {
      const e = new StorageError(
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
      );
      rejectFile(e);
      reject(e);
      void err;
    });
    req.on('error', (err) => {
      rejectFile(err);
      reject(err);
    });
  });
  done.catch(() => undefined);
  req.pipe(bb);
  return { fields, file, done };
}

/** Authenticate the form (SigV4 or SigV2 over the policy) and answer the identity. */
async function authenticate(
  input: PostObjectInput,
  fields: ReadonlyMap<string, string>,
): Promise<{ actor: Actor; policy: PostPolicy }> {
  const policyB64 = fields.get('policy');
  const v4sig = fields.get('x-amz-signature');
  const v2sig = fields.get('signature');
  if (policyB64 === undefined || (v4sig === undefined && v2sig === undefined))
    throw new StorageError(
      'AccessDenied',
      'Access Denied (a POST upload needs a policy signed with an access key: policy and x-amz-signature, or AWSAccessKeyId and signature)',
    );
  if (v4sig !== undefined) {
    const algorithm = fields.get('x-amz-algorithm');
    if (algorithm !== 'AWS4-HMAC-SHA256')
      throw new StorageError('InvalidArgument', 'POST requires x-amz-algorithm AWS4-HMAC-SHA256.', {
        ArgumentName: 'x-amz-algorithm',
        ArgumentValue: algorithm ?? '',
      });
    const credential = fields.get('x-amz-credential') ?? '';
    const parts = credential.split('/');
    if (parts.length !== 5 || parts[3] !== 's3' || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!))
      throw new StorageError(
        'InvalidArgument',
        'Invalid x-amz-credential: AKID/YYYYMMDD/region/s3/aws4_request.',
        {
          ArgumentName: 'x-amz-credential',
          ArgumentValue: credential,
        },
      );
    const amzDate = fields.get('x-amz-date') ?? '';
    if (parseAmzDate(amzDate) === null)
      throw new StorageError('InvalidArgument', 'Invalid x-amz-date: YYYYMMDDTHHMMSSZ.', {
        ArgumentName: 'x-amz-date',
        ArgumentValue: amzDate,
      });
    const [accessKeyId, date, region] = parts as [string, string, string];
    const { secret, actor } = await input.credentials(accessKeyId);
    const expected = createHmac('sha256', signingKey(secret, date, region, 's3'))
      .update(policyB64, 'utf8')
      .digest('hex');
    if (!signatureMatches(expected, v4sig.toLowerCase()))
      throw new StorageError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { AWSAccessKeyId: accessKeyId, StringToSign: policyB64 },
      );
    return { actor, policy: parsePolicy(policyB64) };
  }
  const accessKeyId = fields.get('awsaccesskeyid');
  if (!accessKeyId)
    throw new StorageError('InvalidArgument', 'Bucket POST must contain a field named AWSAccessKeyId.');
  const { secret, actor } = await input.credentials(accessKeyId);
  const expected = createHmac('sha1', secret).update(policyB64, 'utf8').digest('base64');
  if (!signatureMatches(expected, v2sig!))
    throw new StorageError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: accessKeyId, StringToSign: policyB64 },
    );
  return { actor, policy: parsePolicy(policyB64) };
}

/** Count the file's bytes and stop early past the policy's maximum. */
function limited(stream: Readable, max: number): Readable {
  let n = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > max) {
        cb(
          new StorageError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            MaxSizeAllowed: String(max),
          }),
        );
        return;
      }
      cb(null, chunk);
    },
  });
  stream.on('error', (e) => t.destroy(e));
  // the reader of `t` (the object write) gets the error through its own stream handling; without
  // a listener here a late 'error' (after that reader gave up) would be an uncaught exception
  t.on('error', () => undefined);
  stream.pipe(t);
  return t;
}

const HEADER_FIELDS: [string, keyof StoredHeaders][] = [
  ['cache-control', 'cacheControl'],
  ['content-disposition', 'contentDisposition'],
  ['content-encoding', 'contentEncoding'],
  ['content-language', 'contentLanguage'],
  ['expires', 'expires'],
];

function attributesOf(fields: ReadonlyMap<string, string>): ObjectAttributes {
  const headers: StoredHeaders = {};
  for (const [field, name] of HEADER_FIELDS) {
    const v = fields.get(field);
    if (v !== undefined) headers[name] = v;
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of fields) if (k.startsWith('x-amz-meta-')) metadata[k.slice('x-amz-meta-'.length)] = v;
  return { contentType: fields.get('content-type') ?? 'binary/octet-stream', headers, metadata };
}

function tagsOf(fields: ReadonlyMap<string, string>): Tag[] | null {
  const xml = fields.get('tagging');
  if (xml === undefined) return null;
  const doc = parseXml(xml, 'Tagging');
  const set = children(doc, 'TagSet');
  const tags = (set[0] ? children(set[0], 'Tag') : []).map((t) => ({
    key: text(t, 'Key') ?? '',
    value: text(t, 'Value') ?? '',
  }));
  validateObjectTags(tags);
  return tags;
}

function rejectUnsupportedFields(fields: ReadonlyMap<string, string>): void {
  const acl = fields.get('acl');
  if (acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control')
    throw new StorageError('AccessControlListNotSupported', 'The bucket does not allow ACLs');
  for (const f of fields.keys())
    if (f.startsWith('x-amz-server-side-encryption') && f !== 'x-amz-server-side-encryption')
      throw notImplemented('SSE-C and SSE-KMS in browser form uploads');
  const sse = fields.get('x-amz-server-side-encryption');
  if (sse !== undefined && sse !== 'AES256')
    throw new StorageError('InvalidArgument', 'The encryption method specified is not supported', {
      ArgumentName: 'x-amz-server-side-encryption',
      ArgumentValue: sse,
    });
  const sc = fields.get('x-amz-storage-class');
  if (sc && sc !== 'STANDARD')
    throw new StorageError('InvalidArgument', `Storage class ${sc} is not supported; only STANDARD`, {
      ArgumentName: 'x-amz-storage-class',
    });
}

/** The whole POST Object request: read the form, authenticate, upload, answer as AWS does. */
export async function postObject(input: PostObjectInput): Promise<void> {
  const { req, res, bucket, deps } = input;
  if ((req.headers.expect ?? '').toLowerCase() === '100-continue') res.writeContinue();
  const form = readForm(req);
  const file = await form.file;
  const fields = form.fields;
  if (!file) {
    await form.done;
    if (!fields.has('key'))
      throw new StorageError(
        'InvalidArgument',
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        { ArgumentName: 'key' },
      );
    throw new StorageError('InvalidArgument', 'POST requires exactly one file upload per request.', {
      ArgumentName: 'file',
    });
  }
  try {
    if (!fields.has('key'))
      throw new StorageError(
        'InvalidArgument',
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        { ArgumentName: 'key' },
      );
    const { actor, policy } = await authenticate(input, fields);
    const ctx: StorageContext = {
      actor,
      ip: input.ip,
      requestId: input.requestId,
      userAgent: (req.headers['user-agent'] ?? '').slice(0, 256) || null,
      audited: false,
      surface: 's3',
    };
    input.onContext(ctx);
    const checked = new Map(fields);
    checked.set('bucket', bucket);
    const range = checkPolicy(policy, checked, deps.clock.now().getTime());
    rejectUnsupportedFields(fields);
    const key = fields.get('key')!.replaceAll(FILENAME_VARIABLE, file.filename);
    if (key === '')
      throw new StorageError('InvalidArgument', 'The key must not be empty.', { ArgumentName: 'key' });
    const attrs = attributesOf(fields);
    const tags = tagsOf(fields);
    const lock = parseLockValues((name) => fields.get(name), deps.clock.now().getTime());
    if (lock) await deps.service.objectLock.assertLockable(ctx, bucket);
    const max = Math.min(range?.max ?? MAX_PUT_BYTES, MAX_PUT_BYTES);
    const stream = limited(file.stream, max);
    const result = await deps.service.putObject(
      ctx,
      bucket,
      key,
      {
        stream,
        length: null,
        verify: (d) => {
          if (range && d.size < range.min)
            throw new StorageError(
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed size',
              {
                MinSizeAllowed: String(range.min),
                ProposedSize: String(d.size),
              },
            );
        },
        sse: fields.get('x-amz-server-side-encryption') === 'AES256' ? { algorithm: 'AES256' } : null,
      },
      attrs,
      {},
      tags,
      lock,
    );
    await form.done;
    answer(input, key, result.etag, result.versionId ?? null, !!result.versioned, fields);
  } catch (err) {
    file.stream.resume(); // let busboy finish reading the body
    // Answer once the rest of the form is read (at most 10 s): a client still writing its body
    // when we answer and close the connection sees EPIPE instead of our error (Node 24's fetch).
    await Promise.race([form.done.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    throw err;
  }
}

function answer(
  input: PostObjectInput,
  key: string,
  etag: string,
  versionId: string | null,
  versioned: boolean,
  fields: ReadonlyMap<string, string>,
): void {
  const { res, bucket } = input;
  const location = `${input.origin}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  for (const [k, v] of Object.entries(input.extraHeaders)) res.setHeader(k, v);
  res.setHeader('etag', quoteEtag(etag));
  res.setHeader('location', location);
  if (versioned) res.setHeader('x-amz-version-id', versionId ?? 'null');
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    let target: URL | null = null;
    try {
      target = new URL(redirect);
    } catch {
      target = null;
    }
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) {
      target.searchParams.set('bucket', bucket);
      target.searchParams.set('key', key);
      target.searchParams.set('etag', quoteEtag(etag));
      res.statusCode = 303;
      res.setHeader('location', target.toString());
      res.setHeader('content-length', 0);
      res.end();
      return;
    }
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const body = xmlDocument(
      'PostResponse',
      [
        xmlTag('Location', location),
        xmlTag('Bucket', bucket),
        xmlTag('Key', key),
        xmlTag('ETag', quoteEtag(etag)),
      ],
      false,
    );
    res.statusCode = 201;
    res.setHeader('content-type', 'application/xml');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  res.statusCode = status === '200' ? 200 : 204;
  if (res.statusCode === 200) res.setHeader('content-length', 0);
  res.end();
}
