/** Catalog: launch sources (cloud images, LXC templates, ISOs found on PVE storage) and instance types. */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { catalogMigrations as migrations } from './catalog.migrations.ts';
import { CatalogRepository } from './catalog.repository.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { CatalogService } from './catalog.service.ts';

export { type CatalogImage, CatalogService, type InstanceType, isoCloudImage } from './catalog.service.ts';

export const catalogModule: ServerModule<
  Pick<ModuleDeps, 'db' | 'audit' | 'clock' | 'pve'>,
  CatalogService
> = {
  name: 'catalog',
  tags: [
    { name: 'catalog', description: 'Launch sources (cloud images, LXC templates, ISOs) and instance types' },
  ],
  migrations,
  async register(app, deps) {
    const catalog = new CatalogService({
      db: deps.db,
      repo: new CatalogRepository(deps.db.kysely),
      audit: deps.audit,
      clock: deps.clock,
      proxmox: deps.pve,
    });
    await catalogRoutes(app, catalog);
    return catalog;
  },
};
