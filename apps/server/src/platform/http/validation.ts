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
  const check = TypeCompiler.Compile(schema);
  return (value: unknown) => {
    const input = httpPart === 'body' ? value : Value.Convert(schema, value);
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
