/** Row → API view mappings for networks and security groups (pure). */
import { cidrText, gateway6, intToIpv4, parseCidr4, parseCidr6, usableRange } from './networks.cidr.ts';
import type { NetworkRow, NetworkStatus, RuleRow, SecurityGroupRow } from './networks.repository.ts';
import type { Rule } from './networks.rules.ts';

export interface Network {
  id: string;
  name: string;
  ownerId: string;
  cidr: string;
  ipv6Cidr: string | null;
  ipv6Gateway: string | null;
  ipv6Mode: 'static' | 'slaac' | null;
  gateway: string;
  dhcp: { start: string; end: string } | null;
  snat: boolean;
  tags: Record<string, string>;
  isDefault: boolean;
  status: NetworkStatus;
  statusReason: string | null;
  /** PVE SDN zone and VNet (the bridge guests plug into) */
  zone: string;
  vnet: string;
  usableAddresses: number;
  firstAddress: string;
  lastAddress: string;
  activeOperationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  rules: Rule[];
  /** PVE cluster security group that carries the rules */
  pveGroup: string;
  createdAt: string;
  updatedAt: string;
}

function parseTags(t: string): Record<string, string> {
  try {
    return JSON.parse(t) as Record<string, string>;
  } catch {
    return {};
  }
}

export function toNetwork(row: NetworkRow): Network {
  const c = parseCidr4(row.cidr).cidr!;
  const r = usableRange(c);
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    cidr: cidrText(c),
    ipv6Cidr: row.cidr6,
    ipv6Gateway: gatewayOf6(row),
    ipv6Mode: row.cidr6 ? (row.ipv6_mode ?? 'static') : null,
    gateway: row.gateway,
    dhcp: row.dhcp_start && row.dhcp_end ? { start: row.dhcp_start, end: row.dhcp_end } : null,
    snat: Number(row.snat) === 1,
    tags: parseTags(row.tags),
    isDefault: Number(row.is_default) === 1,
    status: row.status,
    statusReason: row.status_reason,
    zone: row.zone,
    vnet: row.vnet,
    usableAddresses: r.count,
    firstAddress: intToIpv4(r.first),
    lastAddress: intToIpv4(r.last),
    activeOperationId: row.active_operation_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRule(r: RuleRow): Rule {
  return {
    id: r.id,
    direction: r.direction,
    protocol: r.protocol,
    ...(r.from_port !== null ? { fromPort: Number(r.from_port) } : {}),
    ...(r.to_port !== null ? { toPort: Number(r.to_port) } : {}),
    ...(r.cidr !== null ? { cidr: r.cidr } : {}),
    ...(r.source_group_id !== null ? { sourceSecurityGroupId: r.source_group_id } : {}),
    ...(r.description !== null ? { description: r.description } : {}),
  };
}

export function toSecurityGroup(row: SecurityGroupRow, rules: RuleRow[]): SecurityGroup {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    ownerId: row.owner_id,
    rules: rules.filter((r) => r.group_id === row.id).map(toRule),
    pveGroup: row.pve_group,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The IPv6 gateway of a network (prefix::1), null without IPv6. */
export function gatewayOf6(row: Pick<NetworkRow, 'cidr6'>): string | null {
  const c = row.cidr6 ? parseCidr6(row.cidr6).cidr : undefined;
  return c ? gateway6(c) : null;
}
