/**
 * Security-group rules (pure): validation with the exact 4xx the API gives, cycle detection between
 * groups, and the compilation of a group into PVE firewall rules. The compiled form is what the
 * firewall driver writes to `/cluster/firewall/groups/{group}` and what the reconciler compares
 * against to find drift, so it must be deterministic.
 */
import { ValidationError } from '../../platform/errors.ts';
import { parseCidr4, parseCidr6 } from './networks.cidr.ts';

export type Direction = 'inbound' | 'outbound';
export type Protocol = 'tcp' | 'udp' | 'icmp' | 'all';

export interface RuleInput {
  direction: Direction;
  protocol: Protocol;
  fromPort?: number;
  toPort?: number;
  cidr?: string;
  sourceSecurityGroupId?: string;
  description?: string;
}

export interface Rule extends RuleInput {
  id: string;
}

/** A PVE firewall rule as we send and read it (strings, like the API). */
export interface PveRule {
  type: 'in' | 'out' | 'group';
  action: string;
  proto?: string;
  dport?: string;
  source?: string;
  dest?: string;
  iface?: string;
  enable: number;
  comment: string;
}

/** Comment prefix that marks rules ProxiCloud owns (drift detection ignores nothing else). */
export const MANAGED = 'proxicloud';

/** Checks one rule; throws 400 naming the field (`rules[2].toPort`). */
export function checkRule(r: RuleInput, index: number): void {
  const at = (f: string) => `rules[${index}].${f}`;
  const fail = (field: string, message: string): never => {
    throw new ValidationError(message, { field: at(field) }, 'invalid_rule');
  };
  const ports = r.fromPort !== undefined || r.toPort !== undefined;
  if ((r.protocol === 'icmp' || r.protocol === 'all') && ports)
    fail('fromPort', `protocol ${r.protocol} has no ports: leave fromPort/toPort out`);
  for (const f of ['fromPort', 'toPort'] as const) {
    const v = r[f];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 65535))
      fail(f, `${f} must be a port number from 1 to 65535 (got ${v})`);
  }
  if (r.toPort !== undefined && r.fromPort === undefined) fail('fromPort', 'toPort needs fromPort');
  if (r.toPort !== undefined && r.fromPort !== undefined && r.toPort < r.fromPort)
    fail('toPort', `toPort ${r.toPort} is below fromPort ${r.fromPort}`);
  if (r.cidr !== undefined && r.sourceSecurityGroupId !== undefined)
    fail('cidr', 'give either cidr or sourceSecurityGroupId, not both');
  if (r.cidr === undefined && r.sourceSecurityGroupId === undefined)
    fail('cidr', 'a rule needs a cidr (0.0.0.0/0 for anywhere) or a sourceSecurityGroupId');
  if (r.cidr !== undefined) {
    if (r.cidr.includes(':')) {
      const p = parseCidr6(r.cidr);
      if (p.problem === 'host_bits')
        fail('cidr', `'${r.cidr}' has host bits set; use the network address of the prefix`);
      if (p.problem) fail('cidr', `'${r.cidr}' is not an IPv6 CIDR like 2001:db8::/32 (::/0 for anywhere)`);
    } else {
      const p = parseCidr4(r.cidr);
      if (p.problem === 'host_bits')
        fail('cidr', `'${r.cidr}' has host bits set; use the network address of the block`);
      if (p.problem) fail('cidr', `'${r.cidr}' is not an IPv4 CIDR like 10.0.0.0/24`);
    }
  }
}

/**
 * A reference loop between groups (`a → b → a`, or a group naming itself): the path, or null.
 * `edges` maps a group to the groups its rules reference.
 */
export function findCycle(start: string, edges: ReadonlyMap<string, readonly string[]>): string[] | null {
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (g: string): string[] | null => {
    if (onPath.has(g)) return [...path.slice(path.indexOf(g)), g];
    if (done.has(g)) return null;
    onPath.add(g);
    path.push(g);
    for (const n of edges.get(g) ?? []) {
      const c = visit(n);
      if (c) return c;
    }
    path.pop();
    onPath.delete(g);
    done.add(g);
    return null;
  };
  return visit(start);
}

/** The member IP set of a group's PVE name (`sg1a2b…` → `sg1a2b…-m`). */
export function memberSet(pveGroup: string): string {
  return `${pveGroup}-m`;
}

/** Compiles rules to PVE rules in order; `pveGroupOf` names the referenced groups. */
export function compileRules(rules: readonly Rule[], pveGroupOf: (sgId: string) => string): PveRule[] {
  return rules.map((r) => {
    const peer = r.sourceSecurityGroupId
      ? `+dc/${memberSet(pveGroupOf(r.sourceSecurityGroupId))}`
      : r.cidr === '0.0.0.0/0' || r.cidr === '::/0'
        ? undefined
        : r.cidr;
    const out: PveRule = {
      type: r.direction === 'inbound' ? 'in' : 'out',
      action: 'ACCEPT',
      enable: 1,
      comment: `${MANAGED}:${r.id}`,
    };
    // ICMP towards an IPv6 peer is ICMPv6 (PVE's `ipv6-icmp`); `icmp` would never match it
    if (r.protocol !== 'all')
      out.proto = r.protocol === 'icmp' && r.cidr?.includes(':') ? 'ipv6-icmp' : r.protocol;
    if (r.fromPort !== undefined)
      out.dport =
        r.toPort !== undefined && r.toPort !== r.fromPort ? `${r.fromPort}:${r.toPort}` : `${r.fromPort}`;
    if (peer) {
      if (r.direction === 'inbound') out.source = peer;
      else out.dest = peer;
    }
    return out;
  });
}

/** The fields that make two rules the same for drift comparison. */
export function ruleKey(r: Partial<PveRule>): string {
  return JSON.stringify([
    r.type,
    r.action,
    r.proto ?? '',
    r.dport ?? '',
    r.source ?? '',
    r.dest ?? '',
    r.iface ?? '',
    Number(r.enable ?? 1),
    r.comment ?? '',
  ]);
}
