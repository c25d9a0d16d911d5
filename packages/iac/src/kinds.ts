/**
 * JSON Schemas of each resource kind's items (pure data: the console imports it for completion).
 * A provider for a new kind brings its own schema.
 */
type Schema = Record<string, unknown>;

const NAME = {
  type: 'string',
  pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  description: 'unique within its kind',
};
const LOOSE_NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$' };
const SIZE = {
  description: 'GiB: a number, or text with a unit (20GB, 20GiB, 1TiB; G and GB mean GiB)',
  oneOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([KMGTP]i?B?)?\\s*$|^\\$\\{.+\\}$' },
  ],
};
const MEMORY = {
  description: 'MiB: a number, or text with a unit (512MiB, 2GiB, 2GB)',
  oneOf: [
    { type: 'integer', minimum: 128 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([KMGT]i?B?)?\\s*$|^\\$\\{.+\\}$' },
  ],
};
const DEPENDS_ON = {
  type: 'array',
  items: { type: 'string', pattern: '^[A-Za-z]+\\.[A-Za-z0-9._-]+$' },
  description: 'extra ordering: addresses such as instances.db',
};
const TAGS = {
  type: 'object',
  maxProperties: 19,
  propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.:/=+@-]{0,63}$' },
  additionalProperties: { type: 'string', maxLength: 256 },
};

function item(required: string[], properties: Record<string, Schema>, description: string): Schema {
  return {
    type: 'object',
    description,
    required,
    additionalProperties: false,
    properties: { ...properties, dependsOn: DEPENDS_ON },
  };
}

export const KIND_SCHEMAS: Record<string, Schema> = {
  keyPairs: item(
    ['name', 'publicKey'],
    { name: LOOSE_NAME, publicKey: { type: 'string', minLength: 1, description: 'OpenSSH public key' } },
    'SSH public keys (imported)',
  ),
  instances: item(
    ['name', 'type', 'template'],
    {
      name: NAME,
      type: { enum: ['vm', 'lxc'] },
      template: { type: 'string', description: 'catalog id or alias such as ubuntu-22.04' },
      instanceType: { type: 'string', description: 'e.g. t.small' },
      vcpu: {
        oneOf: [
          { type: 'integer', minimum: 1, maximum: 128 },
          { type: 'string', pattern: '^\\$\\{.+\\}$' },
        ],
      },
      memory: MEMORY,
      disk: SIZE,
      node: { type: 'string' },
      storage: { type: 'string' },
      bridge: { type: 'string' },
      network: {
        type: 'object',
        additionalProperties: false,
        required: ['mode'],
        properties: {
          mode: { enum: ['dhcp', 'static'] },
          address: { type: 'string' },
          gateway: { type: 'string' },
        },
      },
      user: { type: 'string', description: 'cloud-init login user (VMs)' },
      userData: { type: 'string', description: 'cloud-init user-data (#cloud-config …)' },
      keyPairs: {
        type: 'array',
        items: { type: 'string' },
        description: 'names of keyPairs in this file or ids',
      },
      tags: TAGS,
      protected: { type: 'boolean' },
      volumes: {
        type: 'array',
        description: 'shorthand: volumes created and attached with this instance',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['size'],
          properties: {
            name: LOOSE_NAME,
            size: SIZE,
            mount: { type: 'string', pattern: '^/' },
            volumeType: { type: 'string' },
          },
        },
      },
      networks: { type: 'array', items: { type: 'string' }, description: 'names of networks in this file' },
      securityGroups: {
        type: 'array',
        items: { type: 'string' },
        description: 'names of security groups in this file (changes in place)',
      },
    },
    'virtual machines (vm) and containers (lxc)',
  ),
  volumes: item(
    ['name', 'size'],
    {
      name: LOOSE_NAME,
      size: SIZE,
      volumeType: { type: 'string' },
      node: { type: 'string' },
      format: { enum: ['block', 'filesystem'] },
    },
    'block or filesystem volumes',
  ),
  attachments: item(
    ['volume', 'instance'],
    {
      name: LOOSE_NAME,
      volume: { type: 'string', description: '${volumes.NAME.id}' },
      instance: { type: 'string', description: '${instances.NAME.id}' },
      mount: { type: 'string', pattern: '^/' },
    },
    'a volume attached to an instance (name defaults to the volume reference)',
  ),
  snapshots: item(
    ['name', 'volume'],
    {
      name: LOOSE_NAME,
      volume: { type: 'string', description: '${volumes.NAME.id}' },
      description: { type: 'string', maxLength: 500 },
    },
    'point-in-time snapshots of volumes',
  ),
  buckets: item(
    ['name'],
    {
      name: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
      versioning: {
        type: 'boolean',
        description:
          'keep every version of every object (S3 versioning); false suspends it; changes in place',
      },
    },
    'S3 buckets',
  ),
  quotas: item(
    ['name'],
    {
      name: { type: 'string', description: 'the user name the limits apply to (administrators only)' },
      vcpu: { type: ['integer', 'null'], minimum: 0 },
      memory: { oneOf: [{ type: 'null' }, MEMORY] },
      disk: { oneOf: [{ type: 'null' }, SIZE] },
      instances: { type: ['integer', 'null'], minimum: 0 },
      volumes: { type: ['integer', 'null'], minimum: 0 },
    },
    'per-user limits (administrators)',
  ),
  networks: item(
    ['name'],
    {
      name: NAME,
      cidr: { type: 'string', description: 'IPv4 CIDR /8 … /29, e.g. 10.0.1.0/24 (a change replaces)' },
      subnet: { type: 'string', description: 'alias of cidr' },
      gateway: { type: 'string', description: 'default: the first usable address (a change replaces)' },
      dhcp: { type: 'boolean', description: 'DHCP from the 10th usable address (default true)' },
      snat: { type: 'boolean', description: 'outbound NAT through the node (default false)' },
      tags: TAGS,
    },
    'private networks: one PVE SDN VNet + subnet each',
  ),
  securityGroups: item(
    ['name'],
    {
      name: LOOSE_NAME,
      description: { type: 'string', maxLength: 255 },
      rules: {
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['direction', 'protocol'],
          properties: {
            direction: { enum: ['inbound', 'outbound'] },
            protocol: { enum: ['tcp', 'udp', 'icmp', 'all'] },
            fromPort: { type: 'integer', minimum: 1, maximum: 65535 },
            toPort: { type: 'integer', minimum: 1, maximum: 65535 },
            cidr: { type: 'string', description: 'peer block; 0.0.0.0/0 = anywhere' },
            sourceSecurityGroupId: {
              type: 'string',
              description: '${securityGroups.NAME.id} (instead of cidr)',
            },
            description: { type: 'string', maxLength: 255 },
          },
        },
      },
    },
    'firewall rule sets attached to instances',
  ),
  natGateways: item(
    ['name', 'networkId'],
    {
      name: LOOSE_NAME,
      networkId: { type: 'string', description: '${networks.NAME.id} (a change replaces)' },
      kind: {
        enum: ['sdnSnat', 'natVm'],
        description:
          "sdnSnat (default): the subnet's SNAT on Proxmox; natVm: a managed NAT container with a static public address",
      },
      publicAddress: {
        type: 'string',
        description: 'natVm: the public address to keep (allocated when absent; a change replaces)',
      },
    },
    'NAT gateways: outbound NAT for one network',
  ),
  routeTables: item(
    ['name'],
    {
      name: LOOSE_NAME,
      networkIds: {
        type: 'array',
        maxItems: 100,
        items: { type: 'string', description: '${networks.NAME.id}' },
        description: 'networks that use this table (changes in place)',
      },
      routes: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['destinationCidr', 'targetType', 'targetId'],
          properties: {
            destinationCidr: { type: 'string', description: 'IPv4 CIDR, e.g. 10.30.0.0/16 or 0.0.0.0/0' },
            targetType: { enum: ['instance', 'natGateway'] },
            targetId: { type: 'string', description: '${instances.NAME.id} or ${natGateways.NAME.id}' },
          },
        },
      },
    },
    'route tables: routes to router instances and NAT gateways, associated with networks',
  ),
  peerings: item(
    ['name', 'networkId', 'peerNetworkId'],
    {
      name: LOOSE_NAME,
      networkId: { type: 'string', description: '${networks.NAME.id}: your side (a change replaces)' },
      peerNetworkId: {
        type: 'string',
        description: '${networks.NAME.id}: the other network, also yours (a change replaces)',
      },
      allowedCidrs: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', description: 'IPv4 CIDR inside networkId, e.g. 10.1.0.0/28' },
        description: 'ranges of networkId the peer may reach (default: all of it; a change replaces)',
      },
      peerAllowedCidrs: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', description: 'IPv4 CIDR inside peerNetworkId, e.g. 10.2.0.0/28' },
        description:
          'ranges of peerNetworkId that networkId may reach (default: all of it; a change replaces)',
      },
    },
    'peerings between two of your networks: allowed ranges opened in both firewalls, routes in both tables',
  ),
  backupPolicies: item(
    ['name', 'schedule', 'targets'],
    {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$' },
      schedule: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
        description: 'daily, weekly, monthly (03:00 local) or a 5-field cron expression',
        examples: ['daily', 'weekly', 'monthly', '30 2 * * *'],
      },
      timezone: { type: 'string', maxLength: 64, description: 'IANA time zone (default UTC)' },
      targets: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['instanceId'],
              properties: { instanceId: { type: 'string', description: '${instances.NAME.id}' } },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['volumeId'],
              properties: { volumeId: { type: 'string', description: '${volumes.NAME.id}' } },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['tag'],
              properties: {
                tag: { type: 'string', minLength: 1, maxLength: 128, description: 'key or key=value' },
              },
            },
          ],
        },
      },
      mode: { enum: ['snapshot', 'suspend', 'stop'], description: 'vzdump mode (default snapshot)' },
      storage: { type: 'string', description: 'PVE backup storage (default: the first that holds backups)' },
      retention: {
        type: 'object',
        additionalProperties: false,
        description: "PVE's prune-backups options; none set keeps every backup",
        properties: Object.fromEntries(
          ['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'].map((k) => [
            k,
            { type: 'integer', minimum: 1, maximum: 1000 },
          ]),
        ),
      },
      enabled: { type: 'boolean', description: 'default true' },
      missedRunPolicy: { enum: ['run_once', 'skip'] },
      notifyChannelIds: {
        type: 'array',
        maxItems: 20,
        items: { type: 'string' },
        description: 'notification channel ids (or ${notificationChannels.NAME.id})',
      },
      notifyOn: { type: 'array', maxItems: 3, items: { enum: ['failure', 'success', 'missed'] } },
      zfsSend: { type: 'boolean', description: 'volumes: also copy each snapshot with zfs send' },
    },
    'scheduled backups of instances and volumes with retention',
  ),
  notificationChannels: item(
    ['name', 'type'],
    {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$' },
      type: { enum: ['email', 'webhook', 'push'], description: 'a change replaces the channel' },
      enabled: { type: 'boolean', description: 'default true' },
      url: { type: 'string', maxLength: 2048, description: 'webhook, push: where the POST goes' },
      to: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: { type: 'string', maxLength: 254 },
        description: 'email: recipient addresses',
      },
      format: { enum: ['ntfy', 'gotify'], description: 'push: ntfy (default) or gotify' },
    },
    'notification channels (email, webhook, push) for alarms and backup policies',
  ),
  alarms: item(
    ['name', 'resourceType', 'resourceId', 'metric', 'comparison', 'threshold', 'durationSeconds'],
    {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$' },
      resourceType: { enum: ['instance', 'node', 'volume', 'bucket'], description: 'a change replaces' },
      resourceId: {
        type: 'string',
        description: '${instances.NAME.id}, a node name, ${volumes.NAME.id} or a bucket (a change replaces)',
      },
      metric: {
        enum: ['cpu', 'memory', 'diskRead', 'diskWrite', 'netIn', 'netOut', 'diskUsed'],
        description: 'a change replaces',
      },
      comparison: { enum: ['>', '>=', '<', '<='] },
      threshold: { type: 'number', description: '% for cpu, memory, diskUsed; bytes per second for rates' },
      durationSeconds: { type: 'integer', minimum: 10, maximum: 1800 },
      channelIds: {
        type: 'array',
        maxItems: 10,
        items: { type: 'string' },
        description: '${notificationChannels.NAME.id} or channel ids',
      },
    },
    'metric alarms that notify channels',
  ),
  secrets: item(
    ['name', 'value'],
    {
      name: {
        type: 'string',
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)*$',
        maxLength: 256,
        description: 'path-like, e.g. app/db/password (a change replaces the secret)',
      },
      value: {
        type: 'string',
        description:
          'sensitive: must be ${var.NAME} of a variable without a default; state and plans keep only its sha-256; a change writes a new version',
      },
      description: { type: 'string', maxLength: 1024 },
      tags: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string' } },
    },
    'secrets in the vault (values from variables, never stored by the stack)',
  ),
};

/** The whole file's JSON Schema (also served to editors for completion). */
export function buildSchema(extra: Record<string, Schema> = {}): Schema {
  const kinds = { ...KIND_SCHEMAS, ...extra };
  const properties: Record<string, Schema> = {
    stack: {
      type: 'string',
      pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
      description: 'the stack this file describes (default: the file name)',
    },
    variables: {
      type: 'object',
      description: 'inputs: ${var.NAME}; values from --var, --var-file, PROXICLOUD_VAR_NAME or default',
      additionalProperties: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              type: { enum: ['string', 'number', 'bool', 'list', 'map'] },
              default: {},
              description: { type: 'string' },
            },
          },
          { type: ['string', 'number', 'boolean'] },
        ],
      },
    },
  };
  for (const [kind, schema] of Object.entries(kinds)) {
    properties[kind] = { type: 'array', items: schema, description: String(schema.description ?? kind) };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://proxicloud.dev/schemas/infra.schema.json',
    title: 'ProxiCloud infrastructure file',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

export const RESOURCE_KINDS = Object.keys(KIND_SCHEMAS);

/** Fields whose value must come from a variable and is never stored or shown (see sensitive.ts). */
export const SENSITIVE_FIELDS: Record<string, readonly string[]> = { secrets: ['value'] };
