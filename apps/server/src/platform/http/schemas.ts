import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** Shared schemas registered with app.addSchema (they become OpenAPI components). */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable machine-readable code, e.g. validation_error' }),
        message: Type.String(),
        details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        requestId: Type.String(),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'ErrorResponse', additionalProperties: false, description: 'Every error answer has this shape.' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const ErrorRef = Type.Ref(ErrorResponse);

export const sharedSchemas: TSchema[] = [ErrorResponse];

const ERROR_TEXT: Record<number, string> = {
  400: 'validation_error: the request is malformed or does not match the schema',
  401: 'unauthorized: missing or invalid credentials',
  403: 'forbidden: authenticated but not allowed (csrf_failed for cookie calls without X-CSRF-Token)',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited (see Retry-After)',
  500: 'internal_error',
  502: 'upstream_error',
  503: 'unavailable',
};

/** Error responses for a route's schema (the common ones are always included). */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const all = new Set([400, 401, 403, 500, ...statuses]);
  const out: Record<number, TSchema> = {};
  for (const s of [...all].sort())
    out[s] = Type.Ref(ErrorResponse, { description: ERROR_TEXT[s] ?? 'error' });
  return out;
}

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 UTC' });

/*
 * Response-only helpers. fast-json-stringify validates every anyOf branch at run time, which
 * made a 100-user list 3x slower; `enum` and JSON Schema 2020 type arrays serialise directly and
 * still generate literal unions / `T | null` in the SDK. (Request schemas keep Type.Union:
 * the TypeBox validator does not check Unsafe kinds.)
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
export function NullableString(options: Record<string, unknown> = {}) {
  return Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });
}
export function NullableInteger(options: Record<string, unknown> = {}) {
  return Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });
}
export const NullableTimestamp = NullableString({
  format: 'date-time',
  description: 'ISO-8601 UTC, or null',
});

/** limit/offset for list endpoints (contract: limit 1..1000, default 50). */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
};

export function ListOf<T extends TSchema>(item: T, description?: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      total: Type.Integer({ minimum: 0 }),
      limit: Type.Integer(),
      offset: Type.Integer(),
    },
    { additionalProperties: false, ...(description ? { description } : {}) },
  );
}

export const NoContent = Type.Null({ description: 'No content' });

export function page(query: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: query.limit ?? 50, offset: query.offset ?? 0 };
}
