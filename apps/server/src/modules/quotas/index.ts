/**
 * Quotas: per-user limits (vCPU, memory, disk, instances, volumes). Modules whose resources count
 * toward a limit register a usage source on the exported service and call `assertWithin` in the
 * transaction that creates the resource.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { quotasMigrations as migrations } from './quotas.migrations.ts';
import { QuotasRepository } from './quotas.repository.ts';
import { quotasRoutes } from './quotas.routes.ts';
import { QuotasService } from './quotas.service.ts';

export type { Usage, UsageSource } from './quotas.repository.ts';
export type { Limits as QuotaLimits, QuotaDelta, QuotasService } from './quotas.service.ts';

export const quotasModule: ServerModule<Pick<ModuleDeps, 'db' | 'audit' | 'clock'>, QuotasService> = {
  name: 'quotas',
  tags: [{ name: 'quotas', description: 'Per-user resource limits and usage' }],
  migrations,
  async register(app, deps) {
    const quotas = new QuotasService({
      db: deps.db,
      repo: new QuotasRepository(deps.db.kysely, deps.db.dialect),
      audit: deps.audit,
      clock: deps.clock,
    });
    await quotasRoutes(app, quotas);
    return quotas;
  },
};
