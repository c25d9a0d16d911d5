import type { Actor } from '../../platform/db/repository.ts';
import { ForbiddenError } from '../../platform/errors.ts';

/**
 * The permission catalogue: resource × action. Later modules use the placeholders below (and
 * may add actions to their own resource) — the type system then checks every authorize() call.
 */
export const PERMISSIONS = {
  users: ['read', 'create', 'update', 'delete'],
  roles: ['read'],
  access_keys: ['read', 'create', 'delete'],
  audit: ['read', 'verify'],
  system: ['read'],
  instances: ['read', 'create', 'update', 'delete', 'start', 'stop', 'reboot', 'console', 'adopt'],
  volumes: ['read', 'create', 'update', 'delete', 'attach', 'detach'],
  snapshots: ['read', 'create', 'delete', 'restore'],
  key_pairs: ['read', 'create', 'delete'],
  catalog: ['read'],
  instance_types: ['read', 'create', 'delete'],
  volume_types: ['read', 'update', 'delete'],
  quotas: ['read', 'update'],
  buckets: ['read', 'create', 'update', 'delete'],
  objects: ['read', 'write', 'delete', 'bypass_governance'],
  networks: ['read', 'create', 'update', 'delete'],
  security_groups: ['read', 'create', 'update', 'delete'],
  templates: ['read', 'deploy'],
  stacks: ['read', 'create', 'update', 'delete'],
  backups: ['read', 'create', 'update', 'delete', 'run', 'restore'],
  functions: ['read', 'create', 'update', 'delete', 'invoke'],
  function_runners: ['read', 'create', 'update', 'delete'],
  secrets: ['read', 'read_value', 'create', 'update', 'delete', 'rotate_key'],
  metrics: ['read'],
  alarms: ['read', 'create', 'update', 'delete'],
  notification_channels: ['read', 'create', 'update', 'delete'],
  notification_settings: ['read', 'update'],
  apps: ['read', 'create', 'update', 'delete'],
  app_templates: ['read', 'create', 'delete', 'share'],
} as const;

export type Resource = keyof typeof PERMISSIONS;
export type Action<R extends Resource> = (typeof PERMISSIONS)[R][number];
export type Permission = { [R in Resource]: `${R}:${Action<R>}` }[Resource];
export type RoleName = 'admin' | 'operator' | 'readonly';
export const ROLE_NAMES: readonly RoleName[] = ['admin', 'operator', 'readonly'];

/** Resources administered only by admins (operators and read-only users never get them). */
const ADMIN_ONLY: ReadonlySet<Resource> = new Set<Resource>([
  'users',
  'notification_settings',
  // the managed function runners are shared infrastructure (function-runners module)
  'function_runners',
]);
/** Single actions on shared resources that only admins get (everyone may read them). */
const ADMIN_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  'instances:adopt',
  'instance_types:create',
  'instance_types:delete',
  'volume_types:update',
  'volume_types:delete',
  'quotas:update',
  'secrets:rotate_key',
  'app_templates:share',
  // object lock: only admins may shorten or bypass GOVERNANCE retention (storage.objectlock.ts)
  'objects:bypass_governance',
]);

const ALL: Permission[] = (Object.keys(PERMISSIONS) as Resource[]).flatMap((r) =>
  (PERMISSIONS[r] as readonly string[]).map((a) => `${r}:${a}` as Permission),
);

function grants(role: RoleName): ReadonlySet<Permission> {
  switch (role) {
    case 'admin':
      return new Set(ALL);
    case 'operator':
      // Full control over their own resources; no user administration; no chain verification.
      return new Set(
        ALL.filter((p) => {
          const [r] = p.split(':') as [Resource];
          return !ADMIN_ONLY.has(r) && p !== 'audit:verify' && !ADMIN_ONLY_ACTIONS.has(p);
        }),
      );
    case 'readonly':
      return new Set(
        ALL.filter((p) => {
          const [r, a] = p.split(':') as [Resource, string];
          return a === 'read' && !ADMIN_ONLY.has(r);
        }),
      );
  }
}

export const ROLES: Record<RoleName, { description: string; permissions: ReadonlySet<Permission> }> = {
  admin: {
    description: 'Full access: manages users and sees and changes every resource.',
    permissions: grants('admin'),
  },
  operator: {
    description: 'Creates and manages their own resources and access keys; no user administration.',
    permissions: grants('operator'),
  },
  readonly: {
    description: 'Reads their own resources; can never change anything (except their own password).',
    permissions: grants('readonly'),
  },
};

export function permissionsOf(role: RoleName): Permission[] {
  return [...ROLES[role].permissions].sort();
}

export function can<R extends Resource>(actor: Actor, resource: R, action: Action<R>): boolean {
  return ROLES[actor.role]?.permissions.has(`${resource}:${action}` as Permission) ?? false;
}

/** The gate every service calls before acting. Throws ForbiddenError (403). */
export function authorize<R extends Resource>(actor: Actor, resource: R, action: Action<R>): void {
  if (!can(actor, resource, action)) {
    throw new ForbiddenError(`Your role (${actor.role}) does not allow ${resource}:${action}`);
  }
}
