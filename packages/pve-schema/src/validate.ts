/**
 * Request validation with PVE's rules and wording (PVE::JSONSchema::check_prop / check_object /
 * parse_property_string). Order of checks per value: type, format, pattern, maxLength,
 * minLength, minimum/maximum (only when the value looks like a number), enum.
 */
import { checkNamedFormat, FormatError } from './formats.ts';
import { anchoredPattern } from './perl-regex.ts';
import type { ParamSchema, ParamValue } from './types.ts';

export type Errors = Record<string, string>;

/** Highest index of each `name[n]` parameter, as the PVE source defines them. */
export const INDEXED_MAX: Record<string, number> = {
  net: 31,
  ipconfig: 31,
  scsi: 30,
  virtio: 15,
  sata: 5,
  ide: 3,
  unused: 255,
  hostpci: 15,
  usb: 13,
  serial: 3,
  parallel: 2,
  numa: 7,
  virtiofs: 9,
  mp: 255,
  dev: 255,
  link: 7,
  acmedomain: 4,
};

function addError(errors: Errors, path: string, msg: string): void {
  const p = path || '_root';
  // PVE joins with a literal backslash-n (single-quoted '\n' in Perl).
  errors[p] = errors[p] ? `${errors[p]}\\n${msg}` : msg;
}

/** Perl truthiness of schema flags, which the dump writes as 1, "1", 0 or "0". */
const flag = (v: unknown): boolean => v === 1 || v === '1' || v === true;

const isNumber = (v: string) => /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/.test(v);
const isInteger = (v: string) => /^[+-]?\d+$/.test(v);

/** What Perl's `ref($value)` would say for a decoded JSON value, or '' for a plain scalar. */
function perlRef(value: ParamValue): string {
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'boolean') return 'JSON::PP::Boolean';
  if (value !== null && typeof value === 'object') return 'HASH';
  return '';
}

function scalarString(value: ParamValue): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  return String(value);
}

function checkType(path: string, type: string | undefined, value: ParamValue, errors: Errors): boolean {
  if (!type || type === 'any') return true;
  const ref = perlRef(value);
  if (type === 'null') {
    addError(errors, path, `type check ('${type}') failed - value is not null`);
    return false;
  }
  if (type === 'array' || type === 'object') {
    if (ref !== (type === 'array' ? 'ARRAY' : 'HASH')) {
      addError(errors, path, `type check ('${type}') failed`);
      return false;
    }
    return true;
  }
  if (ref) {
    if (type === 'boolean' && ref === 'JSON::PP::Boolean') return true;
    addError(errors, path, `type check ('${type}') failed - got ${ref}`);
    return false;
  }
  const s = scalarString(value);
  if (type === 'boolean' && s !== '1' && s !== '0') {
    addError(errors, path, `type check ('${type}') failed - got '${s}'`);
    return false;
  }
  if (type === 'integer' && !isInteger(s)) {
    addError(errors, path, `type check ('${type}') failed - got '${s}'`);
    return false;
  }
  if (type === 'number' && !isNumber(s)) {
    addError(errors, path, `type check ('${type}') failed - got '${s}'`);
    return false;
  }
  return true;
}

/** PVE::JSONSchema::parse_boolean (used for boolean sub-keys of property strings). */
function parseBoolean(v: string): string | undefined {
  if (/^(1|on|yes|true)$/i.test(v)) return '1';
  if (/^(0|off|no|false)$/i.test(v)) return '0';
  return undefined;
}

/**
 * Parses a property string (`virtio,bridge=vmbr0,firewall=1`) against its sub-key schema.
 * Throws FormatError with PVE's messages; returns the parsed keys otherwise.
 */
export function parsePropertyString(
  format: Record<string, ParamSchema>,
  data: string,
  path = '',
): Record<string, string> {
  const res: Record<string, string> = {};
  let defaultKey: string | undefined;
  for (const part of data.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=([\s\S]+)$/.exec(part);
    if (kv) {
      let k = kv[1]!;
      let v = kv[2]!;
      if (res[k] !== undefined)
        throw new FormatError(`duplicate key in comma-separated list property: ${k}\n`);
      let schema = format[k];
      if (schema?.alias) {
        if (schema.keyAlias) {
          if (res[schema.keyAlias] !== undefined)
            throw new FormatError(`key alias '${schema.keyAlias}' is already defined\n`);
          res[schema.keyAlias] = k;
        }
        k = schema.alias;
        schema = format[k];
      }
      if (schema?.type === 'boolean') v = parseBoolean(v) ?? v;
      res[k] = v;
    } else if (!part.includes('=')) {
      if (defaultKey)
        throw new FormatError(`duplicate key in comma-separated list property: ${defaultKey}\n`);
      for (const key of Object.keys(format)) {
        if (flag(format[key]!.default_key)) {
          defaultKey = key;
          if (res[key] === undefined) {
            res[key] = part;
            break;
          }
          throw new FormatError(`duplicate key in comma-separated list property: ${key}\n`);
        }
      }
      if (!defaultKey) throw new FormatError('value without key, but schema does not define a default key\n');
    } else {
      throw new FormatError('missing key in comma-separated list property\n');
    }
  }
  const errors: Errors = {};
  checkObject(path, format, res, 0, errors);
  if (Object.keys(errors).length > 0) throw new FormatError('format error\n', errors);
  return res;
}

function formatErrorText(e: unknown): string {
  if (e instanceof FormatError) {
    let msg = e.message;
    if (e.errors) for (const k of Object.keys(e.errors).sort()) msg += `${k}: ${e.errors[k]}\n`;
    return msg;
  }
  return `${(e as Error).message}\n`;
}

/** Resolves `net3` to the schema of `net[n]` when the index is in range. */
export function lookupParam(props: Record<string, ParamSchema>, key: string): ParamSchema | undefined {
  const direct = props[key];
  if (direct) return direct;
  const m = /^([a-z][a-z_-]*?)(\d+)$/i.exec(key);
  if (!m) return undefined;
  const tmpl = props[`${m[1]}[n]`];
  if (!tmpl) return undefined;
  if (m[2]!.length > 1 && m[2]!.startsWith('0')) return undefined;
  const max = INDEXED_MAX[m[1]!] ?? 255;
  return Number(m[2]) <= max ? tmpl : undefined;
}

export function checkProp(
  value: ParamValue | undefined,
  schema: ParamSchema,
  path: string,
  errors: Errors,
  instanceType?: string,
): void {
  let optionalForType = false;
  if (schema.oneOf && schema['type-property']) {
    optionalForType = true;
    if (instanceType !== undefined) {
      for (const alt of schema.oneOf) {
        if (!alt['instance-types']?.includes(instanceType)) continue;
        optionalForType = flag(alt.optional);
        checkProp(value, alt, path, errors);
      }
    }
  }
  if (value === undefined || value === null) {
    if (schema.type === 'null') return;
    if (!flag(schema.optional) && !schema.alias && !optionalForType)
      addError(errors, path, 'property is missing and it is not optional');
    return;
  }
  if (!checkType(path, schema.type, value, errors)) return;
  if (Array.isArray(value)) {
    if (schema.items) {
      const items = schema.items;
      value.forEach((el, i) => {
        checkProp(el, items, `${path}[${i}]`, errors);
      });
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    if (schema.properties || schema.additionalProperties !== undefined)
      checkObject(path, schema.properties ?? {}, value as Record<string, ParamValue>, 1, errors);
    return;
  }
  const s = typeof value === 'boolean' ? (value ? '1' : '0') : scalarString(value);
  if (schema.format) {
    try {
      if (typeof schema.format === 'object') parsePropertyString(schema.format, s, path);
      else {
        const named = checkNamedFormat(schema.format, s);
        if (named) parsePropertyString(named, s, path);
      }
    } catch (e) {
      addError(errors, path, `invalid format - ${formatErrorText(e)}`);
      return;
    }
  }
  if (schema.pattern && !anchoredPattern(schema.pattern).test(s)) {
    addError(errors, path, 'value does not match the regex pattern');
    return;
  }
  // Perl's length() counts characters, not UTF-16 units.
  const len = [...s].length;
  if (schema.maxLength !== undefined && len > schema.maxLength) {
    addError(errors, path, `value may only be ${schema.maxLength} characters long`);
    return;
  }
  if (schema.minLength !== undefined && len < schema.minLength) {
    addError(errors, path, `value must be at least ${schema.minLength} characters long`);
    return;
  }
  if (isNumber(s)) {
    if (schema.maximum !== undefined && Number(s) > schema.maximum) {
      addError(errors, path, `value must have a maximum value of ${schema.maximum}`);
      return;
    }
    if (schema.minimum !== undefined && Number(s) < schema.minimum) {
      addError(errors, path, `value must have a minimum value of ${schema.minimum}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(s)) {
    addError(
      errors,
      path,
      `value '${s}' does not have a value in the enumeration '${schema.enum.join(', ')}'`,
    );
  }
}

export function checkObject(
  path: string,
  props: Record<string, ParamSchema>,
  value: Record<string, ParamValue>,
  additionalProperties: 0 | 1 | boolean | undefined,
  errors: Errors,
): void {
  const seen = new Set<string>();
  for (const k of Object.keys(props)) {
    if (k.endsWith('[n]')) continue; // indexed templates are checked per concrete key below
    const sub = props[k]!;
    const tp = sub['type-property'];
    const instanceType = tp && value[tp] !== undefined ? String(value[tp]) : undefined;
    checkProp(value[k], sub, path ? `${path}.${k}` : k, errors, instanceType);
    seen.add(k);
  }
  for (const k of Object.keys(value)) {
    const newPath = path ? `${path}.${k}` : k;
    const sub = seen.has(k) ? props[k] : lookupParam(props, k);
    if (sub) {
      if (!seen.has(k)) checkProp(value[k], sub, newPath, errors);
      if (typeof sub.requires === 'string' && value[sub.requires] === undefined) {
        const rp = path ? `${path}.${sub.requires}` : sub.requires;
        addError(errors, rp, `missing property - '${newPath}' requires this property`);
      }
      continue;
    }
    if (!additionalProperties) {
      addError(
        errors,
        newPath,
        'property is not defined in schema and the schema does not allow additional properties',
      );
    }
  }
}
