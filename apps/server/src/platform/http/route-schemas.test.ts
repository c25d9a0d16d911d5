import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../testing/test-kit.ts';

// Serializers and validators compile on a route's first request (serialization.ts, validation.ts),
// so a schema that cannot compile would no longer stop the server at start: this compiles every
// route's schemas up front instead, with the shared schemas of the route's own context.
interface Seen {
  route: RouteOptions;
  schemas: Record<string, unknown>;
}
const seen = vi.hoisted(() => [] as Seen[]);
// Every Fastify instance the app creates gets an onRoute hook first, before any route exists.
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  const create = ((opts: never) => {
    const app = original.default(opts) as unknown as FastifyInstance;
    app.addHook('onRoute', function (this: FastifyInstance, route) {
      seen.push({ route, schemas: this.getSchemas() });
    });
    return app;
  }) as unknown as typeof original.default;
  return { ...original, default: create };
});
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

describe('route schemas', () => {
  it('every response serializer and request validator compiles', () => {
    const withSchema = seen.filter((s) => s.route.schema);
    expect(withSchema.length).toBeGreaterThan(100);
    let serializers = 0;
    for (const { route, schemas } of withSchema) {
      const schema = route.schema as Record<string, unknown>;
      const where = `${route.method} ${route.url}`;
      for (const part of ['body', 'querystring', 'params', 'headers']) {
        if (schema[part]) expect(() => TypeCompiler.Compile(schema[part] as never), where).not.toThrow();
      }
      const compile = SerializerSelector()(schemas, {});
      for (const [status, s] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
        const def = { method: String(route.method), url: route.url, httpStatus: status, schema: s };
        expect(() => compile(def), `${where} ${status}`).not.toThrow();
        serializers++;
      }
    }
    expect(serializers).toBeGreaterThan(200);
  });
});
