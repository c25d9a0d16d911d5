import { type Static, Type } from '@sinclair/typebox';
import {
  NullableInteger,
  NullableString,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const AuditResultSchema = Type.Union([
  Type.Literal('success'),
  Type.Literal('failure'),
  Type.Literal('denied'),
]);

export const AuditEntrySchema = Type.Object(
  {
    id: Type.Integer({ description: 'Sequence number in the chain' }),
    timestamp: Timestamp,
    userId: NullableString(),
    username: NullableString(),
    action: Type.String({ examples: ['auth.login', 'users.create'] }),
    resourceType: NullableString(),
    resourceId: NullableString(),
    sourceIp: Type.String(),
    result: StringEnum(['success', 'failure', 'denied'] as const),
    requestId: Type.String(),
    details: Type.Unsafe<Record<string, unknown> | null>({
      type: ['object', 'null'],
      additionalProperties: true,
    }),
    hash: Type.String({ description: 'SHA-256(prevHash || canonical JSON of the entry), hex' }),
    prevHash: Type.String(),
  },
  { $id: 'AuditEntry', additionalProperties: false },
);

export const AuditFilterQuery = Type.Object({
  userId: Type.Optional(Type.String({ maxLength: 64 })),
  username: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(
    Type.String({ maxLength: 128, description: 'Exact action, or a prefix ending in * (auth.*)' }),
  ),
  resourceType: Type.Optional(Type.String({ maxLength: 64 })),
  resourceId: Type.Optional(Type.String({ maxLength: 128 })),
  result: Type.Optional(AuditResultSchema),
  from: Type.Optional(
    Type.String({ maxLength: 40, description: 'Inclusive lower bound (ISO date or date-time)' }),
  ),
  to: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'Inclusive upper bound (ISO date or date-time; a bare date covers the whole day)',
    }),
  ),
});
export type AuditFilterQuery = Static<typeof AuditFilterQuery>;

export const AuditListQuery = Type.Composite([AuditFilterQuery, Type.Object(PageQuery)]);

export const VerifyReportSchema = Type.Object(
  {
    valid: Type.Boolean(),
    checked: Type.Integer({ description: 'Entries whose hash was checked' }),
    firstBrokenId: NullableInteger(),
    reason: NullableString(),
    checkpoint: Type.Union([
      Type.Object({ id: Type.Integer(), hash: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { $id: 'AuditVerifyReport', additionalProperties: false },
);
