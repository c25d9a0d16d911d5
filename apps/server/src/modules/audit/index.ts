/** What other modules may use from the audit module. */

export { canonicalJson, entryHash, GENESIS_HASH } from './audit.chain.ts';
export { auditHook } from './audit.hook.ts';
export { registerAuditJobs } from './audit.jobs.ts';
export { auditMigrations } from './audit.migrations.ts';
export { auditRoutes } from './audit.routes.ts';
export {
  type AuditEntry,
  type AuditEvent,
  type AuditResult,
  AuditService,
  sanitizeDetails,
  type VerifyReport,
} from './audit.service.ts';

import type { ServerModule } from '../../deps.ts';
import { registerAuditJobs as jobs } from './audit.jobs.ts';
import { auditMigrations as migrations } from './audit.migrations.ts';
import { auditRoutes as routes } from './audit.routes.ts';
import { AuditEntrySchema, VerifyReportSchema } from './audit.schemas.ts';

export const auditSharedSchemas = [AuditEntrySchema, VerifyReportSchema];

export const auditModule: ServerModule = {
  name: 'audit',
  tags: [{ name: 'audit', description: 'The tamper-evident audit trail' }],
  migrations,
  async register(app, deps) {
    await routes(app, deps.audit);
    jobs(deps.jobs, deps.audit, deps.config.auditRetentionDays, deps.logger);
  },
};
