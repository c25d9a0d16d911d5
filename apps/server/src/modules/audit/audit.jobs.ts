import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import type { JobScheduler } from '../../platform/jobs.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditService } from './audit.service.ts';

export function registerAuditJobs(
  jobs: JobScheduler,
  audit: AuditService,
  retentionDays: number,
  logger: Logger,
) {
  jobs.register({
    name: 'audit.retention',
    intervalMs: 60 * 60 * 1000,
    async run() {
      const deleted = await audit.applyRetention(
        retentionDays,
        systemContext(systemActor, 'job-audit-retention'),
      );
      if (deleted > 0) logger.info({ deleted, retentionDays }, 'audit retention removed old entries');
    },
  });
}
