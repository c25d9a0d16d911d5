import type { ServerModule } from '../../deps.ts';
import { systemRoutes } from './system.routes.ts';

export const systemModule: ServerModule = {
  name: 'system',
  prefix: '',
  tags: [{ name: 'system', description: 'Health, readiness and version' }],
  register: (app, deps) => systemRoutes(app, deps),
};
