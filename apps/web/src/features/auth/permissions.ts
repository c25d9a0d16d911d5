// Permission names the console checks (the server's catalogue: resource:action). Keep in one place.
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
} as const;
export type Permission = (typeof P)[keyof typeof P] | (string & {});
