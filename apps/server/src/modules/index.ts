import type { ServerModule } from '../deps.ts';
import type { ModuleMigration } from '../platform/db/migrations.ts';
import { schedulesMigrations } from '../platform/schedules/schedules.migrations.ts';
import { auditModule } from './audit/index.ts';
import { computeModule } from './compute/index.ts';
import { iamModule } from './iam/index.ts';
import { metricsModule } from './metrics/index.ts';
import { storageModule } from './storage/index.ts';
import { systemModule } from './system/index.ts';

/** Every module, in registration order. A new service adds one line here. */
export const modules: readonly ServerModule[] = [
  systemModule,
  iamModule,
  auditModule,
  storageModule,
  computeModule,
  metricsModule,
];

export const allMigrations: readonly ModuleMigration[] = [
  ...schedulesMigrations,
  ...modules.flatMap((m) => m.migrations ?? []),
];
