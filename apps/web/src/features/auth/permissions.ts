import type { Permission as CataloguePermission } from '@proxicloud/sdk';

// Permission names the console checks, typed against the server's catalogue (resource:action) that
// the SDK generates from the OpenAPI: a name the server does not have fails the type check.
export const P = {
  usersRead: 'users:read',
  usersCreate: 'users:create',
  usersUpdate: 'users:update',
  usersDelete: 'users:delete',
  accessKeysRead: 'access_keys:read',
  accessKeysCreate: 'access_keys:create',
  accessKeysDelete: 'access_keys:delete',
  auditRead: 'audit:read',
  auditVerify: 'audit:verify',
} as const satisfies Record<string, CataloguePermission>;
/** A catalogue permission (string & {} keeps permission names computed at run time accepted). */
export type Permission = CataloguePermission | (string & {});
