import { Type } from '@sinclair/typebox';
import { NullableTimestamp, PageQuery, StringEnum, Timestamp } from '../../platform/http/schemas.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './iam.passwords.ts';

export const USERNAME_PATTERN = '^[a-z][a-z0-9._-]{2,31}$';

export const RoleNameSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('operator'),
  Type.Literal('readonly'),
]);
export const UserStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);

const RoleOut = StringEnum(['admin', 'operator', 'readonly'] as const);
const StatusOut = StringEnum(['active', 'disabled'] as const);
const KeyStatusOut = StringEnum(['active', 'inactive'] as const);

const Password = Type.String({
  minLength: PASSWORD_MIN,
  maxLength: PASSWORD_MAX,
  description: `${PASSWORD_MIN}..${PASSWORD_MAX} characters`,
});
const UserId = Type.String({ pattern: '^usr-[0-9a-f]{17}$', description: 'User id (usr-…)' });
const FullName = Type.String({ maxLength: 128 });

export const UserSchema = Type.Object(
  {
    id: Type.String({ examples: ['usr-0123456789abcdef0'] }),
    username: Type.String(),
    fullName: Type.String(),
    role: RoleOut,
    status: StatusOut,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastLoginAt: NullableTimestamp,
  },
  { $id: 'User', additionalProperties: false },
);

export const SessionSchema = Type.Object(
  {
    accessToken: Type.String({ description: 'Access JWT (HS256, 15 minutes)' }),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
    refreshToken: Type.String({ description: 'Single-use rotating refresh token (30 days)' }),
    user: Type.Ref(UserSchema),
  },
  { $id: 'Session', additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  {
    refreshToken: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Else the pc_refresh cookie' }),
    ),
  },
  { additionalProperties: false },
);

export const MeSchema = Type.Object(
  {
    user: Type.Ref(UserSchema),
    permissions: Type.Array(Type.String(), { description: 'resource:action, e.g. users:read' }),
  },
  { $id: 'Me', additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }), newPassword: Password },
  { additionalProperties: false },
);

export const UserListQuery = Type.Object({
  ...PageQuery,
  role: Type.Optional(RoleNameSchema),
  status: Type.Optional(UserStatusSchema),
  q: Type.Optional(Type.String({ maxLength: 64, description: 'Substring of username or full name' })),
});

export const CreateUserBody = Type.Object(
  {
    username: Type.String({
      pattern: USERNAME_PATTERN,
      description: 'Lowercase, 3..32 chars: ^[a-z][a-z0-9._-]{2,31}$',
    }),
    fullName: Type.Optional(FullName),
    password: Password,
    role: RoleNameSchema,
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    fullName: Type.Optional(FullName),
    role: Type.Optional(RoleNameSchema),
    status: Type.Optional(UserStatusSchema),
  },
  { additionalProperties: false },
);

export const UserIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const DeleteUserQuery = Type.Object({
  reassignTo: Type.Optional(UserId),
});

export const ResetPasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const RoleSchema = Type.Object(
  {
    name: RoleOut,
    description: Type.String(),
    permissions: Type.Array(Type.String()),
  },
  { $id: 'Role', additionalProperties: false },
);

export const RoleListSchema = Type.Object(
  { items: Type.Array(Type.Ref(RoleSchema)) },
  { additionalProperties: false },
);

export const AccessKeySchema = Type.Object(
  {
    accessKeyId: Type.String({ description: 'AKPC + 16 characters', examples: ['AKPCABCDEFGHIJKLMNOP'] }),
    userId: Type.String(),
    description: Type.String(),
    status: KeyStatusOut,
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
  },
  { $id: 'AccessKey', additionalProperties: false },
);

export const CreatedAccessKeySchema = Type.Object(
  {
    accessKeyId: Type.String(),
    userId: Type.String(),
    description: Type.String(),
    status: KeyStatusOut,
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
    secretAccessKey: Type.String({ description: '40 characters; shown once, store it now' }),
  },
  { $id: 'CreatedAccessKey', additionalProperties: false },
);

export const CreateAccessKeyBody = Type.Object(
  { description: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false },
);

export const AccessKeyListQuery = Type.Object({
  ...PageQuery,
  userId: Type.Optional(Type.String({ maxLength: 64, description: 'Admins only: list another user’s keys' })),
});

export const AccessKeyParams = Type.Object({ accessKeyId: Type.String({ maxLength: 64 }) });

export const iamSharedSchemas = [
  UserSchema,
  SessionSchema,
  MeSchema,
  RoleSchema,
  AccessKeySchema,
  CreatedAccessKeySchema,
];
