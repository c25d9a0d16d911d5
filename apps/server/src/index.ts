/** Public surface of @proxicloud/server for the CLI (`proxicloud serve` / `migrate`) and tests. */
export { AdminCommandError, type UnlockUserOptions, type UnlockUserResult, unlockUser } from './admin.ts';
export { type BuildAppOptions, buildApp } from './app.ts';
export {
  BACKUP_FORMAT,
  type BackupManifest,
  type BackupResult,
  backup,
  type RestoreResult,
  restore,
} from './backup.ts';
export type { AppDeps, AppServices, ModuleDeps, ProxmoxConnection, ServerModule } from './deps.ts';
export { main } from './main.ts';
export { migrate } from './migrate.ts';
export { authorize, can, PERMISSIONS, ROLES } from './modules/iam/index.ts';
export { buildOpenApiDocument } from './openapi.ts';
export { type Clock, ManualClock, systemClock } from './platform/clock.ts';
export { CONFIG_ENV_VARS, type Config, ConfigError, describeConfig, loadConfig } from './platform/config.ts';
export { type Database, openDatabase } from './platform/db/database.ts';
export { SchemaTooNewError } from './platform/db/migrations.ts';
export { type Actor, scope, systemActor } from './platform/db/repository.ts';
export * as errors from './platform/errors.ts';
export { createLogger, type Logger } from './platform/logger.ts';
export { type RunningServer, type StartServerOptions, startServer } from './server.ts';
