/**
 * The planner's vocabulary: desired resources (from a file), recorded state (from the server),
 * observed objects (read through a provider) and the plan that connects them.
 */

/** A place in the source file (1-based). */
export interface Position {
  line: number;
  column: number;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Spec = { [key: string]: Json };

/** One resource the file asks for, after variables were substituted (references stay `${…}`). */
export interface DesiredResource {
  kind: string;
  name: string;
  /** `kind.name`, e.g. `instances.web` */
  address: string;
  spec: Spec;
  /** addresses this resource references or names in `dependsOn` */
  dependsOn: string[];
  position?: Position;
}

/** What the stack recorded about a resource it owns. */
export interface StateResource {
  kind: string;
  name: string;
  address: string;
  id: string;
  /** the spec as last applied, references resolved */
  spec: Spec;
  /** attributes other resources may reference (`id`, `ipAddress`, …) */
  outputs: Record<string, Json>;
  dependsOn: string[];
}

export interface StackState {
  resources: Record<string, StateResource>;
}

/** What a provider read about one object. */
export interface Observed {
  id: string;
  /** fields the provider can read back reliably, in the file's vocabulary */
  spec: Spec;
  outputs: Record<string, Json>;
  /** set when the object exists but is broken (a failed launch): the plan replaces it */
  failed?: string;
}

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export interface FieldChange {
  field: string;
  before: Json | undefined;
  /** `UNKNOWN` when it depends on a resource that is created in the same apply */
  after: Json | undefined;
  /** true when this field cannot change in place */
  forcesReplacement: boolean;
  /** a sensitive field: before/after are `sha256:…` of the value, never the value */
  sensitive?: boolean;
}

export interface PlannedChange {
  address: string;
  kind: string;
  name: string;
  action: Action;
  id?: string;
  changes: FieldChange[];
  /** fields that differ between the last applied spec and what exists (changed outside ProxiCloud) */
  drift: FieldChange[];
  /** the desired spec, references unresolved (for create/update/replace) */
  spec?: Spec;
  /**
   * the clear values of sensitive fields (`spec` holds their hashes): not enumerable, so it never
   * reaches JSON (API answers, stored plans); only `apply` reads it from the plan it was handed
   */
  readonly sensitiveSpec?: Spec;
  dependsOn: string[];
  reason?: string;
}

export interface Plan {
  stack: string;
  /** sha-256 of the stack's recorded state the plan was computed against */
  stateHash: string;
  /** sha-256 of the desired document (after variables) */
  specHash: string;
  changes: PlannedChange[];
  summary: { create: number; update: number; replace: number; delete: number; noop: number };
}

/** The value shown for a field that is only known once a dependency was created. */
export const UNKNOWN = '(known after apply)';
