/** References between resources: `${instances.web.id}`, `${networks.production.cidr}`. */
import type { Json, Spec } from './model.ts';

export interface Reference {
  kind: string;
  name: string;
  attr: string;
  text: string;
}

const REF = /\$\{\s*([A-Za-z][A-Za-z0-9]*)\.([A-Za-z0-9][A-Za-z0-9._-]*)\.([A-Za-z][A-Za-z0-9]*)\s*\}/g;
const WHOLE = /^\$\{\s*([A-Za-z][A-Za-z0-9]*)\.([A-Za-z0-9][A-Za-z0-9._-]*)\.([A-Za-z][A-Za-z0-9]*)\s*\}$/;

export function findReferences(value: string): Reference[] {
  const out: Reference[] = [];
  for (const m of value.matchAll(REF)) {
    if (m[1] === 'var') continue;
    out.push({ kind: m[1] as string, name: m[2] as string, attr: m[3] as string, text: m[0] });
  }
  return out;
}

/**
 * Resolve references in a spec. `lookup` answers an attribute's value, or undefined when it is
 * not known yet (its resource is created in this apply): the field then becomes `unknown`.
 */
export function resolveSpec(
  spec: Spec,
  lookup: (kind: string, name: string, attr: string) => Json | undefined,
  unknown: Json,
): { spec: Spec; unknownFields: Set<string> } {
  const unknownFields = new Set<string>();
  const resolve = (value: Json, field: string): Json => {
    if (typeof value === 'string') {
      const whole = WHOLE.exec(value);
      if (whole && whole[1] !== 'var') {
        const v = lookup(whole[1] as string, whole[2] as string, whole[3] as string);
        if (v === undefined) {
          unknownFields.add(field);
          return unknown;
        }
        return v;
      }
      let missing = false;
      const text = value.replace(REF, (m, kind: string, name: string, attr: string) => {
        if (kind === 'var') return m;
        const v = lookup(kind, name, attr);
        if (v === undefined) {
          missing = true;
          return m;
        }
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
      if (missing) {
        unknownFields.add(field);
        return unknown;
      }
      return text;
    }
    if (Array.isArray(value)) return value.map((v) => resolve(v, field));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, field)]));
    }
    return value;
  };
  const out: Spec = {};
  for (const [k, v] of Object.entries(spec)) out[k] = resolve(v, k);
  return { spec: out, unknownFields };
}
