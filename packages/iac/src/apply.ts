/**
 * Carry out a plan: deletes (and the delete half of replacements) in reverse dependency order,
 * then creates, replacements and updates in dependency order, references resolved from what was
 * just created. The state is saved after every step, so a failed or interrupted apply leaves a
 * state true to what exists and the next apply continues from there.
 */
import { orderResources } from './graph.ts';
import { hashOf } from './load.ts';
import type { Json, Plan, PlannedChange, Spec, StackState, StateResource } from './model.ts';
import type { ProviderContext, ProviderRegistry } from './provider.ts';
import { resolveSpec } from './refs.ts';
import { maskSensitive, unmaskForApply } from './sensitive.ts';

export interface ApplyEvent {
  address: string;
  action: PlannedChange['action'];
  status: 'started' | 'done' | 'failed';
  id?: string;
  message?: string;
}

export interface ApplyHooks {
  /** persist the state (called after every change) */
  save(state: StackState): Promise<void>;
  onEvent?(event: ApplyEvent): void;
  /**
   * Wraps every step (the server runs each as a step of an operation: progress per resource).
   * `name` is `remove:<address>` for deletes and the old half of replacements, `apply:<address>`
   * for creates, updates and the new half of replacements (see `stepNames`).
   */
  runStep?(name: string, fn: () => Promise<void>): Promise<void>;
}

/** The steps an apply of `plan` runs, in a plausible order (deletes first), with display titles. */
export function stepNames(plan: Plan): { name: string; title: string }[] {
  const changed = plan.changes.filter((c) => c.action !== 'no-op');
  const removes = changed
    .filter((c) => c.action === 'delete' || c.action === 'replace')
    .reverse()
    .map((c) => ({
      name: `remove:${c.address}`,
      title: c.action === 'delete' ? `- destroy ${c.address}` : `-/+ remove old ${c.address}`,
    }));
  const applies = changed
    .filter((c) => c.action !== 'delete')
    .map((c) => ({
      name: `apply:${c.address}`,
      title:
        c.action === 'create'
          ? `+ create ${c.address}`
          : c.action === 'update'
            ? `~ update ${c.address}`
            : `-/+ create new ${c.address}`,
    }));
  return [...removes, ...applies];
}

export interface ApplyResult {
  state: StackState;
  done: number;
  failed?: { address: string; message: string };
}

function clone(state: StackState): StackState {
  return { resources: structuredClone(state.resources) };
}

export async function applyPlan(
  plan: Plan,
  initial: StackState,
  providers: ProviderRegistry,
  ctx: ProviderContext,
  hooks: ApplyHooks,
): Promise<ApplyResult> {
  const state = clone(initial);
  let done = 0;
  const emit = (e: ApplyEvent) => hooks.onEvent?.(e);
  let early: Promise<void> = Promise.resolve();
  const step = async (
    change: PlannedChange,
    action: PlannedChange['action'],
    run: () => Promise<void>,
    phase: 'remove' | 'apply' = 'apply',
  ) => {
    emit({ address: change.address, action, status: 'started', ...(change.id ? { id: change.id } : {}) });
    const body = async () => {
      try {
        await run();
      } finally {
        await early;
      }
      await hooks.save(clone(state));
    };
    if (hooks.runStep) await hooks.runStep(`${phase}:${change.address}`, body);
    else await body();
    done += 1;
    emit({
      address: change.address,
      action,
      status: 'done',
      ...(state.resources[change.address] ? { id: state.resources[change.address]?.id } : {}),
    });
  };

  const fail = async (change: PlannedChange, err: unknown): Promise<ApplyResult> => {
    const message = err instanceof Error ? err.message : String(err);
    await hooks.save(clone(state));
    emit({ address: change.address, action: change.action, status: 'failed', message });
    return { state, done, failed: { address: change.address, message } };
  };

  // 1. deletions: whole deletes and the old half of replacements, dependents first
  const toRemove = plan.changes.filter((c) => c.action === 'delete' || c.action === 'replace');
  const removeOrder = orderResources(
    toRemove.map((c) => ({ ...c, dependsOn: state.resources[c.address]?.dependsOn ?? c.dependsOn })),
  ).reverse();
  for (const change of removeOrder) {
    const recorded = state.resources[change.address];
    if (!recorded) continue;
    const provider = providers.get(recorded.kind);
    if (!provider) continue;
    const parentId = provider.deletedWith ? recorded.spec[provider.deletedWith] : undefined;
    const parentGoes = removeOrder.some(
      (c) =>
        c.address !== change.address && state.resources[c.address]?.id === parentId && parentId !== undefined,
    );
    try {
      await step(
        change,
        change.action === 'replace' ? 'replace' : 'delete',
        async () => {
          if (!parentGoes) await provider.delete(ctx, recorded.id);
          delete state.resources[change.address];
        },
        'remove',
      );
    } catch (err) {
      return fail(change, err);
    }
  }

  // 2. creations and updates in dependency order
  const lookup = (kind: string, name: string, attr: string): Json | undefined => {
    const r = state.resources[`${kind}.${name}`];
    if (!r) return undefined;
    return attr === 'id' ? r.id : (r.outputs[attr] ?? r.spec[attr]);
  };
  for (const change of plan.changes) {
    if (change.action === 'delete' || change.action === 'no-op' || !change.spec) continue;
    const provider = providers.get(change.kind);
    if (!provider) continue;
    let raw: Spec;
    try {
      raw = unmaskForApply(provider, change);
    } catch (err) {
      return fail(change, err);
    }
    const { spec: resolved, unknownFields } = resolveSpec(raw, lookup, null);
    if (unknownFields.size) {
      return fail(
        change,
        new Error(`cannot resolve ${[...unknownFields].join(', ')}: a dependency is missing`),
      );
    }
    const spec = provider.normalize ? provider.normalize(resolved) : resolved;
    /** what the state records: sensitive values only as hashes */
    const stored = maskSensitive(provider, spec);
    try {
      if (change.action === 'update') {
        const recorded = state.resources[change.address] as StateResource;
        await step(change, 'update', async () => {
          const changed = change.changes.map((c) => c.field);
          const obs = await (provider.update as NonNullable<typeof provider.update>)(
            ctx,
            recorded.id,
            spec,
            changed,
          );
          state.resources[change.address] = {
            ...recorded,
            spec: stored,
            outputs: obs.outputs,
            dependsOn: change.dependsOn,
          };
        });
      } else {
        await step(change, change.action, async () => {
          const record = (id: string, outputs: Record<string, Json>) => {
            state.resources[change.address] = {
              kind: change.kind,
              name: change.name,
              address: change.address,
              id,
              spec: stored,
              outputs,
              dependsOn: change.dependsOn,
            };
          };
          const obs = await provider.create(ctx, spec, {
            address: change.address,
            idempotencyKey: `iac-${hashOf([plan.stack, change.address, spec]).slice(0, 40)}`,
            onId: (id) => {
              record(id, {});
              const snapshot = clone(state);
              early = early.then(() => hooks.save(snapshot));
            },
          });
          record(obs.id, obs.outputs);
        });
      }
    } catch (err) {
      return fail(change, err);
    }
  }
  return { state, done };
}
