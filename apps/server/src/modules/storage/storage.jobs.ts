import { systemActor } from '../../platform/db/repository.ts';
import { systemContext } from '../../platform/http/context.ts';
import type { JobScheduler } from '../../platform/jobs.ts';
import type { Logger } from '../../platform/logger.ts';
import { type StorageService, storageContext } from './storage.service.ts';

export const STORAGE_CLEANUP_JOB = 'storage.cleanup';
export const STORAGE_LIFECYCLE_JOB = 'storage.lifecycle';

/**
 * Storage housekeeping, at start-up and every six hours: temp files of dead processes, blobs no
 * metadata points at (a crash between writing and committing), stores of deleted buckets and
 * multipart uploads older than PROXICLOUD_S3_UPLOAD_EXPIRY_DAYS.
 */
export function registerStorageJobs(jobs: JobScheduler, service: StorageService, logger: Logger): void {
  jobs.register({
    name: STORAGE_CLEANUP_JOB,
    intervalMs: 6 * 60 * 60 * 1000,
    async run() {
      const ctx = storageContext(systemContext(systemActor, 'job-storage-cleanup'), 'api');
      const report = await service.cleanup(ctx);
      if (Object.values(report).some((n) => n > 0))
        logger.info({ report }, 'storage cleanup removed leftovers');
    },
  });
  // Lifecycle rules are due at midnight UTC (S3's rounding); an hourly pass applies them within
  // the hour, and a restart applies what came due while the server was down.
  jobs.register({
    name: STORAGE_LIFECYCLE_JOB,
    intervalMs: 60 * 60 * 1000,
    async run() {
      const ctx = storageContext(systemContext(systemActor, 'job-storage-lifecycle'), 'api');
      const report = await service.applyLifecycle(ctx, Date.now());
      if (
        report.expiredObjects +
          report.expiredNoncurrentVersions +
          report.removedDeleteMarkers +
          report.abortedUploads >
        0
      )
        logger.info({ report }, 'storage lifecycle removed expired objects');
    },
  });
}
