import { Type } from '@sinclair/typebox';
import { NullableString, PageQuery, Timestamp } from '../../platform/http/schemas.ts';

const Str = (o: Record<string, unknown> = {}) => Type.String(o);
export const NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$';
const TagsSchema = Type.Record(Str({ maxLength: 128 }), Str({ maxLength: 256 }), { maxProperties: 50 });
const IPV4 = '^\\d{1,3}(\\.\\d{1,3}){3}$';

const DhcpRange = Type.Object(
  { start: Str({ pattern: IPV4 }), end: Str({ pattern: IPV4 }) },
  { additionalProperties: false },
);

export const NetworkSchema = Type.Object(
  {
    id: Str({ description: 'net-…' }),
    name: Str(),
    ownerId: Str(),
    cidr: Str({ description: 'IPv4 network, e.g. 10.20.0.0/24' }),
    ipv6Cidr: NullableString(),
    ipv6Gateway: NullableString(),
    ipv6Mode: Type.Union([Type.Literal('static'), Type.Literal('slaac'), Type.Null()], {
      description: 'how guests get their IPv6 address (null: no IPv6)',
    }),
    gateway: Str(),
    dhcp: Type.Union([DhcpRange, Type.Null()], { description: 'DHCP range served by PVE (dnsmasq)' }),
    snat: Type.Boolean({ description: 'outbound NAT through the node' }),
    tags: TagsSchema,
    isDefault: Type.Boolean(),
    status: Type.Union(['creating', 'available', 'deleting', 'error', 'deleted'].map((s) => Type.Literal(s))),
    statusReason: NullableString(),
    zone: Str({ description: 'PVE SDN zone' }),
    vnet: Str({ description: 'PVE SDN VNet id (≤ 8 characters): the bridge guests plug into' }),
    usableAddresses: Type.Integer(),
    firstAddress: Str(),
    lastAddress: Str(),
    activeOperationId: NullableString(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Network', additionalProperties: false },
);

export const NetworkDetailSchema = Type.Intersect(
  [
    Type.Ref(NetworkSchema),
    Type.Object({
      instances: Type.Array(
        Type.Object(
          { id: Str(), name: Str(), ip: Str(), ip6: Type.Optional(Str()), mac: Str() },
          { additionalProperties: false },
        ),
      ),
    }),
  ],
  { $id: 'NetworkDetail' },
);

const DhcpInput = Type.Union([Type.Boolean(), DhcpRange], {
  description: 'true (default): a range from the 10th usable address; false: none; or {start, end}',
});

export const CreateNetworkBody = Type.Object(
  {
    name: Str({ pattern: NAME, description: 'unique per owner' }),
    cidr: Str({ maxLength: 18, description: 'IPv4 CIDR /8 … /29; may not overlap your other networks' }),
    ipv6Cidr: Type.Optional(
      Str({ maxLength: 43, description: 'optional IPv6 prefix, e.g. fd00:10::/64 (gateway: prefix::1)' }),
    ),
    ipv6Mode: Type.Optional(
      Type.Union([Type.Literal('static'), Type.Literal('slaac')], {
        description:
          'static (default): cloud-init/LXC get the address; slaac: ip6=auto (needs a /64). Either way the address is the EUI-64 of the MAC in a /64',
      }),
    ),
    gateway: Type.Optional(Str({ maxLength: 15, description: 'default: the first usable address' })),
    dhcp: Type.Optional(DhcpInput),
    snat: Type.Optional(Type.Boolean()),
    tags: Type.Optional(TagsSchema),
  },
  { additionalProperties: false },
);

export const UpdateNetworkBody = Type.Object(
  {
    name: Type.Optional(Str({ pattern: NAME })),
    cidr: Type.Optional(Str({ maxLength: 18, description: 'cannot change (422 when different)' })),
    gateway: Type.Optional(Str({ maxLength: 15, description: 'cannot change (422 when different)' })),
    dhcp: Type.Optional(DhcpInput),
    snat: Type.Optional(Type.Boolean()),
    tags: Type.Optional(TagsSchema),
  },
  { additionalProperties: false },
);

const Port = Type.Integer({ description: '1 … 65535 (400 otherwise)' });

export const RuleInputSchema = Type.Object(
  {
    direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]),
    protocol: Type.Union([
      Type.Literal('tcp'),
      Type.Literal('udp'),
      Type.Literal('icmp'),
      Type.Literal('all'),
    ]),
    fromPort: Type.Optional(Port),
    toPort: Type.Optional(Port),
    cidr: Type.Optional(Str({ maxLength: 43, description: 'peer block; 0.0.0.0/0 = anywhere' })),
    sourceSecurityGroupId: Type.Optional(
      Str({ pattern: '^sg-[0-9a-f]{17}$', description: 'peer = members of this group (instead of cidr)' }),
    ),
    description: Type.Optional(Str({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const RuleSchema = Type.Object(
  { id: Str({ description: 'sgr-…' }), ...RuleInputSchema.properties },
  { $id: 'SecurityGroupRule', additionalProperties: false },
);

export const SecurityGroupSchema = Type.Object(
  {
    id: Str({ description: 'sg-…' }),
    name: Str(),
    description: Str(),
    ownerId: Str(),
    rules: Type.Array(Type.Ref(RuleSchema)),
    pveGroup: Str({ description: 'PVE cluster security group carrying the rules' }),
    instanceIds: Type.Optional(Type.Array(Str())),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'SecurityGroup', additionalProperties: false },
);

export const CreateSecurityGroupBody = Type.Object(
  {
    name: Str({ pattern: NAME }),
    description: Type.Optional(Str({ maxLength: 255 })),
    rules: Type.Optional(Type.Array(RuleInputSchema, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const UpdateSecurityGroupBody = Type.Object(
  {
    name: Type.Optional(Str({ pattern: NAME })),
    description: Type.Optional(Str({ maxLength: 255 })),
    rules: Type.Optional(Type.Array(RuleInputSchema, { maxItems: 100, description: 'replaces every rule' })),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  { ...PageQuery, q: Type.Optional(Str({ maxLength: 64, description: 'name contains' })) },
  { additionalProperties: false },
);

export const NetworkIdParams = Type.Object({ id: Str({ pattern: '^net-[0-9a-f]{17}$' }) });
export const GroupIdParams = Type.Object({ id: Str({ pattern: '^sg-[0-9a-f]{17}$' }) });
export const InstanceNicParams = Type.Object({
  id: Str({ pattern: '^i-[0-9a-f]{17}$' }),
  networkId: Str({ pattern: '^net-[0-9a-f]{17}$' }),
});
export const InstanceParams = Type.Object({ id: Str({ pattern: '^i-[0-9a-f]{17}$' }) });

export const UpdateNicBody = Type.Object(
  {
    sourceDestCheck: Type.Optional(
      Type.Boolean({
        description:
          "Source/destination check (default true): PVE's ipfilter drops what the NIC sends from an address it was not given. Turn it off on a router or NAT instance that route tables target.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const AttachNicBody = Type.Object(
  {
    networkId: Str({ pattern: '^net-[0-9a-f]{17}$' }),
    ip: Type.Optional(
      Str({ pattern: IPV4, description: 'fixed address (reserved in PVE IPAM); default: next free' }),
    ),
    ip6: Type.Optional(
      Str({ maxLength: 39, description: 'fixed IPv6 address (networks with ipv6Cidr, static mode)' }),
    ),
  },
  { additionalProperties: false },
);

export const SetGroupsBody = Type.Object(
  {
    securityGroupIds: Type.Array(Str({ pattern: '^sg-[0-9a-f]{17}$' }), { maxItems: 16, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const InstanceNetworkingSchema = Type.Object(
  {
    nics: Type.Array(
      Type.Object(
        {
          networkId: Str(),
          mac: Str(),
          ip: Str(),
          ip6: Type.Optional(Str()),
          sourceDestCheck: Type.Boolean({
            description: "PVE's ipfilter checks the addresses this NIC sends from (off: it may forward)",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    securityGroupIds: Type.Array(Str()),
  },
  { $id: 'InstanceNetworking', additionalProperties: false },
);

export const NetworkSettingsSchema = Type.Object(
  {
    defaultNetwork: Type.Boolean({ description: 'launches without networkIds get your default network' }),
    bridgeLaunch: Type.Union([Type.Literal('admin'), Type.Literal('all')], {
      description: 'PROXICLOUD_BRIDGE_LAUNCH: who may put net0 on a plain Proxmox bridge (vmbr0…)',
    }),
    mayLaunchOnBridge: Type.Boolean({ description: 'whether you may give bridge / a static network' }),
    zone: Str({ description: 'the managed SDN zone' }),
    zoneType: Str({ description: 'auto, simple, vxlan or evpn' }),
    ipfilter: Type.Boolean({ description: 'PVE ipfilter (anti-spoofing) on instances on networks' }),
  },
  { additionalProperties: false },
);
