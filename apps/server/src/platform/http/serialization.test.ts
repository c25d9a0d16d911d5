import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import { describe, expect, it } from 'vitest';
import { lazySerializerFactory } from './serialization.ts';

const external = {
  Thing: {
    $id: 'Thing',
    type: 'object',
    properties: { id: { type: 'string' }, sizeGiB: { type: 'integer' } },
    required: ['id'],
  },
};
const route = { method: 'GET', url: '/things', httpStatus: '200' };
const listSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: { $ref: 'Thing#' } }, total: { type: 'integer' } },
};

describe('lazySerializerFactory', () => {
  it('serializes exactly like Fastify’s eager compiler, with the shared schemas', () => {
    const eager = SerializerSelector()(external, {})({ ...route, schema: listSchema });
    const lazy = lazySerializerFactory()(external, {})({ ...route, schema: listSchema });
    const doc = { items: [{ id: 'a', sizeGiB: 2, secret: 'x' }, { id: 'b' }], total: 2, extra: true };
    expect(lazy(doc)).toBe(eager(doc));
    expect(JSON.parse(lazy(doc))).toEqual({ items: [{ id: 'a', sizeGiB: 2 }, { id: 'b' }], total: 2 });
    // the compiled function is kept: later calls give the same output
    expect(lazy({ items: [], total: 0 })).toBe('{"items":[],"total":0}');
  });

  it('compiles a schema only when the route first responds', () => {
    const broken = { type: 'object', properties: { a: { $ref: 'Missing#' } } };
    expect(() => SerializerSelector()(external, {})({ ...route, schema: broken })).toThrow();
    const serialize = lazySerializerFactory()(external, {})({ ...route, schema: broken });
    expect(() => serialize({ a: 1 })).toThrow();
  });
});
