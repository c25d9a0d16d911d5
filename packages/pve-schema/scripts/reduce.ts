/**
 * Reduces the official PVE API schema (apidoc.json) to what validation needs: paths, methods,
 * parameter names, types, formats (named, or property-string sub-formats, recursively), enums,
 * patterns, limits, optional flags, defaults, aliases, `requires`, typetext, and the return type
 * with shallow property/item types. Descriptions and permissions are dropped. Used by
 * scripts/vendor.ts and by the staleness test.
 */
import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface TreeNode {
  path: string;
  info?: Record<string, Obj>;
  children?: TreeNode[];
}

/** Keys of a parameter schema worth keeping for validation. */
const PARAM_KEYS = [
  'type',
  'optional',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'default',
  'default_key',
  'alias',
  'keyAlias',
  'requires',
  'typetext',
  'format_description',
  'type-property',
  'instance-types',
  'additionalProperties',
] as const;

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function reduceParam(p: Obj): Obj {
  const out: Obj = {};
  for (const k of PARAM_KEYS) if (p[k] !== undefined) out[k] = p[k] as Json;
  // The dump sometimes writes flags and limits as strings ("1", "0"): store numbers.
  for (const k of ['optional', 'default_key', 'minimum', 'maximum', 'minLength', 'maxLength'] as const) {
    const v = out[k];
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) out[k] = Number(v);
  }
  if (typeof p.format === 'string') out.format = p.format;
  else if (isObj(p.format)) out.format = reduceProps(p.format);
  if (isObj(p.items)) out.items = reduceParam(p.items);
  if (Array.isArray(p.oneOf)) out.oneOf = p.oneOf.filter(isObj).map(reduceParam);
  if (isObj(p.properties)) out.properties = reduceProps(p.properties);
  return out;
}

function reduceProps(props: Obj): Obj {
  const out: Obj = {};
  for (const name of Object.keys(props).sort()) {
    const p = props[name];
    if (isObj(p)) out[name] = reduceParam(p);
  }
  return out;
}

function reduceReturns(r: Obj | undefined, depth = 0): Obj {
  if (!r) return {};
  const out: Obj = {};
  if (r.type !== undefined) out.type = r.type as Json;
  if (r.optional !== undefined) out.optional = r.optional as Json;
  if (depth < 2 && isObj(r.items)) out.items = reduceReturns(r.items, depth + 1);
  if (depth < 2 && isObj(r.properties)) {
    const props: Obj = {};
    for (const name of Object.keys(r.properties).sort()) {
      const p = r.properties[name];
      if (isObj(p)) props[name] = reduceReturns(p, depth + 1);
    }
    out.properties = props;
  }
  return out;
}

/** Returns the text of schema/pve-api.json for the given apidoc.json content. */
export function reduceApidoc(raw: Buffer | string): string {
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const tree = JSON.parse(raw.toString()) as TreeNode[];
  const paths: Obj = {};
  let methodCount = 0;
  function walk(node: TreeNode): void {
    const methods: Obj = {};
    for (const [method, op] of Object.entries(node.info ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      methodCount++;
      const params = isObj(op.parameters) ? op.parameters : {};
      const m: Obj = {
        name: op.name as Json,
        allowtoken: (op.allowtoken as Json) ?? 1,
        protected: (op.protected as Json) ?? 0,
        parameters: {
          additionalProperties: (params.additionalProperties as Json) ?? 0,
          properties: isObj(params.properties) ? reduceProps(params.properties) : {},
        },
        returns: reduceReturns(isObj(op.returns) ? op.returns : undefined),
      };
      if (op.proxyto !== undefined) m.proxyto = op.proxyto as Json;
      methods[method] = m;
    }
    paths[node.path] = methods;
    for (const c of node.children ?? []) walk(c);
  }
  for (const n of tree) walk(n);

  const sortedPaths: Obj = {};
  for (const p of Object.keys(paths).sort()) sortedPaths[p] = paths[p] as Json;

  const out = {
    source: {
      description: 'Reduced copy of the official Proxmox VE API schema (apiSchema / apidoc.json)',
      pveVersion: '9.2.3',
      sha256,
      paths: Object.keys(sortedPaths).length,
      methods: methodCount,
    },
    paths: sortedPaths,
  };
  return `${JSON.stringify(out)}\n`;
}
