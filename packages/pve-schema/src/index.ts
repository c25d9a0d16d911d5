/**
 * @proxicloud/pve-schema — the "referee": the official Proxmox VE API schema (reduced copy in
 * schema/pve-api.json) and a validator that accepts and rejects requests the way a real PVE
 * 9.2 API server does, with PVE's status codes, messages and per-parameter error texts.
 *
 *   matchPath('GET', '/nodes/pve1/qemu/100/config')
 *     → { ok: true, route: { template: '/nodes/{node}/qemu/{vmid}/config', pathParams: {node, vmid}, … } }
 *   validateRequest({ method: 'POST', path: '/nodes/pve1/qemu', params: { vmid: 'abc' } })
 *     → { ok: false, status: 400, message: 'Parameter verification failed.', errors: { vmid: "type check ('integer') failed - got 'abc'" } }
 */
import { existsSync, readFileSync } from 'node:fs';
import { NAMED_PROPERTY_FORMATS } from './formats.ts';
import type { HttpMethod, MethodSchema, ParamSchema, ParamValue, PveApiSchema } from './types.ts';
import { checkObject, type Errors, lookupParam } from './validate.ts';

export {
  FORMATS,
  FormatError,
  isCalendarEvent,
  isCidr4,
  isCidr6,
  isIP,
  isIPv4,
  isIPv6,
  NAMED_PROPERTY_FORMATS,
  parseSize,
  parseVolumeId,
  splitList,
  unknownFormatsSeen,
} from './formats.ts';
export { anchoredPattern, perlToJs } from './perl-regex.ts';
export type {
  HttpMethod,
  MethodSchema,
  ParamSchema,
  ParamValue,
  PveApiSchema,
  ReturnSchema,
} from './types.ts';
export { INDEXED_MAX, lookupParam, parsePropertyString } from './validate.ts';

let loaded: PveApiSchema | undefined;

/** The vendored, reduced schema (loaded once). */
export function getSchema(): PveApiSchema {
  if (!loaded) {
    // Source layout: src/../schema; a production bundle (dist/main.mjs, dist/chunks/*.mjs) carries
    // a copy in dist/schema (scripts/build-server.mjs), so look beside the file too.
    const candidates = ['../schema/pve-api.json', './schema/pve-api.json'].map(
      (p) => new URL(p, import.meta.url),
    );
    const url = candidates.find((u) => existsSync(u)) ?? candidates[0];
    loaded = JSON.parse(readFileSync(url as URL, 'utf8')) as PveApiSchema;
    // `cdrom` (an alias of ide2) names the IDE drive format instead of expanding it.
    const ide = loaded.paths['/nodes/{node}/qemu']?.POST?.parameters.properties['ide[n]']?.format;
    if (ide && typeof ide === 'object') NAMED_PROPERTY_FORMATS['pve-qm-ide'] = ide;
  }
  return loaded;
}

export interface Route {
  /** Schema path template, e.g. `/nodes/{node}/qemu/{vmid}/config`. */
  template: string;
  method: HttpMethod;
  /** Decoded path parameters, e.g. `{ node: 'pve1', vmid: '100' }`. */
  pathParams: Record<string, string>;
  schema: MethodSchema;
}

export type MatchResult =
  | { ok: true; route: Route }
  | { ok: false; status: 501; message: string; errors: Record<string, string> };

interface TrieNode {
  literal: Map<string, TrieNode>;
  param?: { name: string; node: TrieNode };
  template?: string;
}

let trie: TrieNode | undefined;

function buildTrie(): TrieNode {
  const root: TrieNode = { literal: new Map() };
  for (const template of Object.keys(getSchema().paths)) {
    let node = root;
    for (const seg of template.split('/').filter(Boolean)) {
      const pm = /^\{(.+)\}$/.exec(seg);
      if (pm) {
        node.param ??= { name: pm[1]!, node: { literal: new Map() } };
        node = node.param.node;
      } else {
        let next = node.literal.get(seg);
        if (!next) {
          next = { literal: new Map() };
          node.literal.set(seg, next);
        }
        node = next;
      }
    }
    node.template = template;
  }
  return root;
}

/** Parameters that may contain `/` when a client does not encode it (volume IDs). */
const GREEDY_PARAMS = new Set(['volume']);

function walk(node: TrieNode, segs: string[], i: number, params: Record<string, string>): string | undefined {
  if (i === segs.length) return node.template;
  const seg = segs[i]!;
  const lit = node.literal.get(seg);
  if (lit) {
    const t = walk(lit, segs, i + 1, params);
    if (t) return t;
  }
  if (node.param) {
    const { name, node: child } = node.param;
    params[name] = seg;
    const t = walk(child, segs, i + 1, params);
    if (t) return t;
    if (GREEDY_PARAMS.has(name) && child.template && child.literal.size === 0 && !child.param) {
      params[name] = segs.slice(i).join('/');
      return child.template;
    }
    delete params[name];
  }
  return undefined;
}

/** Strips `/api2/json` (or `/api2/extjs`) and trailing slashes; keeps the leading slash. */
export function normalizeApiPath(path: string): string {
  let p = path.split('?')[0] ?? '';
  p = p.replace(/^\/api2\/(json|extjs)(?=\/|$)/, '');
  p = p.replace(/\/+$/, '');
  return p.startsWith('/') ? p : `/${p}`;
}

function notImplemented(method: string, path: string): MatchResult {
  return { ok: false, status: 501, message: `Method '${method} ${path}' not implemented`, errors: {} };
}

/** Resolves a concrete request path to its schema template and path parameters. */
export function matchPath(method: string, path: string): MatchResult {
  trie ??= buildTrie();
  const m = method.toUpperCase() as HttpMethod;
  const norm = normalizeApiPath(path);
  let segs: string[];
  try {
    segs = norm.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return notImplemented(m, norm);
  }
  const pathParams: Record<string, string> = {};
  const template = walk(trie, segs, 0, pathParams);
  const schema = template ? getSchema().paths[template]?.[m] : undefined;
  if (!template || !schema) return notImplemented(m, norm);
  return { ok: true, route: { template, method: m, pathParams, schema } };
}

export interface ValidateInput {
  method: string;
  path: string;
  /** Query and body parameters, already decoded (form fields as strings, JSON as is). */
  params?: Record<string, ParamValue | undefined>;
}

export type ValidateResult =
  | { ok: true; route: Route; params: Record<string, ParamValue> }
  | { ok: false; status: 400 | 501; errors: Record<string, string>; message: string; route?: Route };

/** PVE's message for a 400 caused by parameter verification. */
export const PARAM_VERIFICATION_FAILED = 'Parameter verification failed.';

/**
 * Validates a request like PVE's RESTHandler: path parameters are merged into the parameters,
 * then the whole set is checked against the method's parameter schema.
 */
export function validateRequest(input: ValidateInput): ValidateResult {
  const match = matchPath(input.method, input.path);
  if (!match.ok) return match;
  const { route } = match;
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(input.params ?? {})) if (v !== undefined) params[k] = v;
  Object.assign(params, route.pathParams);
  const props = route.schema.parameters.properties;
  // Form encoding cannot express arrays except by repeating a key; PVE joins repeats with NUL
  // and splits NUL-separated values for array parameters.
  for (const [k, v] of Object.entries(params)) {
    const type = props[k]?.type;
    if (type === 'array' && typeof v === 'string') params[k] = v.split('\0');
    else if (type !== 'array' && Array.isArray(v) && v.every((x) => typeof x === 'string'))
      params[k] = (v as string[]).join('\0');
  }
  const errors: Errors = {};
  checkObject('', props, params, route.schema.parameters.additionalProperties, errors);
  if (Object.keys(errors).length > 0) {
    return { ok: false, status: 400, errors, message: PARAM_VERIFICATION_FAILED, route };
  }
  return { ok: true, route, params };
}

/** Schema of one parameter of a route (resolving `net3` → `net[n]`). */
export function paramSchema(route: Route, name: string): ParamSchema | undefined {
  return lookupParam(route.schema.parameters.properties, name);
}
export {
  formatPruneBackups,
  isoWeek,
  keepsAll,
  type PruneEntry,
  type PruneMark,
  type PruneOptions,
  type PruneResult,
  parsePruneBackups,
  pruneMark,
} from './prune.ts';
