import { StorageError } from './storage.errors.ts';

/** Bucket CORS rules (S3's CORSConfiguration) and how a browser request is matched against them. */

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
export const MAX_CORS_RULES = 100;

function invalid(message: string): StorageError {
  return new StorageError('InvalidRequest', message);
}

export function validateCorsRules(rules: CorsRule[]): CorsRule[] {
  if (rules.length === 0)
    throw new StorageError('MalformedXML', 'A CORS configuration needs at least one CORSRule.');
  if (rules.length > MAX_CORS_RULES)
    throw invalid(`A CORS configuration can have at most ${MAX_CORS_RULES} rules.`);
  for (const r of rules) {
    if (r.allowedOrigins.length === 0 || r.allowedMethods.length === 0)
      throw new StorageError(
        'MalformedXML',
        'Each CORSRule needs at least one AllowedOrigin and one AllowedMethod.',
      );
    for (const m of r.allowedMethods)
      if (!METHODS.has(m))
        throw invalid(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    for (const o of r.allowedOrigins)
      if ((o.match(/\*/g) ?? []).length > 1)
        throw invalid(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    for (const h of r.allowedHeaders)
      if ((h.match(/\*/g) ?? []).length > 1)
        throw invalid(`AllowedHeader "${h}" can not have more than one wildcard.`);
    if (r.maxAgeSeconds !== undefined && (!Number.isInteger(r.maxAgeSeconds) || r.maxAgeSeconds < 0))
      throw new StorageError('MalformedXML', 'MaxAgeSeconds must be a non-negative integer.');
    if (r.id !== undefined && r.id.length > 255)
      throw invalid('The ID of a CORSRule can be at most 255 characters.');
  }
  return rules;
}

/** Match with at most one `*` wildcard, case-insensitively when asked. */
function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule allowing this origin, method and request headers (S3 evaluates in order). */
export function matchCorsRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[],
): CorsRule | null {
  for (const rule of rules) {
    if (!rule.allowedOrigins.some((o) => wildcardMatch(o, origin, false))) continue;
    if (!rule.allowedMethods.includes(method)) continue;
    const headersOk = requestHeaders.every((h) => rule.allowedHeaders.some((a) => wildcardMatch(a, h, true)));
    if (!headersOk) continue;
    return rule;
  }
  return null;
}

/** Response headers for a matched rule. */
export function corsHeaders(
  rule: CorsRule,
  origin: string,
  opts: { preflight: boolean; method?: string; requestHeaders?: readonly string[] },
): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  const out: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) out['access-control-allow-credentials'] = 'true';
  if (opts.preflight) {
    out['access-control-allow-methods'] = rule.allowedMethods.join(', ');
    if (opts.requestHeaders && opts.requestHeaders.length > 0)
      out['access-control-allow-headers'] = opts.requestHeaders.join(', ');
    if (rule.maxAgeSeconds !== undefined) out['access-control-max-age'] = String(rule.maxAgeSeconds);
  }
  if (rule.exposeHeaders.length > 0) out['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  return out;
}
