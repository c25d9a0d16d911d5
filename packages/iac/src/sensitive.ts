/** Sensitive fields: their values live only in the plan's hidden `sensitiveSpec` and the API calls. */
import { hashOf } from './load.ts';
import { type Json, type PlannedChange, type Spec, UNKNOWN } from './model.ts';
import type { Provider } from './provider.ts';

export const SENSITIVE_PREFIX = 'sha256:';

export const maskValue = (v: Json): Json =>
  typeof v === 'string' && (v === UNKNOWN || v.startsWith(SENSITIVE_PREFIX))
    ? v
    : `${SENSITIVE_PREFIX}${hashOf(v)}`;

/** The spec with every sensitive field replaced by the hash of its value. */
export function maskSensitive(provider: Provider, spec: Spec): Spec {
  if (!provider.sensitive?.length) return spec;
  const out: Spec = { ...spec };
  for (const f of provider.sensitive) {
    const v = out[f];
    if (v !== undefined && v !== null) out[f] = maskValue(v);
  }
  return out;
}

/** Attach the clear values to a planned change without making them enumerable (never serialised). */
export function attachSensitive(change: PlannedChange, provider: Provider, spec: Spec): void {
  if (!provider.sensitive?.length) return;
  const clear: Spec = {};
  for (const f of provider.sensitive) if (spec[f] !== undefined) clear[f] = spec[f] as Json;
  Object.defineProperty(change, 'sensitiveSpec', { value: clear, enumerable: false });
}

/** The spec apply resolves: the plan's (hashed) spec with the clear sensitive values put back. */
export function unmaskForApply(provider: Provider, change: PlannedChange): Spec {
  const spec: Spec = { ...(change.spec ?? {}) };
  for (const f of provider.sensitive ?? []) {
    if (spec[f] === undefined) continue;
    const clear = change.sensitiveSpec?.[f];
    if (clear === undefined)
      throw new Error(`${change.address}.${f} is sensitive and its value is not in this plan: pass it again`);
    spec[f] = clear;
  }
  return spec;
}
