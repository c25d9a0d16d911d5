/**
 * Bucket access control, the pure part: bucket policies (the IAM policy language subset S3 uses:
 * validation with AWS's MalformedPolicy messages, evaluation with explicit Deny > Allow > default
 * deny, "is this policy public"), ACLs (canned ACLs, grants, x-amz-grant-* headers, evaluation)
 * and the Public Access Block. No I/O: storage.access.service.ts stores and caches, the S3 gate
 * (storage.s3.policy.ts) builds the request context.
 */
import { BlockList, isIP } from 'node:net';
import { malformedPolicy, StorageError } from './storage.errors.ts';

// ------------------------------------------------------------------ S3 actions

/** Actions that apply to a bucket ARN (`arn:aws:s3:::bucket`). */
export const BUCKET_ACTIONS = [
  'ListBucket',
  'ListBucketVersions',
  'ListBucketMultipartUploads',
  'CreateBucket',
  'DeleteBucket',
  'GetBucketLocation',
  'GetBucketTagging',
  'PutBucketTagging',
  'GetBucketCORS',
  'PutBucketCORS',
  'GetBucketAcl',
  'PutBucketAcl',
  'GetBucketVersioning',
  'PutBucketVersioning',
  'GetLifecycleConfiguration',
  'PutLifecycleConfiguration',
  'GetBucketPolicy',
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketPublicAccessBlock',
  'PutBucketPublicAccessBlock',
  'GetBucketOwnershipControls',
  'PutBucketOwnershipControls',
  'GetEncryptionConfiguration',
  'PutEncryptionConfiguration',
  'GetBucketObjectLockConfiguration',
  'PutBucketObjectLockConfiguration',
  'GetBucketWebsite',
  'PutBucketWebsite',
  'DeleteBucketWebsite',
  'GetReplicationConfiguration',
  'PutReplicationConfiguration',
  'GetBucketNotification',
  'PutBucketNotification',
  'GetBucketLogging',
  'PutBucketLogging',
  'GetAccelerateConfiguration',
  'PutAccelerateConfiguration',
  'GetBucketRequestPayment',
  'PutBucketRequestPayment',
] as const;

/** Actions that apply to an object ARN (`arn:aws:s3:::bucket/key`). */
export const OBJECT_ACTIONS = [
  'GetObject',
  'GetObjectVersion',
  'PutObject',
  'DeleteObject',
  'DeleteObjectVersion',
  'GetObjectAcl',
  'GetObjectVersionAcl',
  'PutObjectAcl',
  'PutObjectVersionAcl',
  'GetObjectTagging',
  'GetObjectVersionTagging',
  'PutObjectTagging',
  'PutObjectVersionTagging',
  'DeleteObjectTagging',
  'DeleteObjectVersionTagging',
  'AbortMultipartUpload',
  'ListMultipartUploadParts',
  'GetObjectRetention',
  'PutObjectRetention',
  'GetObjectLegalHold',
  'PutObjectLegalHold',
  'BypassGovernanceRetention',
  'GetObjectAttributes',
  'GetObjectVersionAttributes',
  'RestoreObject',
] as const;

const SERVICE_ACTIONS = ['ListAllMyBuckets'] as const;

const ALL_ACTIONS: readonly string[] = [...BUCKET_ACTIONS, ...OBJECT_ACTIONS, ...SERVICE_ACTIONS];
const OBJECT_ACTION_SET = new Set<string>(OBJECT_ACTIONS.map((a) => a.toLowerCase()));

/** Actions the owner may always take, even under an explicit Deny (so a policy cannot lock them out). */
export const POLICY_MANAGEMENT_ACTIONS = new Set([
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
]);

// ------------------------------------------------------------------ wildcards

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!pattern.includes('*') && !pattern.includes('?'))
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // iterative glob match (no regex: patterns are user input)
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

// ------------------------------------------------------------------ policy documents

export type Effect = 'Allow' | 'Deny';

export interface ConditionClause {
  /** The operator without IfExists / set prefixes, e.g. StringLike. */
  operator: string;
  ifExists: boolean;
  set: 'ForAnyValue' | 'ForAllValues' | null;
  key: string;
  values: string[];
}

export interface PolicyStatement {
  sid: string | null;
  effect: Effect;
  /** null: NotPrincipal is used instead. */
  principals: string[] | null;
  notPrincipals: string[] | null;
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  conditions: ConditionClause[];
}

export interface BucketPolicy {
  /** The document as the owner sent it (GetBucketPolicy returns it unchanged). */
  text: string;
  statements: PolicyStatement[];
  /** Condition keys the policy reads (the gate only loads object tags when needed). */
  usesExistingObjectTags: boolean;
  /** Principal references other than `*` (checked against the users by the service). */
  principalRefs: string[];
}

export const MAX_POLICY_BYTES = 20 * 1024;

function malformed(message: string, offending?: { field: string; value: string }): StorageError {
  return malformedPolicy(message, offending);
}

const CONDITION_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

/** Condition keys the evaluator knows how to fill (others are refused, as S3 refuses them). */
const CONDITION_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SecureTransport',
    'aws:CurrentTime',
    'aws:EpochTime',
    'aws:UserAgent',
    'aws:Referer',
    'aws:userid',
    'aws:username',
    'aws:PrincipalType',
    'aws:PrincipalArn',
    's3:prefix',
    's3:delimiter',
    's3:max-keys',
    's3:x-amz-acl',
    's3:x-amz-content-sha256',
    's3:x-amz-copy-source',
    's3:x-amz-metadata-directive',
    's3:x-amz-server-side-encryption',
    's3:x-amz-server-side-encryption-customer-algorithm',
    's3:x-amz-storage-class',
    's3:VersionId',
    's3:signatureversion',
    's3:authType',
    's3:RequestObjectTagKeys',
    's3:x-amz-grant-read',
    's3:x-amz-grant-write',
    's3:x-amz-grant-read-acp',
    's3:x-amz-grant-write-acp',
    's3:x-amz-grant-full-control',
  ].map((k) => k.toLowerCase()),
);
const CONDITION_KEY_FAMILIES = ['s3:existingobjecttag/', 's3:requestobjecttag/'];

function stringList(value: unknown, what: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
    return value as string[];
  throw malformed(`${what} must be a string or a non-empty array of strings`);
}

function conditionValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw malformed('Condition values must not be empty');
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw malformed('Condition values must be strings, numbers or booleans');
  });
}

function parsePrincipal(value: unknown): string[] {
  if (value === '*') return ['*'];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw malformed('Invalid principal in policy', { field: 'Principal', value: JSON.stringify(value) });
  const out: string[] = [];
  for (const [type, v] of Object.entries(value as Record<string, unknown>)) {
    if (type !== 'AWS' && type !== 'CanonicalUser')
      throw malformed('Invalid principal in policy', { field: 'Principal', value: type });
    for (const p of stringList(v, 'Principal')) {
      if (p === '*' && type === 'AWS') out.push('*');
      else out.push(principalIdentifier(p));
    }
  }
  if (out.length === 0) throw malformed('Invalid principal in policy', { field: 'Principal', value: '{}' });
  return out;
}

/**
 * The ProxiCloud user a principal names: `arn:aws:iam::<user id or name>:root`,
 * `arn:aws:iam::<anything>:user/<username>`, or a bare user id / username / canonical id.
 */
export function principalIdentifier(p: string): string {
  const arn = /^arn:aws:iam::([^:]*):(root|user\/(.+))$/.exec(p);
  if (arn) return arn[3] ?? arn[1]!;
  if (p.startsWith('arn:')) throw malformed('Invalid principal in policy', { field: 'Principal', value: p });
  return p;
}

function resourceOf(arn: string, bucket: string): { kind: 'bucket' | 'object' } {
  const prefix = 'arn:aws:s3:::';
  if (!arn.startsWith(prefix))
    throw malformed('Policy has invalid resource', { field: 'Resource', value: arn });
  const rest = arn.slice(prefix.length);
  const slash = rest.indexOf('/');
  const bucketPart = slash < 0 ? rest : rest.slice(0, slash);
  // the resource must be (or, with wildcards, may be) this bucket
  if (!wildcardMatch(bucketPart, bucket))
    throw malformed('Policy has invalid resource', { field: 'Resource', value: arn });
  return { kind: slash < 0 && !bucketPart.endsWith('*') ? 'bucket' : 'object' };
}

function actionsMatching(pattern: string): string[] {
  if (pattern === '*') return ALL_ACTIONS.slice();
  const colon = pattern.indexOf(':');
  if (colon < 0 || pattern.slice(0, colon).toLowerCase() !== 's3')
    throw malformed('Policy has invalid action', { field: 'Action', value: pattern });
  const name = pattern.slice(colon + 1);
  const found = ALL_ACTIONS.filter((a) => wildcardMatch(name, a, true));
  if (found.length === 0) throw malformed('Policy has invalid action', { field: 'Action', value: pattern });
  return found;
}

function parseConditions(value: unknown): ConditionClause[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw malformed('Condition must be an object');
  const out: ConditionClause[] = [];
  for (const [rawOp, block] of Object.entries(value as Record<string, unknown>)) {
    let op = rawOp;
    let set: ConditionClause['set'] = null;
    if (op.startsWith('ForAnyValue:')) {
      set = 'ForAnyValue';
      op = op.slice('ForAnyValue:'.length);
    } else if (op.startsWith('ForAllValues:')) {
      set = 'ForAllValues';
      op = op.slice('ForAllValues:'.length);
    }
    let ifExists = false;
    if (op.endsWith('IfExists') && op !== 'Null') {
      ifExists = true;
      op = op.slice(0, -'IfExists'.length);
    }
    if (!CONDITION_OPERATORS.has(op)) throw malformed(`Invalid Condition type : ${rawOp}`);
    if (block === null || typeof block !== 'object' || Array.isArray(block))
      throw malformed(`Condition ${rawOp} must map condition keys to values`);
    for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
      const lower = key.toLowerCase();
      if (!CONDITION_KEYS.has(lower) && !CONDITION_KEY_FAMILIES.some((f) => lower.startsWith(f)))
        throw malformed('Policy has an invalid condition key', { field: 'Condition', value: key });
      const values = conditionValues(v);
      if (op === 'IpAddress' || op === 'NotIpAddress')
        for (const cidr of values) if (!parseCidr(cidr)) throw malformed(`Invalid IP address: ${cidr}`);
      if (op === 'Bool' || op === 'Null')
        for (const b of values)
          if (!['true', 'false'].includes(b.toLowerCase())) throw malformed(`Invalid ${op} value: ${b}`);
      if (op.startsWith('Numeric'))
        for (const n of values) if (!Number.isFinite(Number(n))) throw malformed(`Invalid number: ${n}`);
      if (op.startsWith('Date'))
        for (const d of values) if (Number.isNaN(dateValue(d))) throw malformed(`Invalid date: ${d}`);
      out.push({ operator: op, ifExists, set, key: lower, values });
    }
  }
  return out;
}

function dateValue(v: string): number {
  return /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
}

/** Validate and normalise a bucket policy for `bucket`, with S3's MalformedPolicy messages. */
export function parsePolicy(text: string, bucket: string): BucketPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    throw malformed(`Policy exceeds the maximum allowed document size (${MAX_POLICY_BYTES} bytes).`);
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!['Version', 'Id', 'Statement'].includes(k)) throw malformed(`Unknown field ${k}`);
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17')
    throw malformed('The policy must contain a valid version string');
  if (d.Statement === undefined) throw malformed('Missing required field Statement');
  const raw = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (raw.length === 0) throw malformed('Could not parse the policy: Statement is empty!');
  const statements: PolicyStatement[] = [];
  const refs = new Set<string>();
  let usesExistingObjectTags = false;
  const sids = new Set<string>();
  for (const s of raw) {
    if (s === null || typeof s !== 'object' || Array.isArray(s))
      throw malformed('Statement must be an object');
    const st = s as Record<string, unknown>;
    for (const k of Object.keys(st))
      if (
        ![
          'Sid',
          'Effect',
          'Principal',
          'NotPrincipal',
          'Action',
          'NotAction',
          'Resource',
          'NotResource',
          'Condition',
        ].includes(k)
      )
        throw malformed(`Unknown field ${k}`);
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string') throw malformed('Sid must be a string');
      if (st.Sid !== '' && sids.has(st.Sid))
        throw malformed('Statement IDs (SID) in a single policy must be unique');
      sids.add(st.Sid);
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
      throw malformed(st.Effect === undefined ? 'Missing required field Effect' : 'Invalid effect');
    if (st.Principal === undefined && st.NotPrincipal === undefined)
      throw malformed('Missing required field Principal');
    if (st.Principal !== undefined && st.NotPrincipal !== undefined)
      throw malformed('Statement can contain either Principal or NotPrincipal, not both');
    if ((st.Action === undefined) === (st.NotAction === undefined))
      throw malformed(
        st.Action === undefined
          ? 'Missing required field Action'
          : 'Statement can contain either Action or NotAction, not both',
      );
    if ((st.Resource === undefined) === (st.NotResource === undefined))
      throw malformed(
        st.Resource === undefined
          ? 'Missing required field Resource'
          : 'Statement can contain either Resource or NotResource, not both',
      );
    const principals = st.Principal !== undefined ? parsePrincipal(st.Principal) : null;
    const notPrincipals = st.NotPrincipal !== undefined ? parsePrincipal(st.NotPrincipal) : null;
    for (const p of [...(principals ?? []), ...(notPrincipals ?? [])]) if (p !== '*') refs.add(p);
    const actions = st.Action !== undefined ? stringList(st.Action, 'Action') : null;
    const notActions = st.NotAction !== undefined ? stringList(st.NotAction, 'NotAction') : null;
    const matched = new Set<string>();
    for (const a of actions ?? notActions ?? []) for (const m of actionsMatching(a)) matched.add(m);
    const resources = st.Resource !== undefined ? stringList(st.Resource, 'Resource') : null;
    const notResources = st.NotResource !== undefined ? stringList(st.NotResource, 'NotResource') : null;
    const kinds = new Set((resources ?? notResources ?? []).map((r) => resourceOf(r, bucket).kind));
    if (actions) {
      // every listed action must apply to one of the resources
      const applies = [...matched].some((a) =>
        OBJECT_ACTION_SET.has(a.toLowerCase())
          ? kinds.has('object')
          : kinds.has('bucket') || a === 'ListAllMyBuckets',
      );
      if (!applies)
        throw malformed('Action does not apply to any resource(s) in statement', {
          field: 'Action',
          value: actions.join(', '),
        });
    }
    const conditions = parseConditions(st.Condition);
    if (conditions.some((c) => c.key.startsWith('s3:existingobjecttag/'))) usesExistingObjectTags = true;
    statements.push({
      sid: typeof st.Sid === 'string' ? st.Sid : null,
      effect: st.Effect,
      principals,
      notPrincipals,
      actions,
      notActions,
      resources,
      notResources,
      conditions,
    });
  }
  return { text: trimmed, statements, usesExistingObjectTags, principalRefs: [...refs] };
}

// ------------------------------------------------------------------ evaluation

/** Who is asking: anonymous, or a ProxiCloud user (id and username). */
export type Principal = { anonymous: true } | { anonymous: false; id: string; username: string };

/** Request context values by lower-cased condition key (absent keys: undefined). */
export type ConditionContext = Record<string, string[] | undefined>;

export interface AccessRequest {
  principal: Principal;
  /** `s3:GetObject`, … */
  action: string;
  /** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`. */
  resource: string;
  context: ConditionContext;
}

export type Decision = 'Allow' | 'Deny' | 'Implicit';

function principalMatches(list: string[], p: Principal): boolean {
  return list.some((x) => x === '*' || (!p.anonymous && (x === p.id || x === p.username)));
}

function actionMatches(list: string[], action: string): boolean {
  return list.some((a) => wildcardMatch(a, action, true));
}

function resourceMatches(list: string[], resource: string): boolean {
  return list.some((r) => wildcardMatch(r, resource));
}

export function parseCidr(
  value: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, bits] = value.trim().split('/');
  const family = isIP(address ?? '');
  if (!family || !address) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d+$/.test(bits) ? Number(bits) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/** Compiled CIDRs (policies are cached, so the same few strings come back on every request). */
const cidrLists = new Map<string, BlockList | null>();

function cidrList(cidr: string): BlockList | null {
  let list = cidrLists.get(cidr);
  if (list === undefined) {
    const c = parseCidr(cidr);
    list = c ? new BlockList() : null;
    if (c) list?.addSubnet(c.address, c.prefix, c.family);
    if (cidrLists.size > 10_000) cidrLists.clear();
    cidrLists.set(cidr, list);
  }
  return list;
}

function ipInCidr(ip: string, cidr: string): boolean {
  const list = cidrList(cidr);
  if (!list) return false;
  const addr = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const fam = isIP(addr);
  if (!fam) return false;
  return list.check(addr, fam === 4 ? 'ipv4' : 'ipv6');
}

function matchOne(op: string, policyValue: string, actual: string): boolean {
  switch (op) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return policyValue === actual;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return policyValue.toLowerCase() === actual.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return wildcardMatch(policyValue, actual);
    case 'Bool':
      return policyValue.toLowerCase() === actual.toLowerCase();
    case 'IpAddress':
    case 'NotIpAddress':
      return ipInCidr(actual, policyValue);
    default:
      break;
  }
  if (op.startsWith('Numeric')) {
    const a = Number(actual);
    const b = Number(policyValue);
    if (!Number.isFinite(a)) return false;
    return compare(op.slice('Numeric'.length), a, b);
  }
  if (op.startsWith('Date')) {
    const a = dateValue(actual);
    const b = dateValue(policyValue);
    if (Number.isNaN(a)) return false;
    return compare(op.slice('Date'.length), a, b);
  }
  return false;
}

function compare(kind: string, a: number, b: number): boolean {
  switch (kind) {
    case 'Equals':
    case 'NotEquals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanEquals':
      return a >= b;
    default:
      return false;
  }
}

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

function conditionHolds(c: ConditionClause, ctx: ConditionContext): boolean {
  const actual = ctx[c.key];
  if (c.operator === 'Null') {
    const wantsAbsent = c.values.some((v) => v.toLowerCase() === 'true');
    return wantsAbsent ? actual === undefined : actual !== undefined;
  }
  const negated = NEGATED.has(c.operator);
  if (actual === undefined || actual.length === 0) {
    if (c.ifExists) return true;
    if (c.set === 'ForAllValues') return true; // vacuously true for an empty set, as IAM evaluates it
    return negated; // negated operators match a missing key
  }
  const positive = (v: string) => c.values.some((pv) => matchOne(c.operator, pv, v));
  if (c.set === 'ForAllValues') return actual.every((v) => (negated ? !positive(v) : positive(v)));
  if (negated) return !actual.some(positive);
  return actual.some(positive);
}

function statementApplies(s: PolicyStatement, req: AccessRequest): boolean {
  if (s.principals && !principalMatches(s.principals, req.principal)) return false;
  if (s.notPrincipals && principalMatches(s.notPrincipals, req.principal)) return false;
  if (s.actions && !actionMatches(s.actions, req.action)) return false;
  if (s.notActions && actionMatches(s.notActions, req.action)) return false;
  if (s.resources && !resourceMatches(s.resources, req.resource)) return false;
  if (s.notResources && resourceMatches(s.notResources, req.resource)) return false;
  return s.conditions.every((c) => conditionHolds(c, req.context));
}

/** Explicit Deny wins over Allow; nothing matching is an implicit deny. */
export function evaluatePolicy(policy: BucketPolicy, req: AccessRequest): Decision {
  let allowed = false;
  for (const s of policy.statements) {
    if (!statementApplies(s, req)) continue;
    if (s.effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'Implicit';
}

/** Keys whose fixed values make a `*` principal non-public (S3's "public" definition). */
const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalArn',
    'aws:userid',
    'aws:username',
    's3:DataAccessPointAccount',
    's3:DataAccessPointArn',
  ].map((k) => k.toLowerCase()),
);

function isPublicStatement(s: PolicyStatement): boolean {
  if (s.effect !== 'Allow') return false;
  const wildcardPrincipal = s.notPrincipals !== null || (s.principals ?? []).includes('*');
  if (!wildcardPrincipal) return false;
  const restricted = s.conditions.some((c) => {
    if (!RESTRICTING_KEYS.has(c.key) || NEGATED.has(c.operator) || c.ifExists) return false;
    if (c.operator === 'IpAddress') return c.values.every((v) => (parseCidr(v)?.prefix ?? 0) > 0);
    return c.values.every((v) => !v.includes('*') && !v.includes('?'));
  });
  return !restricted;
}

/** A policy is public when one Allow grants a wildcard principal without a fixed restricting condition. */
export function isPublicPolicy(policy: BucketPolicy): boolean {
  return policy.statements.some(isPublicStatement);
}

// ------------------------------------------------------------------ public access block

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export const NO_BLOCK: PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

// ------------------------------------------------------------------ ACLs

export type Permission = 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' | 'FULL_CONTROL';
export const PERMISSIONS: readonly Permission[] = ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL'];

export const GROUP_ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const GROUP_AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const GROUP_LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
export const GROUPS = new Set([GROUP_ALL_USERS, GROUP_AUTHENTICATED_USERS, GROUP_LOG_DELIVERY]);

export type Grantee = { type: 'CanonicalUser'; id: string } | { type: 'Group'; uri: string };

export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

export function isCannedAcl(v: string): v is CannedAcl {
  return (CANNED_ACLS as readonly string[]).includes(v);
}

/** The grants a canned ACL stands for (the owner's FULL_CONTROL first). */
export function cannedGrants(acl: CannedAcl, ownerId: string, bucketOwnerId: string): Grant[] {
  const owner: Grant = { grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' };
  const group = (uri: string, permission: Permission): Grant => ({
    grantee: { type: 'Group', uri },
    permission,
  });
  switch (acl) {
    case 'private':
      return [owner];
    case 'public-read':
      return [owner, group(GROUP_ALL_USERS, 'READ')];
    case 'public-read-write':
      return [owner, group(GROUP_ALL_USERS, 'READ'), group(GROUP_ALL_USERS, 'WRITE')];
    case 'authenticated-read':
      return [owner, group(GROUP_AUTHENTICATED_USERS, 'READ')];
    case 'bucket-owner-read':
      return ownerId === bucketOwnerId
        ? [owner]
        : [owner, { grantee: { type: 'CanonicalUser', id: bucketOwnerId }, permission: 'READ' }];
    case 'bucket-owner-full-control':
      return ownerId === bucketOwnerId
        ? [owner]
        : [owner, { grantee: { type: 'CanonicalUser', id: bucketOwnerId }, permission: 'FULL_CONTROL' }];
    case 'log-delivery-write':
      return [owner, group(GROUP_LOG_DELIVERY, 'WRITE'), group(GROUP_LOG_DELIVERY, 'READ_ACP')];
  }
}

/** A grant the owner gets anyway: an ACL made only of these is "private". */
export function grantsOnlyOwner(grants: Grant[], ownerId: string): boolean {
  return grants.every((g) => g.grantee.type === 'CanonicalUser' && g.grantee.id === ownerId);
}

export function isPublicGrant(g: Grant): boolean {
  return (
    g.grantee.type === 'Group' &&
    (g.grantee.uri === GROUP_ALL_USERS || g.grantee.uri === GROUP_AUTHENTICATED_USERS)
  );
}

export function isPublicAcl(grants: Grant[]): boolean {
  return grants.some(isPublicGrant);
}

/**
 * One `x-amz-grant-*` header: `id="…", uri="…", emailAddress="…"` (comma separated). Returns the
 * raw grantees; the service resolves ids and e-mail addresses.
 */
export function parseGrantHeader(
  value: string,
): Array<{ kind: 'id' | 'uri' | 'emailAddress'; value: string }> {
  const out: Array<{ kind: 'id' | 'uri' | 'emailAddress'; value: string }> = [];
  for (const part of value.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const m = /^(id|uri|emailAddress)\s*=\s*"?([^"]*)"?$/i.exec(trimmed);
    if (!m) throw new StorageError('InvalidArgument', `Invalid grant header value: ${trimmed}`);
    const kind =
      m[1]!.toLowerCase() === 'emailaddress' ? 'emailAddress' : (m[1]!.toLowerCase() as 'id' | 'uri');
    out.push({ kind, value: m[2]!.trim() });
  }
  if (out.length === 0) throw new StorageError('InvalidArgument', 'Empty grant header');
  return out;
}

export const GRANT_HEADER_PERMISSIONS: Record<string, Permission> = {
  'x-amz-grant-read': 'READ',
  'x-amz-grant-write': 'WRITE',
  'x-amz-grant-read-acp': 'READ_ACP',
  'x-amz-grant-write-acp': 'WRITE_ACP',
  'x-amz-grant-full-control': 'FULL_CONTROL',
};

/** Does the ACL give `principal` the permission (FULL_CONTROL covers all)? */
export function aclAllows(
  grants: Grant[],
  principal: Principal,
  permission: Permission,
  opts: { ignorePublic?: boolean } = {},
): boolean {
  return grants.some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    if (opts.ignorePublic && isPublicGrant(g)) return false;
    if (g.grantee.type === 'CanonicalUser') return !principal.anonymous && g.grantee.id === principal.id;
    if (g.grantee.uri === GROUP_ALL_USERS) return true;
    if (g.grantee.uri === GROUP_AUTHENTICATED_USERS) return !principal.anonymous;
    return false;
  });
}

/** Which ACL permission, on the bucket or on the object, an action needs (null: ACLs cannot grant it). */
export function aclPermissionFor(action: string): { on: 'bucket' | 'object'; permission: Permission } | null {
  switch (action) {
    case 's3:ListBucket':
    case 's3:ListBucketVersions':
    case 's3:ListBucketMultipartUploads':
      return { on: 'bucket', permission: 'READ' };
    case 's3:PutObject':
    case 's3:DeleteObject':
    case 's3:DeleteObjectVersion':
    case 's3:AbortMultipartUpload':
    case 's3:ListMultipartUploadParts':
      return { on: 'bucket', permission: 'WRITE' };
    case 's3:GetBucketAcl':
      return { on: 'bucket', permission: 'READ_ACP' };
    case 's3:PutBucketAcl':
      return { on: 'bucket', permission: 'WRITE_ACP' };
    case 's3:GetObject':
    case 's3:GetObjectVersion':
      return { on: 'object', permission: 'READ' };
    case 's3:GetObjectAcl':
    case 's3:GetObjectVersionAcl':
      return { on: 'object', permission: 'READ_ACP' };
    case 's3:PutObjectAcl':
    case 's3:PutObjectVersionAcl':
      return { on: 'object', permission: 'WRITE_ACP' };
    default:
      return null;
  }
}
