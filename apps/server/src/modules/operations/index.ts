/**
 * Operations: the DB-backed engine that runs every long action (launch, attach, …) step by step,
 * the resource-lock registry, and the read API (/operations). The core is built once per app
 * (`createOperations` in app.ts) and reaches modules as `deps.engine`, `deps.locks` and
 * `deps.operations`; a module registers its operation handlers on the engine and its lockable
 * tables on the registry.
 */
import type { ModuleDeps, ServerModule } from '../../deps.ts';
import { operationsMigrations as migrations } from './operations.migrations.ts';
import { operationsRoutes } from './operations.routes.ts';
import { OperationSchema } from './operations.schemas.ts';

export {
  type EnqueueSpec,
  type OperationContext,
  OperationEngine,
  type OperationError,
  type OperationHandler,
  type OperationView,
  type StepDef,
  type StepView,
  toOperationView,
} from './operations.engine.ts';
export { type LockableTable, LockRegistry, lockRow, unlockRow } from './operations.locks.ts';
export { OperationErrorSchema, OperationSchema } from './operations.schemas.ts';
export {
  completionAuditAction,
  createOperations,
  type Operations,
  type OperationsDeps,
  OperationsService,
} from './operations.service.ts';

export const operationsModule: ServerModule<
  Pick<ModuleDeps, 'operations' | 'engine' | 'jobs' | 'ownership'>
> = {
  name: 'operations',
  tags: [{ name: 'operations', description: 'Asynchronous actions and their progress' }],
  migrations,
  schemas: [OperationSchema],
  async register(app, deps) {
    await operationsRoutes(app, deps.operations);
    // a deleted user's operation history moves to whoever takes their resources (never blocks)
    deps.ownership.register({
      resourceType: 'operations',
      count: async () => 0,
      reassign: (from, to, k) => deps.operations.reassign(from, to, k),
    });
    deps.jobs.register({ name: 'operations.worker', intervalMs: 2000, run: () => deps.engine.tick() });
    app.addHook('onClose', async () => {
      await deps.engine.stop();
    });
  },
};
