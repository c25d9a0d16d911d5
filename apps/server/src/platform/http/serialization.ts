import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

/**
 * Fastify's own response serializers (fast-json-stringify, the same external schemas and options),
 * each compiled on its first use instead of when the route is registered: the server has a few
 * hundred route × status schemas, and their generated source and code are megabytes an idle server
 * never runs (docs/benchmarks.md, idle memory). The first response of a route and status pays its
 * compilation; every later one runs the same compiled function as before.
 */
export function lazySerializerFactory(): SerializerFactory {
  const build = SerializerSelector();
  return (externalSchemas, serializerOpts) => {
    const compile = build(externalSchemas, serializerOpts);
    return (route) => {
      let serialize: Serializer | undefined;
      return (data) => {
        serialize ??= compile(route);
        return serialize(data);
      };
    };
  };
}
