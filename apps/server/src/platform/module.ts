import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ModuleMigration } from './db/migrations.ts';

/**
 * A service of the server (instances, volumes, storage, …). `D` is what the module needs — a
 * narrow slice of the shared dependencies (`Pick<ModuleDeps, …>`) plus the ports of the modules
 * it uses — and `E` is what it hands to the modules registered after it (its ports). The
 * composition in modules/index.ts passes exactly those; nothing is reached through globals.
 */
export interface ServerModule<D = unknown, E = void> {
  name: string;
  /** OpenAPI tags this module's routes use. */
  tags?: { name: string; description: string }[];
  migrations?: ModuleMigration[];
  /**
   * Schemas (with $id) that other modules' routes reference (`Type.Ref(OperationSchema)`): added to
   * the root context before any module registers. Schemas only this module uses stay in its scope.
   */
  schemas?: TSchema[];
  /** URL prefix for the module's routes (default /api/v1; '' = the root context). */
  prefix?: string;
  register(app: FastifyInstance, deps: D): Promise<E>;
}

/** Registers a module in its own Fastify scope and returns what it exports. */
export type Mount = <D, E>(module: ServerModule<D, E>, deps: D) => Promise<E>;

/** The Mount for an app: the module's routes go under its prefix. */
export function mountOn(app: FastifyInstance): Mount {
  return async <D, E>(module: ServerModule<D, E>, deps: D): Promise<E> => {
    // prefix '' registers on the root context (the system module owns the 404 handler and static files).
    if (module.prefix === '') return module.register(app, deps);
    let exported: E | undefined;
    await app.register(
      async (scope) => {
        exported = await module.register(scope, deps);
      },
      { prefix: module.prefix ?? '/api/v1' },
    );
    return exported as E;
  };
}
