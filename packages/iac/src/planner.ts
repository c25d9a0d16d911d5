/**
 * The planner: desired resources + the stack's recorded state + what the providers read back →
 * one action per resource (create / update / replace / delete / no-op) with the changed fields.
 * `readCurrent` is the only part that talks to the server (one list call per kind at most).
 */
import { IacError } from './errors.ts';
import { orderResources } from './graph.ts';
import { hashOf, type LoadedFile, stableStringify } from './load.ts';
import {
  type FieldChange,
  type Json,
  type Observed,
  type Plan,
  type PlannedChange,
  type Spec,
  type StackState,
  UNKNOWN,
} from './model.ts';
import { forcesReplacement, type ProviderContext, type ProviderRegistry } from './provider.ts';
import { resolveSpec } from './refs.ts';
import { attachSensitive, maskSensitive } from './sensitive.ts';

/** Read every object the state records, one `readAll` (list calls) per kind. */
export async function readCurrent(
  state: StackState,
  providers: ProviderRegistry,
  ctx: ProviderContext,
): Promise<Map<string, Observed>> {
  const byKind = new Map<string, string[]>();
  for (const r of Object.values(state.resources)) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.id]);
  const observed = new Map<string, Observed>();
  await Promise.all(
    [...byKind].map(async ([kind, ids]) => {
      const provider = providers.get(kind);
      if (!provider) return;
      const found = await provider.readAll(ctx, ids);
      for (const r of Object.values(state.resources)) {
        const o = r.kind === kind ? found.get(r.id) : undefined;
        if (o) observed.set(r.address, o);
      }
    }),
  );
  return observed;
}

export function stateHash(state: StackState): string {
  return hashOf(Object.values(state.resources).map((r) => [r.address, r.id, r.spec]));
}

const same = (a: Json | undefined, b: Json | undefined) =>
  stableStringify(a ?? null) === stableStringify(b ?? null);

export function computePlan(
  file: LoadedFile,
  state: StackState,
  observed: ReadonlyMap<string, Observed>,
  providers: ProviderRegistry,
): Plan {
  const missing = [...new Set(file.resources.map((r) => r.kind))].filter((k) => !providers.has(k));
  if (missing.length) {
    throw new IacError(
      missing.map((kind) => {
        const r = file.resources.find((x) => x.kind === kind);
        return {
          code: 'provider',
          message: `this server cannot manage ${kind} yet (no provider for "${kind}")`,
          ...(r?.position ? { line: r.position.line, column: r.position.column } : {}),
        };
      }),
    );
  }
  const changes: PlannedChange[] = [];
  const actionOf = new Map<string, PlannedChange['action']>();
  const desired = new Set(file.resources.map((r) => r.address));

  // deletes first, dependents before what they depend on
  const gone = Object.values(state.resources).filter((r) => !desired.has(r.address));
  for (const r of orderResources(gone).reverse()) {
    changes.push({
      address: r.address,
      kind: r.kind,
      name: r.name,
      action: 'delete',
      id: r.id,
      changes: [],
      drift: [],
      dependsOn: r.dependsOn,
      reason: observed.has(r.address) ? 'no longer in the file' : 'no longer in the file (already gone)',
    });
    actionOf.set(r.address, 'delete');
  }

  const lookup = (kind: string, name: string, attr: string): Json | undefined => {
    const address = `${kind}.${name}`;
    const action = actionOf.get(address);
    if (action === 'create' || action === 'replace') return undefined;
    const o = observed.get(address);
    const s = state.resources[address];
    if (attr === 'id') return o?.id ?? s?.id;
    return o?.outputs[attr] ?? s?.outputs[attr] ?? o?.spec[attr] ?? s?.spec[attr];
  };

  for (const r of file.resources) {
    const provider = providers.get(r.kind);
    if (!provider) continue;
    const st = state.resources[r.address];
    const obs = observed.get(r.address);
    const { spec: resolved, unknownFields } = resolveSpec(r.spec, lookup, UNKNOWN);
    const want = maskSensitive(provider, provider.normalize ? provider.normalize(resolved) : resolved);
    const spec = maskSensitive(provider, r.spec);
    const base = { address: r.address, kind: r.kind, name: r.name, spec, dependsOn: r.dependsOn };
    const mark = (field: string) => (provider.sensitive?.includes(field) ? { sensitive: true } : {});
    if (!st || !obs) {
      const fieldChanges: FieldChange[] = Object.entries(want).map(([field, after]) => ({
        field,
        before: undefined,
        after,
        forcesReplacement: false,
        ...mark(field),
      }));
      changes.push({
        ...base,
        action: 'create',
        changes: fieldChanges,
        drift: [],
        ...(st ? { reason: 'deleted outside ProxiCloud', id: st.id } : {}),
      });
      attachSensitive(changes[changes.length - 1] as PlannedChange, provider, r.spec);
      actionOf.set(r.address, 'create');
      continue;
    }
    const readable = new Set(
      Object.keys(obs.spec).filter(
        (f) => !provider.writeOnly?.includes(f) && !provider.sensitive?.includes(f),
      ),
    );
    const current = (field: string): Json | undefined =>
      readable.has(field) ? obs.spec[field] : st.spec[field];
    const fieldChanges: FieldChange[] = [];
    const fields = new Set([...Object.keys(want), ...Object.keys(st.spec)]);
    for (const field of fields) {
      const after = want[field];
      const before = current(field);
      if (!unknownFields.has(field) && same(before, after)) continue;
      if (after === undefined && before === undefined) continue;
      fieldChanges.push({
        field,
        before,
        after: unknownFields.has(field) ? UNKNOWN : after,
        forcesReplacement: forcesReplacement(provider, field),
        ...mark(field),
      });
    }
    const drift: FieldChange[] = [];
    for (const field of readable) {
      if (!(field in st.spec)) continue;
      if (!same(obs.spec[field], st.spec[field])) {
        drift.push({ field, before: st.spec[field], after: obs.spec[field], forcesReplacement: false });
      }
    }
    let action: PlannedChange['action'] = 'no-op';
    let reason: string | undefined;
    if (obs.failed) {
      action = 'replace';
      reason = `it failed: ${obs.failed}`;
    } else if (fieldChanges.some((c) => c.forcesReplacement)) action = 'replace';
    else if (fieldChanges.length) action = 'update';
    changes.push({ ...base, action, id: st.id, changes: fieldChanges, drift, ...(reason ? { reason } : {}) });
    attachSensitive(changes[changes.length - 1] as PlannedChange, provider, r.spec);
    actionOf.set(r.address, action);
  }

  const summary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of changes) {
    if (c.action === 'no-op') summary.noop += 1;
    else summary[c.action] += 1;
  }
  return { stack: file.stack, stateHash: stateHash(state), specHash: file.specHash, changes, summary };
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== 'no-op');
}

export type { Spec };
