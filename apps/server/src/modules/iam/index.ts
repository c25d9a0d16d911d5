/** What other modules may use from IAM. */

export { authPlugin } from './iam.auth.plugin.ts';
export type { Session } from './iam.auth.service.ts';
export { ACCESS_KEY_ID, type Authenticator, type ResolvedAccessKey } from './iam.authenticator.ts';
export { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE } from './iam.cookies.ts';
export { registerIamJobs } from './iam.jobs.ts';
export { iamMigrations } from './iam.migrations.ts';
export { type OwnershipHook, OwnershipRegistry } from './iam.ownership.ts';
export {
  type Action,
  authorize,
  can,
  PERMISSIONS,
  type Permission,
  permissionsOf,
  type Resource,
  ROLES,
  type RoleName,
} from './iam.permissions.ts';
export { IamRepository } from './iam.repository.ts';
export { iamRoutes } from './iam.routes.ts';
export { iamSharedSchemas } from './iam.schemas.ts';
export { createIam, type Iam, type IamDeps } from './iam.service.ts';
export type { User } from './iam.users.service.ts';

import type { ServerModule } from '../../deps.ts';
import { registerIamJobs as jobs } from './iam.jobs.ts';
import { iamMigrations as migrations } from './iam.migrations.ts';
import { iamRoutes as routes } from './iam.routes.ts';

export const iamModule: ServerModule = {
  name: 'iam',
  tags: [
    { name: 'auth', description: 'Login, token refresh, logout, the current user' },
    { name: 'users', description: 'User administration' },
    { name: 'roles', description: 'Built-in roles and their permissions' },
    { name: 'access-keys', description: 'Personal access keys for the API, CLI and S3' },
  ],
  migrations,
  async register(app, deps) {
    await routes(app, {
      config: deps.config,
      auth: deps.iam.auth,
      users: deps.iam.users,
      accessKeys: deps.iam.accessKeys,
    });
    jobs(deps.jobs, deps.iam.repo, deps.clock);
  },
};
