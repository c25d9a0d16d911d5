/**
 * From YAML text to desired resources: parse (positions kept) → variables → JSON Schema →
 * shorthand expansion (an instance's inline volumes, key pair and network names) → references
 * checked → dependency graph (cycles refused, named).
 */
import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject } from 'ajv';
import { parseYaml, type SourceDocument } from './document.ts';
import { IacError, type IacIssue, issueAt } from './errors.ts';
import { orderResources } from './graph.ts';
import { buildSchema, SENSITIVE_FIELDS } from './kinds.ts';
import type { DesiredResource, Json, Spec } from './model.ts';
import { findReferences } from './refs.ts';
import { parseGiB, parseMiB } from './units.ts';
import { resolveVariables, substituteVariables, type VariableInputs } from './variables.ts';

export interface LoadOptions extends VariableInputs {
  /** used as the stack name when the file has no `stack:` (e.g. the file name without extension) */
  defaultStack?: string;
  /** extra kind schemas (from providers of kinds this package does not know) */
  kindSchemas?: Record<string, Record<string, unknown>>;
}

export interface LoadedFile {
  stack: string;
  /** in dependency order */
  resources: DesiredResource[];
  /** sha-256 of the resolved document */
  specHash: string;
  variables: Record<string, Json>;
}

const ajvCache = new Map<string, ReturnType<Ajv['compile']>>();
function validator(extra: Record<string, Record<string, unknown>> | undefined) {
  const key = JSON.stringify(Object.keys(extra ?? {}));
  let v = ajvCache.get(key);
  if (!v) {
    v = new Ajv({ allErrors: true, strict: false }).compile(buildSchema(extra));
    ajvCache.set(key, v);
  }
  return v;
}

function schemaIssues(errors: ErrorObject[], source: SourceDocument): IacIssue[] {
  const byPath = new Map<string, ErrorObject>();
  for (const e of errors) {
    let path = e.instancePath;
    if (e.keyword === 'required')
      path = `${path}/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') {
      path = `${path}/${(e.params as { additionalProperty: string }).additionalProperty}`;
    }
    const seen = byPath.get(path);
    // prefer the specific error over the oneOf/anyOf summary at the same place
    if (!seen || seen.keyword === 'oneOf' || seen.keyword === 'anyOf')
      byPath.set(path, { ...e, instancePath: path });
  }
  // drop errors whose more specific child error is also reported
  const paths = [...byPath.keys()];
  const issues: IacIssue[] = [];
  for (const [path, e] of byPath) {
    if (
      (e.keyword === 'oneOf' || e.keyword === 'anyOf') &&
      paths.some((p) => p !== path && p.startsWith(`${path}/`))
    ) {
      continue;
    }
    const field = path || '/';
    let message: string;
    if (e.keyword === 'required') message = `${field}: missing required field`;
    else if (e.keyword === 'additionalProperties') message = `${field}: unknown field`;
    else if (e.keyword === 'enum') {
      message = `${field}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else message = `${field}: ${e.message ?? 'is invalid'}`;
    const pos =
      e.keyword === 'required'
        ? source.positionOf(e.instancePath)
        : source.positionOf(path, e.keyword === 'additionalProperties');
    issues.push(issueAt('schema', message, path, pos));
  }
  return issues;
}

const VAR_ONLY = /^\s*\$\{var\.([A-Za-z_][A-Za-z0-9_]*)\}\s*$/;

/**
 * Sensitive fields (a secret's value) must be `${var.NAME}` of a variable without a default: the
 * file is stored with the stack, so a value written in it would be stored in clear.
 */
function sensitiveFromVariables(raw: Record<string, Json>, source: SourceDocument, issues: IacIssue[]) {
  const declared = (raw.variables ?? {}) as Record<string, Json>;
  for (const [kind, fields] of Object.entries(SENSITIVE_FIELDS)) {
    const items = raw[kind];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return;
      for (const f of fields) {
        const v = (item as Record<string, Json>)[f];
        if (v === undefined) continue;
        const path = `/${kind}/${i}/${f}`;
        const m = typeof v === 'string' ? VAR_ONLY.exec(v) : null;
        const decl = m ? declared[m[1] as string] : undefined;
        if (!m) {
          issues.push(
            issueAt(
              'sensitive',
              `${kind}.${f} must be \${var.NAME} (from --var, --var-file or PROXICLOUD_VAR_NAME), never written in the file`,
              path,
              source.positionOf(path),
            ),
          );
        } else if (
          decl !== undefined &&
          (decl === null || typeof decl !== 'object' || Array.isArray(decl) || 'default' in decl)
        ) {
          issues.push(
            issueAt(
              'sensitive',
              `variable ${m[1]} feeds ${kind}.${f}: it must not have a default (the file is stored)`,
              `/variables/${m[1]}`,
              source.positionOf(`/variables/${m[1]}`),
            ),
          );
        }
      }
    });
  }
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const STACK_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Turn a file name into a stack name (`infra/home-lab.yaml` → `home-lab`). */
export function stackNameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base
    .replace(/\.(ya?ml|json)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export function loadFile(text: string, options: LoadOptions = {}): LoadedFile {
  const source = parseYaml(text);
  const issues: IacIssue[] = [];
  const raw = source.data;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new IacError([
      {
        code: 'schema',
        message: 'the file must be a mapping (stack:, variables:, instances:, …)',
        line: 1,
        column: 1,
      },
    ]);
  }
  const variables = resolveVariables(
    source,
    raw.variables as Record<string, Json> | undefined,
    options,
    issues,
  );
  sensitiveFromVariables(raw as Record<string, Json>, source, issues);
  const doc: Record<string, Json> = {};
  for (const [k, v] of Object.entries(raw)) {
    doc[k] = k === 'variables' ? v : substituteVariables(v, `/${k}`, variables, source, issues);
  }
  if (issues.length) throw new IacError(issues);
  const validate = validator(options.kindSchemas);
  if (!validate(doc)) throw new IacError(schemaIssues(validate.errors ?? [], source));

  const stack = (doc.stack as string | undefined) ?? options.defaultStack ?? '';
  if (!STACK_NAME.test(stack)) {
    throw new IacError([
      {
        code: 'schema',
        message: stack
          ? `stack name "${stack}" must be a DNS label (lowercase letters, digits, hyphens)`
          : 'the file has no stack: and no file name to name the stack after',
        line: 1,
        column: 1,
      },
    ]);
  }
  const resources = expand(doc, source, issues);
  if (issues.length) throw new IacError(issues);
  const ordered = orderResources(resources, (r) => source.positionOf(r.path));
  return {
    stack,
    resources: ordered,
    specHash: hashOf(resources.map((r) => [r.address, r.spec, r.dependsOn])),
    variables: Object.fromEntries(variables),
  };
}

interface Expanded extends DesiredResource {
  path: string;
}

function expand(doc: Record<string, Json>, source: SourceDocument, issues: IacIssue[]): Expanded[] {
  const out: Expanded[] = [];
  const declared = new Set<string>();
  const add = (r: Expanded) => {
    if (declared.has(r.address)) {
      issues.push(
        issueAt(
          'schema',
          `${r.address} is declared twice`,
          `${r.path}/name`,
          source.positionOf(`${r.path}/name`),
        ),
      );
      return;
    }
    declared.add(r.address);
    out.push(r);
  };
  for (const [kind, list] of Object.entries(doc)) {
    if (kind === 'stack' || kind === 'variables' || !Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const path = `/${kind}/${i}`;
      const spec = { ...(entry as Spec) };
      const pos = source.positionOf(path);
      const explicitDeps = ((spec.dependsOn as string[] | undefined) ?? []).slice();
      delete spec.dependsOn;
      normalizeSizes(kind, spec, path, source, issues);
      if (kind === 'attachments' && typeof spec.name !== 'string') {
        const ref = findReferences(String(spec.volume))[0];
        spec.name = ref ? ref.name : String(spec.volume);
      }
      const name = String(spec.name);
      if (kind === 'instances') {
        const inline = (spec.volumes as Spec[] | undefined) ?? [];
        delete spec.volumes;
        inline.forEach((v, j) => {
          const volName = typeof v.name === 'string' ? v.name : `${name}-vol-${j}`;
          const vPath = `${path}/volumes/${j}`;
          const volume: Spec = {
            name: volName,
            size: parseGiB(v.size) ?? (v.size as Json),
            format: spec.type === 'lxc' ? 'filesystem' : 'block',
          };
          if (v.volumeType !== undefined) volume.volumeType = v.volumeType;
          add({
            kind: 'volumes',
            name: volName,
            address: `volumes.${volName}`,
            spec: volume,
            dependsOn: [],
            position: source.positionOf(vPath),
            path: vPath,
          });
          const att: Spec = {
            name: volName,
            volume: `\${volumes.${volName}.id}`,
            instance: `\${instances.${name}.id}`,
          };
          if (v.mount !== undefined) att.mount = v.mount;
          add({
            kind: 'attachments',
            name: volName,
            address: `attachments.${volName}`,
            spec: att,
            dependsOn: [],
            position: source.positionOf(vPath),
            path: vPath,
          });
        });
        const keys = (spec.keyPairs as string[] | undefined) ?? [];
        if (keys.length) {
          spec.keyPairs = keys.map((k) =>
            /^key-[0-9a-f]{17}$/.test(k) || k.includes('${') ? k : `\${keyPairs.${k}.id}`,
          );
        }
        // names of networks / security groups in this file become references to their ids
        for (const [field, kindName, idPattern] of [
          ['networks', 'networks', /^net-[0-9a-f]+$/],
          ['securityGroups', 'securityGroups', /^sg-[0-9a-f]{17}$/],
        ] as const) {
          const names = (spec[field] as string[] | undefined) ?? [];
          if (names.length) {
            spec[field] = names.map((n) =>
              idPattern.test(n) || n.includes('${') ? n : `\${${kindName}.${n}.id}`,
            );
          }
        }
      }
      add({ kind, name, address: `${kind}.${name}`, spec, dependsOn: explicitDeps, position: pos, path });
    });
  }
  // references and explicit dependencies must name resources of this file
  for (const r of out) {
    const deps = new Set<string>();
    const check = (address: string, at: string) => {
      if (!declared.has(address)) {
        issues.push(
          issueAt(
            'reference',
            `${r.address} refers to ${address}, which this file does not declare`,
            at,
            source.positionOf(at),
          ),
        );
      } else if (address === r.address) {
        issues.push(issueAt('cycle', `${r.address} refers to itself`, at, source.positionOf(at)));
      } else deps.add(address);
    };
    walk(r.spec, r.path, (value, at) => {
      for (const ref of findReferences(value)) check(`${ref.kind}.${ref.name}`, at);
    });
    for (const d of r.dependsOn) check(d, `${r.path}/dependsOn`);
    r.dependsOn = [...deps].sort();
  }
  return out;
}

function normalizeSizes(kind: string, spec: Spec, path: string, source: SourceDocument, issues: IacIssue[]) {
  const fix = (field: string, parse: (v: unknown) => number | null, unit: string) => {
    const v = spec[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.includes('${'))) return;
    const n = parse(v);
    if (n === null) {
      issues.push(
        issueAt(
          'schema',
          `${path}/${field}: "${v}" is not a whole number of ${unit}`,
          `${path}/${field}`,
          source.positionOf(`${path}/${field}`),
        ),
      );
    } else spec[field] = n;
  };
  if (kind === 'instances') {
    fix('memory', parseMiB, 'MiB');
    fix('disk', parseGiB, 'GiB');
  }
  if (kind === 'volumes') fix('size', parseGiB, 'GiB');
  if (kind === 'quotas') {
    fix('memory', parseMiB, 'MiB');
    fix('disk', parseGiB, 'GiB');
  }
}

function walk(value: Json, path: string, visit: (value: string, path: string) => void) {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, `${path}/${i}`, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`, visit);
  }
}
