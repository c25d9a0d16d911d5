import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

/**
 * Request validation with TypeBox's compiler. Bodies are checked strictly (no type coercion:
 * `"password": 12345678901` is a 400, not a string); querystring, params and headers are
 * converted from their string form first (`?limit=10` → 10). Error entries carry the path and
 * a message, never the offending value (it may be a password).
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  // Compiled on the route's first request, not at start: a few hundred routes' generated checkers
  // are megabytes of code an idle server never runs (docs/benchmarks.md, idle memory).
  let compiled: ReturnType<typeof TypeCompiler.Compile<TSchema>> | undefined;
  return (value: unknown) => {
    compiled ??= TypeCompiler.Compile(schema);
    const check = compiled;
    const input = httpPart === 'body' ? value : convertStrings(schema, value);
    if (check.Check(input)) return { value: input };
    const seen = new Set<string>();
    const errors: FastifySchemaValidationError[] = [];
    for (const e of check.Errors(input)) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      errors.push({
        keyword: ValueErrorType[e.type] ?? 'invalid',
        instancePath: e.path,
        schemaPath: '',
        params: {},
        message: messageFor(e.type, e.message),
      });
      if (errors.length >= 20) break;
    }
    return { error: errors };
  };
};

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Query strings, path params and headers arrive as strings: convert them to the schema's types
 * with TypeBox, except numbers it would read loosely (`2.5` → 2, `1e2` → 1, `0x10` → 16 for an
 * integer): those stay strings, so the check below rejects them.
 */
function convertStrings(schema: TSchema, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return Value.Convert(schema, value);
  const raw = value as Record<string, unknown>;
  const converted = Value.Convert(schema, { ...raw }) as Record<string, unknown>;
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  for (const [key, prop] of Object.entries(properties)) {
    const original = raw[key];
    if (typeof original !== 'string') continue;
    if (prop.type === 'integer' && !INTEGER.test(original)) converted[key] = original;
    if (prop.type === 'number' && !DECIMAL.test(original)) converted[key] = original;
  }
  return converted;
}

function messageFor(type: ValueErrorType, fallback: string): string {
  switch (type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not an allowed field';
    default:
      return fallback.charAt(0).toLowerCase() + fallback.slice(1);
  }
}
