/**
 * Bucket lifecycle rules (S3's LifecycleConfiguration): the model, its validation as AWS validates
 * it, the XML form, and the pure "is this due" arithmetic the lifecycle job applies.
 */
import { randomBytes } from 'node:crypto';
import { StorageError } from './storage.errors.ts';
import { children, node, tag, text, type XmlObject, xmlDocument } from './storage.s3.xml.ts';
import type { Tag } from './storage.types.ts';

export interface LifecycleFilter {
  prefix?: string;
  tags?: Tag[];
  /** Bytes; the object must be strictly larger. */
  objectSizeGreaterThan?: number;
  /** Bytes; the object must be strictly smaller. */
  objectSizeLessThan?: number;
}

export interface LifecycleRule {
  id: string;
  status: 'Enabled' | 'Disabled';
  filter: LifecycleFilter;
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

export const MAX_LIFECYCLE_RULES = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

function malformed(message: string): StorageError {
  return new StorageError('MalformedXML', message);
}

function invalidArgument(message: string, name: string, value: unknown): StorageError {
  return new StorageError('InvalidArgument', message, { ArgumentName: name, ArgumentValue: String(value) });
}

function positiveInt(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0))
    throw invalidArgument(`'${what}' must be a positive integer`, what, value);
}

/** Validates rules as S3 does (error codes included) and fills in generated rule ids. */
export function validateLifecycleRules(rules: LifecycleRule[]): LifecycleRule[] {
  if (rules.length === 0) throw malformed('A lifecycle configuration needs at least one Rule.');
  if (rules.length > MAX_LIFECYCLE_RULES)
    throw malformed(`A lifecycle configuration can have at most ${MAX_LIFECYCLE_RULES} rules.`);
  const ids = new Set<string>();
  return rules.map((rule) => {
    const id = rule.id || randomBytes(12).toString('base64url');
    if (id.length > 255)
      throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id.slice(0, 40));
    if (ids.has(id))
      throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    ids.add(id);
    if (rule.status !== 'Enabled' && rule.status !== 'Disabled')
      throw malformed('Status of a lifecycle rule must be Enabled or Disabled.');
    const { expiration: exp, noncurrentVersionExpiration: nve, abortIncompleteMultipartUpload: abort } = rule;
    if (!exp && !nve && !abort)
      throw new StorageError('InvalidRequest', 'At least one action needs to be specified in a rule');
    const tags = rule.filter.tags ?? [];
    if (exp) {
      const set = [
        exp.days !== undefined,
        exp.date !== undefined,
        exp.expiredObjectDeleteMarker !== undefined,
      ];
      if (set.filter(Boolean).length !== 1)
        throw malformed('Expiration needs exactly one of Days, Date and ExpiredObjectDeleteMarker.');
      positiveInt(exp.days, 'Days');
      if (exp.date !== undefined) {
        const t = Date.parse(exp.date);
        if (Number.isNaN(t)) throw invalidArgument("'Date' must be a valid ISO 8601 date", 'Date', exp.date);
        if (t % DAY_MS !== 0) throw invalidArgument("'Date' must be at midnight GMT", 'Date', exp.date);
      }
      if (exp.expiredObjectDeleteMarker && tags.length > 0)
        throw new StorageError('InvalidRequest', 'ExpiredObjectDeleteMarker cannot be specified with Tags.');
    }
    if (nve) {
      positiveInt(nve.noncurrentDays, 'NoncurrentDays');
      if (nve.newerNoncurrentVersions !== undefined) {
        const n = nve.newerNoncurrentVersions;
        if (!Number.isInteger(n) || n < 1 || n > 100)
          throw invalidArgument(
            "'NewerNoncurrentVersions' must be an integer from 1 to 100",
            'NewerNoncurrentVersions',
            n,
          );
      }
    }
    if (abort) {
      positiveInt(abort.daysAfterInitiation, 'DaysAfterInitiation');
      if (
        tags.length > 0 ||
        rule.filter.objectSizeGreaterThan !== undefined ||
        rule.filter.objectSizeLessThan !== undefined
      )
        throw new StorageError(
          'InvalidRequest',
          'AbortIncompleteMultipartUpload cannot be specified with Tags or object size filters.',
        );
    }
    const { objectSizeGreaterThan: gt, objectSizeLessThan: lt } = rule.filter;
    for (const [v, name] of [
      [gt, 'ObjectSizeGreaterThan'],
      [lt, 'ObjectSizeLessThan'],
    ] as const)
      if (v !== undefined && (!Number.isInteger(v) || v < 0))
        throw invalidArgument(`'${name}' must be a non-negative integer`, name, v);
    if (gt !== undefined && lt !== undefined && gt >= lt)
      throw invalidArgument(
        "'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'",
        'ObjectSizeGreaterThan',
        gt,
      );
    const keys = new Set<string>();
    for (const t of tags) {
      if (keys.has(t.key)) throw new StorageError('InvalidRequest', 'Duplicate Tag Keys are not allowed.');
      keys.add(t.key);
    }
    return { ...rule, id };
  });
}

// ------------------------------------------------------------------ XML

function intField(obj: XmlObject, name: string): number | undefined {
  const v = text(obj, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw malformed(`${name} must be an integer.`);
  return Number(v.trim());
}

function tagOf(t: XmlObject): Tag {
  return { key: text(t, 'Key') ?? '', value: text(t, 'Value') ?? '' };
}

function filterOf(rule: XmlObject): LifecycleFilter {
  const legacyPrefix = text(rule, 'Prefix');
  const filters = children(rule, 'Filter');
  if (filters.length > 1) throw malformed('A rule can have one Filter.');
  const f = filters[0];
  if (f && legacyPrefix !== undefined) throw malformed('A rule can have a Filter or a Prefix, not both.');
  if (!f) return legacyPrefix ? { prefix: legacyPrefix } : {};
  const and = children(f, 'And')[0];
  const direct = {
    prefix: text(f, 'Prefix'),
    tags: children(f, 'Tag'),
    gt: intField(f, 'ObjectSizeGreaterThan'),
    lt: intField(f, 'ObjectSizeLessThan'),
  };
  const directCount =
    (direct.prefix !== undefined ? 1 : 0) +
    direct.tags.length +
    (direct.gt !== undefined ? 1 : 0) +
    (direct.lt !== undefined ? 1 : 0);
  if (and) {
    if (directCount > 0) throw malformed('A Filter with And can have nothing else.');
    const out: LifecycleFilter = {};
    const prefix = text(and, 'Prefix');
    if (prefix) out.prefix = prefix;
    const tags = children(and, 'Tag').map(tagOf);
    if (tags.length) out.tags = tags;
    const gt = intField(and, 'ObjectSizeGreaterThan');
    const lt = intField(and, 'ObjectSizeLessThan');
    if (gt !== undefined) out.objectSizeGreaterThan = gt;
    if (lt !== undefined) out.objectSizeLessThan = lt;
    return out;
  }
  if (directCount > 1) throw malformed('A Filter with more than one condition needs an And.');
  if (direct.prefix) return { prefix: direct.prefix };
  if (direct.tags[0]) return { tags: [tagOf(direct.tags[0])] };
  if (direct.gt !== undefined) return { objectSizeGreaterThan: direct.gt };
  if (direct.lt !== undefined) return { objectSizeLessThan: direct.lt };
  return {};
}

export function parseLifecycleXml(doc: XmlObject): LifecycleRule[] {
  return children(doc, 'Rule').map((r) => {
    for (const unsupported of ['Transition', 'NoncurrentVersionTransition'])
      if (children(r, unsupported).length > 0)
        throw new StorageError(
          'NotImplemented',
          `${unsupported} is not supported: ProxiCloud has one storage class (STANDARD).`,
        );
    const rule: LifecycleRule = {
      id: text(r, 'ID') ?? '',
      status: (text(r, 'Status') ?? '').trim() as LifecycleRule['status'],
      filter: filterOf(r),
    };
    const exp = children(r, 'Expiration')[0];
    if (exp) {
      const marker = text(exp, 'ExpiredObjectDeleteMarker');
      const days = intField(exp, 'Days');
      const date = text(exp, 'Date');
      rule.expiration = {
        ...(days !== undefined ? { days } : {}),
        ...(date !== undefined ? { date: date.trim() } : {}),
        ...(marker !== undefined
          ? { expiredObjectDeleteMarker: marker.trim().toLowerCase() === 'true' }
          : {}),
      };
    }
    const nve = children(r, 'NoncurrentVersionExpiration')[0];
    if (nve) {
      const newer = intField(nve, 'NewerNoncurrentVersions');
      rule.noncurrentVersionExpiration = {
        noncurrentDays: intField(nve, 'NoncurrentDays') ?? Number.NaN,
        ...(newer !== undefined ? { newerNoncurrentVersions: newer } : {}),
      };
    }
    const abort = children(r, 'AbortIncompleteMultipartUpload')[0];
    if (abort)
      rule.abortIncompleteMultipartUpload = {
        daysAfterInitiation: intField(abort, 'DaysAfterInitiation') ?? Number.NaN,
      };
    return rule;
  });
}

function tagXml(t: Tag): string {
  return node('Tag', [tag('Key', t.key), tag('Value', t.value)]);
}

function filterXml(f: LifecycleFilter): string {
  const parts: string[] = [];
  if (f.prefix !== undefined) parts.push(tag('Prefix', f.prefix));
  for (const t of f.tags ?? []) parts.push(tagXml(t));
  if (f.objectSizeGreaterThan !== undefined)
    parts.push(tag('ObjectSizeGreaterThan', f.objectSizeGreaterThan));
  if (f.objectSizeLessThan !== undefined) parts.push(tag('ObjectSizeLessThan', f.objectSizeLessThan));
  if (parts.length === 0) return node('Filter', tag('Prefix', ''));
  return node('Filter', parts.length === 1 ? parts : node('And', parts));
}

export function lifecycleXml(rules: LifecycleRule[]): string {
  return xmlDocument(
    'LifecycleConfiguration',
    rules.map((r) => {
      const parts = [tag('ID', r.id), filterXml(r.filter), tag('Status', r.status)];
      if (r.expiration) {
        const e = r.expiration;
        parts.push(
          node('Expiration', [
            ...(e.days !== undefined ? [tag('Days', e.days)] : []),
            ...(e.date !== undefined ? [tag('Date', new Date(e.date).toISOString())] : []),
            ...(e.expiredObjectDeleteMarker !== undefined
              ? [tag('ExpiredObjectDeleteMarker', e.expiredObjectDeleteMarker)]
              : []),
          ]),
        );
      }
      if (r.noncurrentVersionExpiration) {
        const n = r.noncurrentVersionExpiration;
        parts.push(
          node('NoncurrentVersionExpiration', [
            tag('NoncurrentDays', n.noncurrentDays),
            ...(n.newerNoncurrentVersions !== undefined
              ? [tag('NewerNoncurrentVersions', n.newerNoncurrentVersions)]
              : []),
          ]),
        );
      }
      if (r.abortIncompleteMultipartUpload)
        parts.push(
          node(
            'AbortIncompleteMultipartUpload',
            tag('DaysAfterInitiation', r.abortIncompleteMultipartUpload.daysAfterInitiation),
          ),
        );
      return node('Rule', parts);
    }),
  );
}

// ------------------------------------------------------------------ evaluation

/**
 * S3's due time: the start time plus the days, rounded up to the next midnight UTC
 * (an object written 2026-01-15T10:30Z with Days=3 expires at 2026-01-19T00:00Z).
 */
export function dueAfterDays(startIso: string, days: number): number {
  const t = Date.parse(startIso) + days * DAY_MS;
  return Math.ceil(t / DAY_MS) * DAY_MS;
}

export interface LifecycleCandidate {
  key: string;
  size: number;
  /** Loaded only when a rule filters on tags. */
  tags?: Tag[];
}

export function needsTags(rules: LifecycleRule[]): boolean {
  return rules.some((r) => (r.filter.tags?.length ?? 0) > 0);
}

export function ruleMatches(rule: LifecycleRule, c: LifecycleCandidate): boolean {
  const f = rule.filter;
  if (f.prefix && !c.key.startsWith(f.prefix)) return false;
  if (f.objectSizeGreaterThan !== undefined && !(c.size > f.objectSizeGreaterThan)) return false;
  if (f.objectSizeLessThan !== undefined && !(c.size < f.objectSizeLessThan)) return false;
  for (const t of f.tags ?? [])
    if (!(c.tags ?? []).some((have) => have.key === t.key && have.value === t.value)) return false;
  return true;
}

/** When the current version of an object expires under the matching rules (null: never). */
export function currentExpiry(rules: LifecycleRule[], c: LifecycleCandidate, lastModified: string) {
  let best: { at: number; ruleId: string } | null = null;
  for (const r of rules) {
    if (r.status !== 'Enabled' || !r.expiration || !ruleMatches(r, c)) continue;
    const e = r.expiration;
    const at = e.days !== undefined ? dueAfterDays(lastModified, e.days) : e.date ? Date.parse(e.date) : null;
    if (at !== null && (!best || at < best.at)) best = { at, ruleId: r.id };
  }
  return best;
}
