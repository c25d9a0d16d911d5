import { Type } from '@sinclair/typebox';
import {
  NullableString,
  NullableTimestamp,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../platform/http/schemas.ts';
import {
  MAX_VALUE_BYTES,
  PRINCIPAL_PATTERN,
  SECRET_NAME_MAX,
  SECRET_NAME_PATTERN,
} from './secrets.policy.ts';

const Tags = Type.Record(
  Type.String({ pattern: '^[A-Za-z0-9_.:/=+@-]{1,128}$' }),
  Type.String({ maxLength: 256 }),
  {
    description: 'Free-form string tags (at most 50)',
    maxProperties: 50,
  },
);
const Encoding = Type.Union([Type.Literal('text'), Type.Literal('base64'), Type.Literal('json')], {
  description:
    'text (default for strings), base64 (binary: value is base64, decoded before storing) or json ' +
    '(default for objects, arrays, numbers, booleans)',
});
const Value = Type.Unknown({
  description: `The value: a string, a base64 string with encoding base64, or any JSON value; at most ${MAX_VALUE_BYTES} bytes (64 KiB) stored`,
});

export const SecretSchema = Type.Object(
  {
    id: Type.String({ description: 'sec-… (also accepted wherever a name is)' }),
    name: Type.String({ description: 'Path-like name, unique per owner, e.g. app/db/password' }),
    ownerId: Type.String(),
    description: Type.String(),
    tags: Type.Record(Type.String(), Type.String()),
    currentVersion: Type.Integer({ minimum: 1 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: NullableTimestamp,
    purgeAt: NullableString({
      format: 'date-time',
      description: 'When a soft-deleted secret is removed for good',
    }),
    access: StringEnum(['owner', 'admin', 'manage', 'read', 'none'] as const, {
      description: "The caller's relation: owner, admin, or a policy grant (manage/read); none = name only",
    }),
    canReadValue: Type.Boolean(),
    canManage: Type.Boolean(),
  },
  { $id: 'Secret', additionalProperties: false, description: 'A secret without its value' },
);

export const SecretValueSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    value: Value,
    encoding: StringEnum(['text', 'base64', 'json'] as const),
    createdAt: Timestamp,
  },
  { $id: 'SecretValue', additionalProperties: false },
);

export const SecretVersionSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    encoding: StringEnum(['text', 'base64', 'json'] as const),
    sizeBytes: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    createdBy: NullableString({ description: 'User id' }),
    current: Type.Boolean(),
  },
  { $id: 'SecretVersion', additionalProperties: false },
);

const Grant = Type.Object(
  {
    principal: Type.String({
      pattern: PRINCIPAL_PATTERN,
      description: "'user:<user id>', 'role:admin|operator|readonly', 'instance:<id>' or 'function:<id>'",
    }),
    access: Type.Union([Type.Literal('read'), Type.Literal('manage')], {
      description: 'read = the value; manage = also new versions, delete/restore and this policy',
    }),
  },
  { additionalProperties: false },
);

export const SecretPolicySchema = Type.Object(
  { grants: Type.Array(Grant, { maxItems: 100 }) },
  { $id: 'SecretPolicy', additionalProperties: false },
);
export const PutPolicyBody = Type.Object(
  { grants: Type.Array(Grant, { maxItems: 100 }) },
  { additionalProperties: false },
);

export const CreateSecretBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: SECRET_NAME_MAX, pattern: SECRET_NAME_PATTERN }),
    value: Value,
    encoding: Type.Optional(Encoding),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export const PutSecretBody = Type.Object(
  {
    value: Value,
    encoding: Type.Optional(Encoding),
    expectedVersion: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Check-and-set: 409 version_conflict unless this is the current version',
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

export const SecretListQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(Type.String({ maxLength: 256, description: 'name contains' })),
    prefix: Type.Optional(
      Type.String({ maxLength: 256, description: "name starts with (a folder: 'app/db/')" }),
    ),
    includeDeleted: Type.Optional(Type.Boolean({ description: 'also list secrets scheduled for deletion' })),
  },
  { additionalProperties: false },
);

export const SecretValueQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the current version' })) },
  { additionalProperties: false },
);

export const SecretDeleteQuery = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({ description: 'delete now, without a recovery window (cannot be undone)' }),
    ),
    recoveryDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: 'default 7' })),
  },
  { additionalProperties: false },
);

export const SecretNameParams = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: SECRET_NAME_MAX,
      description: 'The name URL-encoded (app%2Fdb%2Fpassword) or the secret id',
    }),
  },
  { additionalProperties: false },
);

export const RotationResultSchema = Type.Object(
  {
    kekId: Type.String({ description: 'Fingerprint of the new master key (not the key)' }),
    previousKekIds: Type.Array(Type.String()),
    rewrapped: Type.Integer({ description: 'Secret versions whose data key was re-wrapped' }),
  },
  { $id: 'MasterKeyRotation', additionalProperties: false },
);
