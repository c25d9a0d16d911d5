/**
 * The provider contract (after Pulumi's check / diff / create / read / update / delete): one
 * provider per resource kind. A service adds a kind by writing one provider and listing it in
 * the registry it hands to `plan` / `apply`; the planner never changes.
 *
 * Failure semantics: a create that throws leaves nothing behind, unless it reported an id through
 * `onId` first (then the id is recorded and the next apply reads it back instead of creating a
 * duplicate); a delete that throws means the object still exists; `readAll` never writes.
 */
import type { ApiClient } from '@proxicloud/sdk';
import type { Json, Observed, Spec } from './model.ts';

export interface ProviderContext {
  api: ApiClient;
  /** the stack's name: providers label what they create with it where the resource has labels */
  stack: string;
  /** progress lines (operation waits, retries) */
  log?: (message: string) => void;
  /** wait between polls of a long-running operation (tests pass 0) */
  pollMs?: number;
}

export interface CreateMeta {
  address: string;
  /** stable for one desired spec: providers pass it as an Idempotency-Key where the API takes one */
  idempotencyKey: string;
  /** report the new object's id as soon as it is known (before waiting for it to be ready) */
  onId: (id: string) => void;
}

export interface Provider {
  kind: string;
  /** JSON Schema of one item of this kind (the published file schema is built from these) */
  schema: Record<string, unknown>;
  /** one-line description for the schema and `--help` */
  description: string;
  /** fields whose change cannot be applied in place (destroy and re-create) */
  forceNew: readonly string[] | 'all';
  /** attributes others can reference as `${kind.name.attr}` */
  outputs: readonly string[];
  /**
   * A field holding the id of a parent whose deletion removes this object too (Pulumi's
   * deletedWith): when the parent goes in the same apply, this object's delete is not called.
   */
  deletedWith?: string;
  /** fields that are compared against the last applied spec, not against what was read */
  writeOnly?: readonly string[];
  /**
   * fields never stored or shown (they are write-only too): state and plans carry `sha256:<hex>`
   * of the value, plan field changes are marked `sensitive`; only create/update see the value
   */
  sensitive?: readonly string[];
  /** read every object of `ids` with list calls (never one call per resource); missing ids are absent */
  readAll(ctx: ProviderContext, ids: readonly string[]): Promise<Map<string, Observed>>;
  /** find an existing object by name (for `stacks import`) */
  lookup?(ctx: ProviderContext, name: string, spec: Spec): Promise<Observed | null>;
  create(ctx: ProviderContext, spec: Spec, meta: CreateMeta): Promise<Observed>;
  /** apply changed fields in place; only called when no changed field is in forceNew */
  update?(ctx: ProviderContext, id: string, spec: Spec, changed: readonly string[]): Promise<Observed>;
  delete(ctx: ProviderContext, id: string): Promise<void>;
  /** normalise a desired value before comparing (e.g. "20GB" → 20); default identity */
  normalize?(spec: Spec): Spec;
}

export type ProviderRegistry = ReadonlyMap<string, Provider>;

export function registry(providers: readonly Provider[]): ProviderRegistry {
  return new Map(providers.map((p) => [p.kind, p]));
}

export function forcesReplacement(provider: Provider, field: string): boolean {
  if (provider.forceNew === 'all') return true;
  return provider.forceNew.includes(field) || (provider.update === undefined && field !== 'dependsOn');
}

export type { Json };
