import { type Clock, iso } from '../../platform/clock.ts';
import type { JobScheduler } from '../../platform/jobs.ts';
import type { IamRepository } from './iam.repository.ts';

export function registerIamJobs(jobs: JobScheduler, repo: IamRepository, clock: Clock): void {
  jobs.register({
    name: 'iam.cleanup',
    intervalMs: 60 * 60 * 1000,
    async run() {
      const now = clock.now();
      await repo.deleteExpiredSessions(iso(now));
      await repo.deleteStaleLockouts(iso(new Date(now.getTime() - 24 * 3600 * 1000)));
    },
  });
}
