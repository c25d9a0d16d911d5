import { Type } from '@sinclair/typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../../platform/http/schemas.ts';
import { OperationSchema } from '../operations/index.ts';
import { INSTANCE_STATUSES } from './instances.repository.ts';
import { SecretEnvSchema } from './instances.secret-env.schema.ts';
import {
  BRIDGE_NAME,
  INSTANCE_NAME,
  IPV4,
  IPV4_CIDR,
  LOGIN_USER,
  NODE_NAME,
  STORAGE_ID,
  TAG_KEY,
} from './instances.validation.ts';

const Str = Type.String;
const NullStr = Type.Union([Type.String(), Type.Null()]);

const StatusSchema = Type.Union(
  INSTANCE_STATUSES.map((s) => Type.Literal(s)),
  {
    description:
      'pending → creating → running | stopped; starting, stopping, rebooting; terminating → terminated; error',
  },
);

export const NetworkSchema = Type.Union(
  [
    Type.Object({ mode: Type.Literal('dhcp') }, { additionalProperties: false }),
    Type.Object(
      {
        mode: Type.Literal('static'),
        address: Str({ pattern: IPV4_CIDR, description: 'IPv4 address with prefix, e.g. 192.168.1.50/24' }),
        gateway: Type.Optional(Str({ pattern: IPV4 })),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'ipconfig0 (VM, cloud-init) / net0 ip= (LXC). Default dhcp' },
);

const TagsSchema = Type.Record(Str({ pattern: TAG_KEY }), Str({ maxLength: 256 }), {
  description: 'Your key/value labels (at most 20; stored by ProxiCloud, not in Proxmox)',
  maxProperties: 20,
  additionalProperties: false,
});

export const UsageSchema = Type.Object(
  {
    cpu: Type.Number({ description: 'CPU use as a fraction of the allocated vCPUs (0..1)' }),
    memoryBytes: Type.Integer(),
    memoryMaxBytes: Type.Integer(),
    diskBytes: Type.Integer({ description: 'root disk use (LXC; 0 for VMs without guest agent data)' }),
    diskMaxBytes: Type.Integer(),
    uptimeSeconds: Type.Integer(),
    netInBytes: Type.Integer(),
    netOutBytes: Type.Integer(),
    sampledAt: Timestamp,
  },
  {
    additionalProperties: false,
    description: 'Live values from Proxmox /cluster/resources (cached a few seconds)',
  },
);

export const InstanceSchema = Type.Object(
  {
    id: Str({ description: 'i-…' }),
    name: Str(),
    ownerId: Str(),
    type: Type.Union([Type.Literal('vm'), Type.Literal('lxc')]),
    instanceType: NullStr,
    template: Str({ description: 'PVE volume id of the cloud image or LXC template' }),
    os: NullStr,
    status: StatusSchema,
    statusReason: NullStr,
    node: NullStr,
    vmid: Type.Union([Type.Integer(), Type.Null()]),
    vcpu: Type.Integer(),
    memory: Type.Integer({ description: 'MiB' }),
    sizeGib: Type.Integer({ description: 'root disk (GiB)' }),
    storage: Str(),
    bridge: Str(),
    network: NetworkSchema,
    user: NullStr,
    keyPairIds: Type.Array(Str()),
    tags: Type.Record(Str(), Str()),
    protected: Type.Boolean(),
    ipAddresses: Type.Array(Str()),
    nics: Type.Array(
      Type.Object(
        {
          networkId: Str(),
          mac: Str(),
          ip: Str(),
          ip6: Type.Optional(Str({ description: 'IPv6 address' })),
          sourceDestCheck: Type.Optional(
            Type.Boolean({ description: "PVE's ipfilter checks what this NIC sends (default true)" }),
          ),
        },
        { additionalProperties: false, description: 'NICs on ProxiCloud networks (net0 first)' },
      ),
    ),
    securityGroupIds: Type.Array(Str()),
    usage: Type.Union([UsageSchema, Type.Null()]),
    activeOperationId: NullStr,
    managed: Type.Union([Type.Literal('created'), Type.Literal('adopted')]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    launchedAt: NullableTimestamp,
    terminatedAt: NullableTimestamp,
  },
  { $id: 'Instance', additionalProperties: false },
);

export const LaunchInstanceBody = Type.Object(
  {
    name: Str({
      pattern: INSTANCE_NAME,
      description: 'DNS label (lowercase letters, digits, hyphens; ≤ 63); also the hostname',
    }),
    type: Type.Union([Type.Literal('vm'), Type.Literal('lxc')]),
    template: Str({
      minLength: 1,
      maxLength: 255,
      description:
        'Catalog id (PVE volid), file name, or an <os>-<version> alias such as debian-12 or ubuntu-22.04 (newest matching image of the requested type)',
    }),
    instanceType: Type.Optional(
      Str({ maxLength: 48, description: 'e.g. t.small; fills vcpu/memory/sizeGib (explicit values win)' }),
    ),
    vcpu: Type.Optional(Type.Integer({ minimum: 1, maximum: 128 })),
    memory: Type.Optional(Type.Integer({ minimum: 128, maximum: 1_048_576, description: 'MiB' })),
    sizeGib: Type.Optional(Type.Integer({ minimum: 1, maximum: 16_384, description: 'root disk (GiB)' })),
    node: Type.Optional(
      Str({ pattern: NODE_NAME, description: 'default: automatic placement by free resources' }),
    ),
    storage: Type.Optional(Str({ pattern: STORAGE_ID, description: 'PVE storage for the root disk' })),
    bridge: Type.Optional(Str({ pattern: BRIDGE_NAME, description: 'default vmbr0' })),
    network: Type.Optional(NetworkSchema),
    networkIds: Type.Optional(
      Type.Array(Str({ pattern: '^net-[0-9a-f]{17}$' }), {
        maxItems: 8,
        uniqueItems: true,
        description: 'ProxiCloud networks, one NIC each (first = primary); omit for the bridge',
      }),
    ),
    securityGroupIds: Type.Optional(
      Type.Array(Str({ pattern: '^sg-[0-9a-f]{17}$' }), { maxItems: 16, uniqueItems: true }),
    ),
    keyPairIds: Type.Optional(
      Type.Array(Str({ pattern: '^key-[0-9a-f]{17}$' }), { maxItems: 10, uniqueItems: true }),
    ),
    user: Type.Optional(
      Str({ pattern: LOGIN_USER, description: 'cloud-init login user (VMs); default from the image' }),
    ),
    userData: Type.Optional(
      Type.String({
        maxLength: 262_144,
        description:
          'cloud-init user-data for VMs (text ≤ 64 KiB starting with #cloud-config, #!, #cloud-boothook or ' +
          '#include). Written as a snippet file over the SSH host agent and merged with the generated login ' +
          'user, SSH keys and hostname. 422: user_data_too_large, user_data_invalid, user_data_not_applicable ' +
          '(LXC), host_agent_required, no_snippets_storage',
      }),
    ),
    tags: Type.Optional(TagsSchema),
    protected: Type.Optional(Type.Boolean({ description: 'refuse termination until unset' })),
    start: Type.Optional(Type.Boolean({ description: 'start after creating (default true)' })),
    secretEnv: Type.Optional(SecretEnvSchema),
  },
  { additionalProperties: false },
);

export const LaunchResponse = Type.Object(
  { instance: Type.Ref(InstanceSchema), operation: Type.Ref(OperationSchema) },
  { $id: 'InstanceOperation', additionalProperties: false },
);

export const UpdateInstanceBody = Type.Object(
  {
    tags: Type.Optional(TagsSchema),
    protected: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const StopBody = Type.Object(
  {
    force: Type.Optional(Type.Boolean({ description: 'power off now instead of an ACPI shutdown' })),
    timeoutSeconds: Type.Optional(
      Type.Integer({
        minimum: 5,
        maximum: 3600,
        description: 'graceful shutdown time before a forced stop (default 60)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const TerminateQuery = Type.Object(
  {
    confirm: Type.Optional(
      Str({ maxLength: 64, description: 'the instance id or name: required to terminate' }),
    ),
  },
  { additionalProperties: false },
);

export const AdoptBody = Type.Object(
  {
    node: Str({ pattern: NODE_NAME }),
    vmid: Type.Integer({ minimum: 100, maximum: 999_999_999 }),
    ownerId: Str({ pattern: '^usr-[0-9a-f]{17}$' }),
    name: Type.Optional(Str({ pattern: INSTANCE_NAME })),
  },
  { additionalProperties: false },
);

export const InstanceListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(
      Str({
        pattern: `^(${INSTANCE_STATUSES.join('|')})(,(${INSTANCE_STATUSES.join('|')}))*$`,
        description: 'comma-separated statuses',
      }),
    ),
    q: Type.Optional(Str({ maxLength: 63, description: 'name contains' })),
    type: Type.Optional(Type.Union([Type.Literal('vm'), Type.Literal('lxc')])),
    ownerId: Type.Optional(Str({ pattern: '^usr-[0-9a-f]{17}$', description: 'admins: one user' })),
    includeTerminated: Type.Optional(Type.Boolean()),
    sort: Type.Optional(
      Type.Union(
        ['name', 'createdAt', 'status', 'vcpu', 'memory', 'node'].map((s) => Type.Literal(s)),
        { default: 'createdAt' },
      ),
    ),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    usage: Type.Optional(Type.Boolean({ description: 'include live usage (default true)' })),
  },
  { additionalProperties: false },
);

export const InstanceIdParams = Type.Object(
  { id: Str({ pattern: '^i-[0-9a-f]{17}$' }) },
  { additionalProperties: false },
);

export const IDEMPOTENCY_HEADER = 'idempotency-key';

const Count = Type.Integer({ minimum: 0 });

export const InstanceSummaryQuery = Type.Object(
  {
    ownerId: Type.Optional(Str({ pattern: '^usr-[0-9a-f]{17}$', description: 'admins: one user' })),
    top: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 20,
        default: 5,
        description: 'how many running instances `busiest` lists',
      }),
    ),
  },
  { additionalProperties: false },
);

export const InstanceSummarySchema = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'instances that are not terminated' }),
    byStatus: Type.Object(
      Object.fromEntries(INSTANCE_STATUSES.filter((s) => s !== 'terminated').map((s) => [s, Count])),
      { additionalProperties: false, description: 'every status but terminated (0 when none)' },
    ),
    byType: Type.Object({ vm: Count, lxc: Count }, { additionalProperties: false }),
    byNode: Type.Array(
      Type.Object({ node: Str(), instances: Count, running: Count }, { additionalProperties: false }),
      { description: 'Proxmox nodes that hold at least one of the instances, by name' },
    ),
    allocated: Type.Object(
      { vcpu: Count, memoryMib: Count, diskGib: Count },
      { additionalProperties: false, description: 'sizes of the instances that are not terminated' },
    ),
    busiest: Type.Array(Type.Ref(InstanceSchema), {
      description:
        'the `top` running instances by current CPU use (usage from /cluster/resources), busiest first',
    }),
    sampledAt: Type.Union([Timestamp, Type.Null()], {
      description: 'when the usage was read from Proxmox; null when nothing runs or Proxmox is unreachable',
    }),
  },
  { $id: 'InstanceSummary', additionalProperties: false },
);
