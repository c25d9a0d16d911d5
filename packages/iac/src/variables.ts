/**
 * Variables: declared under `variables:` (type, default, description), given by — lowest to
 * highest precedence — defaults, `--var-file`, environment `PROXICLOUD_VAR_<name>`, `--var k=v`.
 * `${var.name}` as a whole string keeps the variable's type; inside a longer string it is text.
 */
import type { SourceDocument } from './document.ts';
import { type IacIssue, issueAt } from './errors.ts';
import type { Json } from './model.ts';

export type VariableType = 'string' | 'number' | 'bool' | 'list' | 'map';

export interface VariableInputs {
  /** `--var k=v` (strings, coerced to the declared type) or typed values from an API body */
  vars?: Record<string, Json>;
  /** parsed `--var-file` contents */
  varFile?: Record<string, Json>;
  /** environment, e.g. process.env (only PROXICLOUD_VAR_* is read) */
  env?: Record<string, string | undefined>;
}

interface Declared {
  type?: VariableType;
  default?: Json;
  description?: string;
}

const ENV_PREFIX = 'PROXICLOUD_VAR_';
const VAR_REF = /\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}/g;
const WHOLE_VAR_REF = /^\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}$/;

function typeOf(value: Json): VariableType {
  if (Array.isArray(value)) return 'list';
  if (value !== null && typeof value === 'object') return 'map';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

/** Coerce a value given as text (CLI, environment) or JSON to the declared type. */
export function coerce(
  value: Json,
  type: VariableType | undefined,
): { ok: true; value: Json } | { ok: false } {
  if (!type) return { ok: true, value };
  if (typeof value === 'string' && type !== 'string') {
    if (type === 'number') {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false };
    }
    if (type === 'bool') {
      if (/^(true|yes|1)$/i.test(value)) return { ok: true, value: true };
      if (/^(false|no|0)$/i.test(value)) return { ok: true, value: false };
      return { ok: false };
    }
    try {
      return coerce(JSON.parse(value) as Json, type);
    } catch {
      return { ok: false };
    }
  }
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return { ok: true, value: String(value) };
  }
  return typeOf(value) === type ? { ok: true, value } : { ok: false };
}

/** Resolve every declared variable's value; issues for unknown, missing and mistyped ones. */
export function resolveVariables(
  source: SourceDocument,
  declared: Record<string, Json> | undefined,
  inputs: VariableInputs,
  issues: IacIssue[],
): Map<string, Json> {
  const decls = new Map<string, Declared>();
  for (const [name, d] of Object.entries(declared ?? {})) {
    if (d !== null && typeof d === 'object' && !Array.isArray(d)) decls.set(name, d as Declared);
    else decls.set(name, { default: d });
  }
  const given = new Map<string, { value: Json; from: string }>();
  for (const [k, v] of Object.entries(inputs.varFile ?? {})) given.set(k, { value: v, from: 'var file' });
  for (const [k, v] of Object.entries(inputs.env ?? {})) {
    if (k.startsWith(ENV_PREFIX) && v !== undefined) {
      given.set(k.slice(ENV_PREFIX.length), { value: v, from: `environment ${k}` });
    }
  }
  for (const [k, v] of Object.entries(inputs.vars ?? {})) given.set(k, { value: v, from: '--var' });

  const values = new Map<string, Json>();
  for (const [name, { value, from }] of given) {
    const decl = decls.get(name);
    if (!decl) {
      if (from.startsWith('environment')) continue; // other files' variables may share the environment
      issues.push({
        code: 'variable',
        message: `variable "${name}" (from ${from}) is not declared under variables:`,
      });
      continue;
    }
    const c = coerce(value, decl.type);
    if (!c.ok) {
      issues.push({
        code: 'variable',
        message: `variable "${name}" (from ${from}) must be a ${decl.type}, got ${JSON.stringify(value)}`,
      });
    } else values.set(name, c.value);
  }
  for (const [name, decl] of decls) {
    if (values.has(name) || given.has(name)) continue;
    const path = `/variables/${name}`;
    if (decl.default === undefined) {
      issues.push(
        issueAt(
          'variable',
          `variable "${name}" has no value: pass --var ${name}=…, set ${ENV_PREFIX}${name} or give it a default`,
          path,
          source.positionOf(path, true),
        ),
      );
      continue;
    }
    const c = coerce(decl.default, decl.type);
    if (!c.ok) {
      issues.push(
        issueAt(
          'variable',
          `default of variable "${name}" is not a ${decl.type}`,
          `${path}/default`,
          source.positionOf(`${path}/default`),
        ),
      );
    } else values.set(name, c.value);
  }
  return values;
}

/** Replace `${var.x}` everywhere under `value`; unknown variables become issues at their place. */
export function substituteVariables(
  value: Json,
  path: string,
  values: Map<string, Json>,
  source: SourceDocument,
  issues: IacIssue[],
): Json {
  if (typeof value === 'string') {
    const whole = WHOLE_VAR_REF.exec(value);
    if (whole) {
      const v = values.get(whole[1] as string);
      if (v === undefined) {
        issues.push(issueAt('variable', `unknown variable "${whole[1]}"`, path, source.positionOf(path)));
        return value;
      }
      return v;
    }
    return value.replace(VAR_REF, (m, name: string) => {
      const v = values.get(name);
      if (v === undefined) {
        issues.push(issueAt('variable', `unknown variable "${name}"`, path, source.positionOf(path)));
        return m;
      }
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value))
    return value.map((v, i) => substituteVariables(v, `${path}/${i}`, values, source, issues));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = substituteVariables(
        v,
        `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        values,
        source,
        issues,
      );
    }
    return out;
  }
  return value;
}
