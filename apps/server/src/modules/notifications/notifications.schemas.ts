import { Type } from '@sinclair/typebox';
import {
  NullableInteger,
  NullableString,
  NullableTimestamp,
  PageQuery,
  StringEnum,
  Timestamp,
} from '../../platform/http/schemas.ts';

export const CHANNEL_TYPES = ['email', 'webhook', 'push'] as const;
export const DELIVERY_STATUSES = ['pending', 'sending', 'succeeded', 'failed'] as const;
export const PUSH_FORMATS = ['ntfy', 'gotify'] as const;
export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const;
export const CHANNEL_NAME = '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$';

const ChannelConfigView = Type.Object(
  {
    url: Type.Optional(Type.String({ description: 'webhook / push: where the POST goes' })),
    to: Type.Optional(Type.Array(Type.String(), { description: 'email: recipients' })),
    format: Type.Optional(StringEnum(PUSH_FORMATS, { description: 'push: ntfy (default) or gotify' })),
  },
  { additionalProperties: false, description: 'Settings without secrets' },
);

const channelFields = {
  id: Type.String({ description: 'nch-…' }),
  name: Type.String(),
  ownerId: Type.String(),
  type: StringEnum(CHANNEL_TYPES),
  enabled: Type.Boolean(),
  config: ChannelConfigView,
  hasSecret: Type.Boolean({
    description: 'A webhook secret or push token is stored (never returned after creation)',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const NotificationChannelSchema = Type.Object(channelFields, {
  $id: 'NotificationChannel',
  additionalProperties: false,
});

export const CreatedNotificationChannelSchema = Type.Object(
  {
    ...channelFields,
    generatedSecret: Type.Optional(
      Type.String({
        description:
          'webhook created without a secret: the signing secret generated for it, shown in this answer only',
      }),
    ),
  },
  { $id: 'CreatedNotificationChannel', additionalProperties: false },
);

export const ChannelConfigInput = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 2048, description: 'webhook, push' })),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 256, description: 'webhook: HMAC-SHA256 signing secret' }),
    ),
    to: Type.Optional(
      Type.Array(Type.String({ maxLength: 254 }), {
        minItems: 1,
        maxItems: 20,
        description: 'email: recipient addresses',
      }),
    ),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'push: access token' })),
    format: Type.Optional(
      Type.Union(
        PUSH_FORMATS.map((f) => Type.Literal(f)),
        { description: 'push: ntfy (default) or gotify' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CreateChannelBody = Type.Object(
  {
    name: Type.String({ pattern: CHANNEL_NAME, description: 'unique per user' }),
    type: Type.Union(CHANNEL_TYPES.map((t) => Type.Literal(t))),
    config: ChannelConfigInput,
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Type.String({ pattern: CHANNEL_NAME })),
    enabled: Type.Optional(Type.Boolean()),
    config: Type.Optional(
      Type.Object(ChannelConfigInput.properties, {
        additionalProperties: false,
        description: 'Replaces the settings; a secret/token left out is kept',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ChannelIdParams = Type.Object({ id: Type.String({ pattern: '^nch-[0-9a-f]{17}$' }) });
export const ChannelListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'ndl-…' }),
    channelId: Type.String(),
    event: Type.String({ description: 'e.g. alarm.state_changed, backup.failed, test' }),
    subject: Type.String(),
    status: StringEnum(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    nextAttemptAt: NullableTimestamp,
    lastError: NullableString(),
    responseStatus: NullableInteger({ description: 'HTTP status of the last webhook/push answer' }),
    createdAt: Timestamp,
    completedAt: NullableTimestamp,
  },
  { $id: 'NotificationDelivery', additionalProperties: false },
);

const SmtpView = Type.Object(
  {
    host: Type.String(),
    port: Type.Integer(),
    security: StringEnum(SMTP_SECURITY),
    username: NullableString(),
    passwordSet: Type.Boolean(),
    from: Type.String(),
    timeoutSeconds: Type.Integer(),
    allowSelfSigned: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const NotificationSettingsSchema = Type.Object(
  {
    smtp: Type.Union([SmtpView, Type.Null()], { description: 'null: e-mail channels cannot send' }),
    allowPrivateTargets: Type.Boolean({
      description:
        'Webhook/push URLs may point to private, loopback or this server’s addresses (link-local and metadata addresses never)',
    }),
  },
  { $id: 'NotificationSettings', additionalProperties: false },
);

export const UpdateSettingsBody = Type.Object(
  {
    smtp: Type.Optional(
      Type.Union([
        Type.Object(
          {
            host: Type.String({ minLength: 1, maxLength: 253 }),
            port: Type.Integer({ minimum: 1, maximum: 65535 }),
            security: Type.Union(
              SMTP_SECURITY.map((s) => Type.Literal(s)),
              {
                description: 'none (plain), starttls (required) or tls (implicit, port 465)',
              },
            ),
            username: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
            password: Type.Optional(
              Type.String({ maxLength: 512, description: 'left out: the stored password is kept' }),
            ),
            from: Type.String({ minLength: 3, maxLength: 254 }),
            timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, default: 10 })),
            allowSelfSigned: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    allowPrivateTargets: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
