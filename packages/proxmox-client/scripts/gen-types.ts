/**
 * Generates src/generated/endpoints.ts from the official PVE API schema (apidoc.json): parameter
 * and result types for every endpoint ProxiCloud may use (INCLUDE below, plus OPERATIONS), the
 * `Endpoints` map and the `PVE_API` method table (name → `METHOD /path`) that ProxmoxClient.api
 * turns into typed methods. Run: `npm run gen-types -w @proxicloud/proxmox-client [-- schema.json]`.
 * Default schema: shared/pve/apidoc.json beside the repository (or PVE_APIDOC), else the reduced
 * copy vendored in @proxicloud/pve-schema. src/generated.test.ts fails when the file is stale.
 *
 * The schema is © Proxmox Server Solutions GmbH (AGPL-3.0-or-later); see docs/proxmox.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = resolve(here, '..');
const repoRoot = resolve(pkgRoot, '../..');

/**
 * [method, path, TypeName]: the endpoints the hand-written methods call, with the type names they
 * (and the server) import. Every other endpoint gets a name derived from its path (apiName).
 */
export const OPERATIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['GET', '/version', 'Version'],
  ['POST', '/access/ticket', 'AccessTicket'],
  ['GET', '/access/permissions', 'AccessPermissions'],
  ['GET', '/cluster/resources', 'ClusterResources'],
  ['GET', '/cluster/nextid', 'ClusterNextId'],
  ['GET', '/cluster/status', 'ClusterStatus'],
  ['GET', '/nodes', 'NodesList'],
  ['GET', '/nodes/{node}/status', 'NodeStatus'],
  ['GET', '/nodes/{node}/rrddata', 'NodeRrdData'],
  ['GET', '/nodes/{node}/network', 'NodeNetwork'],
  // QEMU
  ['GET', '/nodes/{node}/qemu', 'QemuList'],
  ['POST', '/nodes/{node}/qemu', 'QemuCreate'],
  ['DELETE', '/nodes/{node}/qemu/{vmid}', 'QemuDelete'],
  ['POST', '/nodes/{node}/qemu/{vmid}/clone', 'QemuClone'],
  ['GET', '/nodes/{node}/qemu/{vmid}/config', 'QemuConfigGet'],
  ['POST', '/nodes/{node}/qemu/{vmid}/config', 'QemuConfigUpdateAsync'],
  ['PUT', '/nodes/{node}/qemu/{vmid}/config', 'QemuConfigUpdate'],
  ['GET', '/nodes/{node}/qemu/{vmid}/status/current', 'QemuStatusCurrent'],
  ['POST', '/nodes/{node}/qemu/{vmid}/status/start', 'QemuStart'],
  ['POST', '/nodes/{node}/qemu/{vmid}/status/shutdown', 'QemuShutdown'],
  ['POST', '/nodes/{node}/qemu/{vmid}/status/stop', 'QemuStop'],
  ['POST', '/nodes/{node}/qemu/{vmid}/status/reboot', 'QemuReboot'],
  ['PUT', '/nodes/{node}/qemu/{vmid}/resize', 'QemuResize'],
  ['PUT', '/nodes/{node}/qemu/{vmid}/unlink', 'QemuUnlink'],
  ['GET', '/nodes/{node}/qemu/{vmid}/snapshot', 'QemuSnapshotList'],
  ['POST', '/nodes/{node}/qemu/{vmid}/snapshot', 'QemuSnapshotCreate'],
  ['DELETE', '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}', 'QemuSnapshotDelete'],
  ['POST', '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback', 'QemuSnapshotRollback'],
  ['GET', '/nodes/{node}/qemu/{vmid}/rrddata', 'QemuRrdData'],
  ['POST', '/nodes/{node}/qemu/{vmid}/vncproxy', 'QemuVncProxy'],
  ['POST', '/nodes/{node}/qemu/{vmid}/termproxy', 'QemuTermProxy'],
  ['GET', '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', 'QemuAgentNetworkGetInterfaces'],
  ['GET', '/nodes/{node}/qemu/{vmid}/agent/get-fsinfo', 'QemuAgentGetFsinfo'],
  ['POST', '/nodes/{node}/qemu/{vmid}/agent/ping', 'QemuAgentPing'],
  ['GET', '/nodes/{node}/qemu/{vmid}/firewall/rules', 'QemuFirewallRulesList'],
  ['POST', '/nodes/{node}/qemu/{vmid}/firewall/rules', 'QemuFirewallRuleCreate'],
  ['GET', '/nodes/{node}/qemu/{vmid}/firewall/rules/{pos}', 'QemuFirewallRuleGet'],
  ['PUT', '/nodes/{node}/qemu/{vmid}/firewall/rules/{pos}', 'QemuFirewallRuleUpdate'],
  ['DELETE', '/nodes/{node}/qemu/{vmid}/firewall/rules/{pos}', 'QemuFirewallRuleDelete'],
  ['GET', '/nodes/{node}/qemu/{vmid}/firewall/options', 'QemuFirewallOptionsGet'],
  ['PUT', '/nodes/{node}/qemu/{vmid}/firewall/options', 'QemuFirewallOptionsUpdate'],
  // LXC
  ['GET', '/nodes/{node}/lxc', 'LxcList'],
  ['POST', '/nodes/{node}/lxc', 'LxcCreate'],
  ['DELETE', '/nodes/{node}/lxc/{vmid}', 'LxcDelete'],
  ['POST', '/nodes/{node}/lxc/{vmid}/clone', 'LxcClone'],
  ['GET', '/nodes/{node}/lxc/{vmid}/config', 'LxcConfigGet'],
  ['PUT', '/nodes/{node}/lxc/{vmid}/config', 'LxcConfigUpdate'],
  ['GET', '/nodes/{node}/lxc/{vmid}/status/current', 'LxcStatusCurrent'],
  ['POST', '/nodes/{node}/lxc/{vmid}/status/start', 'LxcStart'],
  ['POST', '/nodes/{node}/lxc/{vmid}/status/shutdown', 'LxcShutdown'],
  ['POST', '/nodes/{node}/lxc/{vmid}/status/stop', 'LxcStop'],
  ['POST', '/nodes/{node}/lxc/{vmid}/status/reboot', 'LxcReboot'],
  ['PUT', '/nodes/{node}/lxc/{vmid}/resize', 'LxcResize'],
  ['GET', '/nodes/{node}/lxc/{vmid}/snapshot', 'LxcSnapshotList'],
  ['POST', '/nodes/{node}/lxc/{vmid}/snapshot', 'LxcSnapshotCreate'],
  ['DELETE', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}', 'LxcSnapshotDelete'],
  ['POST', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback', 'LxcSnapshotRollback'],
  ['GET', '/nodes/{node}/lxc/{vmid}/rrddata', 'LxcRrdData'],
  ['POST', '/nodes/{node}/lxc/{vmid}/vncproxy', 'LxcVncProxy'],
  ['POST', '/nodes/{node}/lxc/{vmid}/termproxy', 'LxcTermProxy'],
  ['GET', '/nodes/{node}/lxc/{vmid}/interfaces', 'LxcInterfaces'],
  ['GET', '/nodes/{node}/lxc/{vmid}/firewall/rules', 'LxcFirewallRulesList'],
  ['POST', '/nodes/{node}/lxc/{vmid}/firewall/rules', 'LxcFirewallRuleCreate'],
  ['GET', '/nodes/{node}/lxc/{vmid}/firewall/rules/{pos}', 'LxcFirewallRuleGet'],
  ['PUT', '/nodes/{node}/lxc/{vmid}/firewall/rules/{pos}', 'LxcFirewallRuleUpdate'],
  ['DELETE', '/nodes/{node}/lxc/{vmid}/firewall/rules/{pos}', 'LxcFirewallRuleDelete'],
  ['GET', '/nodes/{node}/lxc/{vmid}/firewall/options', 'LxcFirewallOptionsGet'],
  ['PUT', '/nodes/{node}/lxc/{vmid}/firewall/options', 'LxcFirewallOptionsUpdate'],
  // Storage
  ['GET', '/storage/{storage}', 'StorageConfigGet'],
  ['GET', '/nodes/{node}/storage', 'StorageList'],
  ['GET', '/nodes/{node}/storage/{storage}/status', 'StorageStatus'],
  ['GET', '/nodes/{node}/storage/{storage}/content', 'StorageContentList'],
  ['POST', '/nodes/{node}/storage/{storage}/content', 'StorageContentAllocate'],
  ['DELETE', '/nodes/{node}/storage/{storage}/content/{volume}', 'StorageContentDelete'],
  // Tasks
  ['GET', '/nodes/{node}/tasks', 'TasksList'],
  ['GET', '/nodes/{node}/tasks/{upid}/status', 'TaskStatus'],
  ['GET', '/nodes/{node}/tasks/{upid}/log', 'TaskLog'],
  // Cluster firewall
  ['GET', '/cluster/firewall/groups', 'FirewallGroupsList'],
  ['POST', '/cluster/firewall/groups', 'FirewallGroupCreate'],
  ['GET', '/cluster/firewall/groups/{group}', 'FirewallGroupRulesList'],
  ['POST', '/cluster/firewall/groups/{group}', 'FirewallGroupRuleCreate'],
  ['DELETE', '/cluster/firewall/groups/{group}', 'FirewallGroupDelete'],
  ['GET', '/cluster/firewall/groups/{group}/{pos}', 'FirewallGroupRuleGet'],
  ['PUT', '/cluster/firewall/groups/{group}/{pos}', 'FirewallGroupRuleUpdate'],
  ['DELETE', '/cluster/firewall/groups/{group}/{pos}', 'FirewallGroupRuleDelete'],
  ['GET', '/cluster/firewall/options', 'FirewallClusterOptionsGet'],
  ['PUT', '/cluster/firewall/options', 'FirewallClusterOptionsUpdate'],
  // SDN
  ['GET', '/cluster/sdn', 'SdnIndex'],
  ['PUT', '/cluster/sdn', 'SdnApply'],
  ['GET', '/cluster/sdn/zones', 'SdnZonesList'],
  ['POST', '/cluster/sdn/zones', 'SdnZoneCreate'],
  ['GET', '/cluster/sdn/zones/{zone}', 'SdnZoneGet'],
  ['PUT', '/cluster/sdn/zones/{zone}', 'SdnZoneUpdate'],
  ['DELETE', '/cluster/sdn/zones/{zone}', 'SdnZoneDelete'],
  ['GET', '/cluster/sdn/vnets', 'SdnVnetsList'],
  ['POST', '/cluster/sdn/vnets', 'SdnVnetCreate'],
  ['GET', '/cluster/sdn/vnets/{vnet}', 'SdnVnetGet'],
  ['PUT', '/cluster/sdn/vnets/{vnet}', 'SdnVnetUpdate'],
  ['DELETE', '/cluster/sdn/vnets/{vnet}', 'SdnVnetDelete'],
  ['GET', '/cluster/sdn/vnets/{vnet}/subnets', 'SdnSubnetsList'],
  ['POST', '/cluster/sdn/vnets/{vnet}/subnets', 'SdnSubnetCreate'],
  ['GET', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', 'SdnSubnetGet'],
  ['PUT', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', 'SdnSubnetUpdate'],
  ['DELETE', '/cluster/sdn/vnets/{vnet}/subnets/{subnet}', 'SdnSubnetDelete'],
  // Backups
  ['GET', '/cluster/backup', 'BackupJobsList'],
  ['POST', '/cluster/backup', 'BackupJobCreate'],
  ['GET', '/cluster/backup/{id}', 'BackupJobGet'],
  ['PUT', '/cluster/backup/{id}', 'BackupJobUpdate'],
  ['DELETE', '/cluster/backup/{id}', 'BackupJobDelete'],
  ['POST', '/nodes/{node}/vzdump', 'Vzdump'],
];

/** Subtrees ProxiCloud may use (compute, consoles, networks, firewalls, backups, metrics, HA, pools). */
export const INCLUDE: readonly RegExp[] = [
  /^\/version$/,
  /^\/access\/(ticket|permissions)$/,
  /^\/cluster\/(resources|nextid|status|tasks|log)$/,
  /^\/cluster\/sdn$/,
  /^\/cluster\/sdn\/(zones|vnets|ipams|dns|controllers|lock|rollback)(\/|$)/,
  /^\/cluster\/(firewall|backup|backup-info|metrics|ha)(\/|$)/,
  /^\/pools(\/|$)/,
  /^\/storage(\/|$)/,
  /^\/nodes$/,
  /^\/nodes\/\{node\}\/(status|rrddata|network|tasks|vzdump|storage|qemu|lxc|firewall|sdn)(\/|$)/,
];

type Schema = {
  type?: string | string[];
  enum?: Array<string | number>;
  optional?: number | boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  format?: string | Record<string, Schema>;
  description?: string;
  alias?: string;
  typetext?: string;
  additionalProperties?: number | boolean | Schema;
};
type Info = { parameters?: Schema; returns?: Schema; permissions?: Record<string, unknown> };
type TreeNode = { path: string; info?: Record<string, Info>; children?: TreeNode[] };

/**
 * The committed file is generated from the full apidoc.json (it keeps return enums and short
 * descriptions). Without it, the vendored reduced copy of @proxicloud/pve-schema works too
 * (same parameter types; no descriptions, no enums in return types).
 */
export function findApidoc(): string | undefined {
  if (process.env.PVE_APIDOC) return resolve(process.env.PVE_APIDOC);
  // shared/ sits beside the repository (a clone) or beside its parent (a worktree folder).
  for (const up of ['..', '../..']) {
    const full = resolve(repoRoot, up, 'shared/pve/apidoc.json');
    if (existsSync(full)) return full;
  }
  return undefined;
}

function defaultSchemaPath(): string {
  const full = findApidoc();
  if (full) return full;
  console.warn('apidoc.json not found; generating from the reduced copy in packages/pve-schema');
  return resolve(repoRoot, 'packages/pve-schema/schema/pve-api.json');
}

function loadOperations(file: string): Map<string, Info> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as
    | TreeNode[]
    | { paths: Record<string, Record<string, Info>> };
  const map = new Map<string, Info>();
  if (!Array.isArray(json)) {
    for (const [path, methods] of Object.entries(json.paths)) {
      for (const [m, info] of Object.entries(methods)) map.set(`${m} ${path}`, info);
    }
    return map;
  }
  const tree = json;
  const walk = (n: TreeNode): void => {
    for (const [m, info] of Object.entries(n.info ?? {})) map.set(`${m} ${n.path}`, info);
    for (const c of n.children ?? []) walk(c);
  };
  for (const n of tree) walk(n);
  return map;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (k: string): string => (IDENT.test(k) ? k : JSON.stringify(k));

function doc(s: Schema, indent: string): string {
  const d = (s.description ?? '').split('\n')[0]!.trim();
  if (!d) return '';
  const short = d.length > 110 ? `${d.slice(0, 107)}...` : d;
  return `${indent}/** ${short.replaceAll('*/', '* /')} */\n`;
}

/** Numbered families at least this large are written as a template type (`mp${number}`). */
const FAMILY_MIN = 8;

/**
 * An enum as a union of literals, except that a numbered family (PVE lists `mp0` … `mp255`,
 * `unused0` … `unused255` for disk names) becomes `` `mp${number}` ``: the same values for the
 * compiler, a few lines instead of hundreds in the file.
 */
function enumType(values: ReadonlyArray<string | number>): string {
  const families = new Map<string, number>();
  for (const v of values) {
    const m = typeof v === 'string' ? /^([A-Za-z_-]+)\d+$/.exec(v) : null;
    if (m) families.set(m[1]!, (families.get(m[1]!) ?? 0) + 1);
  }
  const out: string[] = [];
  const written = new Set<string>();
  for (const v of values) {
    const m = typeof v === 'string' ? /^([A-Za-z_-]+)\d+$/.exec(v) : null;
    if (m && (families.get(m[1]!) ?? 0) >= FAMILY_MIN) {
      if (!written.has(m[1]!)) out.push(`\`${m[1]}\${number}\``);
      written.add(m[1]!);
    } else out.push(JSON.stringify(v));
  }
  return out.join(' | ');
}

/** mode 'in' = request parameter (what we send), 'out' = response (what PVE returns). */
function tsType(s: Schema | undefined, mode: 'in' | 'out', indent: string): string {
  if (!s) return 'unknown';
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum && s.enum.length > 0) return enumType(s.enum);
  switch (t) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return mode === 'in' ? 'boolean' : 'PveBoolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${tsType(s.items, mode, indent)}>`;
    case 'object':
    case undefined: {
      if (!s.properties || Object.keys(s.properties).length === 0) return 'Record<string, unknown>';
      return objectType(s.properties, mode, indent, mode === 'out' && !!s.additionalProperties);
    }
    default:
      return 'unknown';
  }
}

/** One property of an object type: the key as Omit<> spells it, and its rendered line(s). */
interface Entry {
  omitKey: string;
  text: string;
}

function objectEntries(props: Record<string, Schema>, mode: 'in' | 'out', indent: string): Entry[] {
  const inner = `${indent}  `;
  const lines: Entry[] = [];
  const indexed: Entry[] = [];
  for (const name of Object.keys(props).sort()) {
    const p = props[name]!;
    if (p.alias && !p.type) continue;
    const m = /^([a-z_-]+)\[n\]$/i.exec(name);
    const type = tsType(p, mode, inner);
    if (m) {
      const pattern = `\`${m[1]}\${number}\``;
      indexed.push({
        omitKey: pattern,
        text: `${doc(p, inner)}${inner}[key: ${pattern}]: ${type} | undefined;`,
      });
      continue;
    }
    const opt = p.optional ? '?' : '';
    lines.push({
      omitKey: JSON.stringify(name),
      text: `${doc(p, inner)}${inner}${key(name)}${opt}: ${type};`,
    });
  }
  return [...lines, ...indexed];
}

function objectType(
  props: Record<string, Schema>,
  mode: 'in' | 'out',
  indent: string,
  open: boolean,
): string {
  const lines = objectEntries(props, mode, indent).map((e) => e.text);
  if (open) lines.push(`${indent}  [key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE'];
const VERB: Record<string, string> = { GET: 'get', POST: 'post', PUT: 'put', DELETE: 'delete' };

const camel = (s: string): string =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * The method name of an endpoint: HTTP verb + the path's literal segments; a path parameter is
 * implied by the segment after it and spelled `By<Param>` only at the end:
 * `GET /nodes/{node}/qemu/{vmid}/snapshot` → getNodesQemuSnapshot,
 * `DELETE /cluster/firewall/groups/{group}/{pos}` → deleteClusterFirewallGroupsByGroupByPos.
 */
export function apiName(method: string, path: string): string {
  const segs = path.split('/').filter(Boolean);
  let lastLiteral = -1;
  segs.forEach((x, i) => {
    if (!x.startsWith('{')) lastLiteral = i;
  });
  const parts = segs.map((x, i) => {
    if (!x.startsWith('{')) return camel(x);
    return i > lastLiteral ? `By${camel(x.slice(1, -1))}` : '';
  });
  return `${VERB[method]}${parts.join('')}` || VERB[method]!;
}

/** Every selected [method, path], in path order. */
export function selectOperations(ops: Map<string, Info>): Array<[string, string]> {
  const legacy = new Set(OPERATIONS.map(([m, p]) => `${m} ${p}`));
  const out: Array<[string, string]> = [];
  for (const k of ops.keys()) {
    const sp = k.indexOf(' ');
    const method = k.slice(0, sp);
    const path = k.slice(sp + 1);
    if (legacy.has(k) || INCLUDE.some((r) => r.test(path))) out.push([method, path]);
  }
  for (const k of legacy) if (!ops.has(k)) throw new Error(`schema has no ${k}`);
  return out.sort(([ma, pa], [mb, pb]) =>
    pa === pb ? METHOD_ORDER.indexOf(ma) - METHOD_ORDER.indexOf(mb) : pa < pb ? -1 : 1,
  );
}

/** An interface with this many properties in common with an earlier one extends it. */
const EXTEND_MIN = 15;

/** Type bodies this short are written inline in `Endpoints` instead of as a named type. */
const INLINE_MAX = 40;

/** The unformatted file text (see formatSource for the committed form). */
export function generate(schemaFile: string): string {
  const ops = loadOperations(schemaFile);
  const legacyNames = new Map(OPERATIONS.map(([m, p, n]) => [`${m} ${p}`, n]));
  const out: string[] = [];
  out.push(
    '// GENERATED by packages/proxmox-client/scripts/gen-types.ts from the PVE API schema (apidoc.json,',
  );
  out.push('// PVE 9.2.3; © Proxmox Server Solutions GmbH, AGPL-3.0-or-later). Do not edit by hand:');
  out.push('// npm run gen-types -w @proxicloud/proxmox-client');
  out.push('// biome-ignore-all lint: generated file');
  out.push('');
  out.push('/** PVE encodes booleans as 0/1 in JSON; some endpoints return JSON booleans. */');
  out.push('export type PveBoolean = 0 | 1 | boolean;');
  out.push('');
  const endpointLines: string[] = [];
  const apiLines: string[] = [];
  const names = new Set<string>();
  /** Identical type bodies are written once; later endpoints alias the first name. */
  const bodies = new Map<string, string>();
  const emit = (name: string, body: string, comment: string, forceNamed: boolean): string => {
    const isInterface = body.startsWith('interface ');
    const text = isInterface ? body.slice('interface '.length) : body;
    const short = text.length <= INLINE_MAX && !text.includes('\n');
    if (short && !forceNamed) return text;
    const first = short ? undefined : bodies.get(text);
    out.push(`/** ${comment} */`);
    if (first) out.push(`export type ${name} = ${first};`);
    else {
      if (!short) bodies.set(text, name);
      out.push(isInterface ? `export interface ${name} ${text}` : `export type ${name} = ${text};`);
    }
    return name;
  };
  /** Parameter interfaces written so far, with every property they have (own or inherited). */
  const interfaces: Array<{ name: string; entries: Map<string, string> }> = [];
  /**
   * A parameter interface: an alias of an identical one; else, when most of its properties are
   * written the same in an earlier one (QEMU create / config PUT / config POST), `extends
   * Omit<Earlier, what differs>` with only the differing properties; else written out.
   */
  const emitInterface = (name: string, entries: Entry[], comment: string): string => {
    const body = `{\n${entries.map((e) => e.text).join('\n')}\n}`;
    out.push(`/** ${comment} */`);
    const same = bodies.get(body);
    if (same) {
      out.push(`export type ${name} = ${same};`);
      return name;
    }
    bodies.set(body, name);
    const mine = new Map(entries.map((e) => [e.omitKey, e.text]));
    let best: { name: string; entries: Map<string, string>; shared: number } | undefined;
    if (entries.length >= EXTEND_MIN) {
      for (const c of interfaces) {
        let shared = 0;
        for (const [k, t] of mine) if (c.entries.get(k) === t) shared++;
        if (shared >= EXTEND_MIN && shared >= 0.6 * entries.length && (!best || shared > best.shared))
          best = { ...c, shared };
      }
    }
    interfaces.push({ name, entries: mine });
    if (!best) {
      out.push(`export interface ${name} ${body}`);
      return name;
    }
    const base = best;
    const omit = [...base.entries.keys()].filter((k) => mine.get(k) !== base.entries.get(k));
    const own = entries.filter((e) => base.entries.get(e.omitKey) !== e.text).map((e) => e.text);
    const parent = omit.length ? `Omit<${base.name}, ${omit.join(' | ')}>` : base.name;
    out.push(`export interface ${name} extends ${parent} {${own.length ? `\n${own.join('\n')}\n` : ''}}`);
    return name;
  };
  const paramsComment = (k: string) => `Parameters of \`${k}\` (path parameters excluded).`;
  for (const [method, path] of selectOperations(ops)) {
    const k = `${method} ${path}`;
    const info = ops.get(k)!;
    const fn = apiName(method, path);
    if (names.has(fn)) throw new Error(`two endpoints are named ${fn}`);
    names.add(fn);
    const legacy = legacyNames.get(k);
    const typeName = legacy ?? fn[0]!.toUpperCase() + fn.slice(1);
    const pp = pathParams(path);
    const props = { ...(info.parameters?.properties ?? {}) };
    for (const p of pp) delete props[p];
    const empty = Object.keys(props).length === 0;
    const params = empty
      ? emit(`${typeName}Params`, 'Record<string, never>', paramsComment(k), legacy !== undefined)
      : emitInterface(`${typeName}Params`, objectEntries(props, 'in', ''), paramsComment(k));
    const result = emit(
      `${typeName}Result`,
      tsType(info.returns, 'out', ''),
      `\`data\` returned by \`${k}\`.`,
      legacy !== undefined,
    );
    endpointLines.push(`  ${JSON.stringify(k)}: { params: ${params}; result: ${result} };`);
    apiLines.push(`  ${fn}: ${JSON.stringify(k)},`);
  }
  out.push('');
  out.push('/**');
  out.push(' * Every endpoint, keyed `METHOD /path/{template}`: `params` (query or body, path parameters');
  out.push(' * excluded) and `result` (`data`). src/api.ts derives the path parameters from the key.');
  out.push(' */');
  out.push(`export interface Endpoints {\n${endpointLines.join('\n')}\n}`);
  out.push('');
  out.push('export type EndpointKey = keyof Endpoints;');
  out.push('');
  out.push(
    '/** Method name → endpoint; `ProxmoxClient.api.<name>(args, opts)` calls it, typed by `Endpoints`. */',
  );
  out.push(
    `export const PVE_API = {\n${apiLines.join('\n')}\n} as const satisfies Record<string, EndpointKey>;`,
  );
  out.push('');
  out.push('export type PveApiName = keyof typeof PVE_API;');
  out.push('');
  return out.join('\n');
}

const biome = resolve(repoRoot, 'node_modules/.bin/biome');

/** The committed form: biome-formatted like the rest of the repository. */
export function formatSource(text: string): string {
  return execFileSync(
    biome,
    ['format', `--stdin-file-path=${resolve(pkgRoot, 'src/generated/endpoints.ts')}`],
    {
      input: text,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const schemaFile = resolve(process.argv[2] ?? defaultSchemaPath());
  const target = resolve(pkgRoot, 'src/generated/endpoints.ts');
  const text = formatSource(generate(schemaFile));
  writeFileSync(target, text);
  console.log(`wrote ${target} from ${schemaFile} (${text.length} bytes)`);
}
