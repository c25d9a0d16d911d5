/** Stacks: infrastructure files planned and applied server-side, with state, locks and history. */
import { defaultProviders } from '@proxicloud/iac';
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { stacksMigrations as migrations } from './stacks.migrations.ts';
import { StacksRepository } from './stacks.repository.ts';
import { stacksRoutes } from './stacks.routes.ts';
import { StacksService } from './stacks.service.ts';

export { StacksService } from './stacks.service.ts';

export const stacksModule: ServerModule<
  Pick<ModuleDeps, 'db' | 'audit' | 'clock' | 'bus' | 'ownership' | 'engine' | 'operations'>,
  StacksService
> = {
  name: 'stacks',
  tags: [{ name: 'stacks', description: 'Infrastructure as code: plan and apply YAML files' }],
  migrations,
  async register(app, deps) {
    deps.bus.registerResource('stack');
    const stacks = new StacksService({
      repo: new StacksRepository(deps.db.kysely),
      db: deps.db.kysely,
      engine: deps.engine,
      operations: deps.operations,
      clock: deps.clock,
      audit: deps.audit,
      bus: deps.bus,
      providers: defaultProviders(),
      ...(process.env.PROXICLOUD_STACKS_POLL_MS
        ? { pollMs: Number(process.env.PROXICLOUD_STACKS_POLL_MS) }
        : {}),
    });
    await stacksRoutes(app, stacks);
    deps.ownership.register({
      resourceType: 'stacks',
      count: (userId, k) => new StacksRepository(k).countOwned(userId),
      reassign: (from, to, k) => new StacksRepository(k).reassign(from, to),
    });
    return stacks;
  },
};
