/** @proxicloud/iac: infrastructure files → plans → applies, through providers (one per kind). */
export { type ApplyEvent, type ApplyHooks, type ApplyResult, applyPlan, stepNames } from './apply.ts';
export { parseYaml } from './document.ts';
export { formatIssue, IacError, type IacIssue } from './errors.ts';
export { orderResources } from './graph.ts';
export { buildSchema, KIND_SCHEMAS, RESOURCE_KINDS } from './kinds.ts';
export {
  hashOf,
  type LoadedFile,
  type LoadOptions,
  loadFile,
  stableStringify,
  stackNameFromFile,
} from './load.ts';
export * from './model.ts';
export { computePlan, hasChanges, readCurrent, stateHash } from './planner.ts';
export {
  type CreateMeta,
  forcesReplacement,
  type Provider,
  type ProviderContext,
  type ProviderRegistry,
  registry,
} from './provider.ts';
export * from './providers/index.ts';
export { findReferences, resolveSpec } from './refs.ts';
export { maskSensitive, SENSITIVE_PREFIX } from './sensitive.ts';
export { parseGiB, parseMiB } from './units.ts';
export { coerce, type VariableInputs, type VariableType } from './variables.ts';
