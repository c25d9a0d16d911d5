import type { FastifyReply } from 'fastify';

/** Serialized bodies of shared (frozen, cached) response values, dropped with the value. */
const bodies = new WeakMap<object, Buffer>();

/**
 * Sends a response value that several requests share — a frozen entry of a `VersionedCache` —
 * as JSON. It is serialized by the route's response schema (fast-json-stringify, exactly as a
 * returned object would be) once per value; requests that get the same value get the same bytes.
 * A value that is not frozen is serialized every time (it could change).
 */
export function sendSharedJson(reply: FastifyReply, value: object): FastifyReply {
  let body = bodies.get(value);
  if (!body) {
    const serialized = reply.serialize(value);
    body = typeof serialized === 'string' ? Buffer.from(serialized) : Buffer.from(serialized as Uint8Array);
    if (Object.isFrozen(value)) bodies.set(value, body);
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
