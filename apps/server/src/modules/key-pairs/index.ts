/** Key pairs: SSH public keys injected into instances (generated or imported). */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { keyPairsMigrations as migrations } from './key-pairs.migrations.ts';
import { KeyPairsRepository } from './key-pairs.repository.ts';
import { keyPairsRoutes } from './key-pairs.routes.ts';
import { KeyPairsService } from './key-pairs.service.ts';

export { type KeyPair, KeyPairsService } from './key-pairs.service.ts';

export const keyPairsModule: ServerModule<
  Pick<ModuleDeps, 'db' | 'audit' | 'clock' | 'bus' | 'ownership'>,
  KeyPairsService
> = {
  name: 'key-pairs',
  tags: [{ name: 'key-pairs', description: 'SSH key pairs injected into instances' }],
  migrations,
  async register(app, deps) {
    deps.bus.registerResource('key_pair');
    const keyPairs = new KeyPairsService({
      db: deps.db,
      repo: new KeyPairsRepository(deps.db.kysely),
      audit: deps.audit,
      clock: deps.clock,
      bus: deps.bus,
    });
    await keyPairsRoutes(app, keyPairs);
    deps.ownership.register({
      resourceType: 'key_pairs',
      count: (userId, k) => new KeyPairsRepository(k).countOwned(userId),
      reassign: (from, to, k) => new KeyPairsRepository(k).reassign(from, to),
    });
    return keyPairs;
  },
};
