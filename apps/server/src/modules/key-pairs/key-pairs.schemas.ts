import { Type } from '@sinclair/typebox';
import { PageQuery, Timestamp } from '../../platform/http/schemas.ts';

export const KEY_PAIR_NAME = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export const KeyPairSchema = Type.Object(
  {
    id: Type.String({ description: 'key-…' }),
    name: Type.String(),
    ownerId: Type.String(),
    algorithm: Type.Union([Type.Literal('ed25519'), Type.Literal('rsa'), Type.Literal('ecdsa')]),
    bits: Type.Integer(),
    publicKey: Type.String({ description: 'OpenSSH public key line' }),
    fingerprint: Type.String({ description: 'SHA256:… exactly as `ssh-keygen -l` prints it' }),
    createdAt: Timestamp,
  },
  { $id: 'KeyPair', additionalProperties: false },
);

export const CreatedKeyPairSchema = Type.Object(
  {
    keyPair: Type.Ref(KeyPairSchema),
    privateKey: Type.String({
      description: 'Shown once, never stored: OpenSSH format (ed25519) or PEM (RSA)',
    }),
    privateKeyFormat: Type.Union([Type.Literal('openssh'), Type.Literal('pem')]),
  },
  { $id: 'CreatedKeyPair', additionalProperties: false },
);

export const CreateKeyPairBody = Type.Object(
  {
    name: Type.String({ pattern: KEY_PAIR_NAME, description: 'unique per user' }),
    algorithm: Type.Optional(
      Type.Union([Type.Literal('ed25519'), Type.Literal('rsa')], {
        description: 'default ed25519; rsa = RSA-4096',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ImportKeyPairBody = Type.Object(
  {
    name: Type.String({ pattern: KEY_PAIR_NAME }),
    publicKey: Type.String({
      minLength: 1,
      maxLength: 16384,
      description: 'ssh-ed25519, ssh-rsa (>= 2048 bits) or ecdsa-sha2-nistp256/384/521',
    }),
  },
  { additionalProperties: false },
);

export const KeyPairListQuery = Type.Object(
  { ...PageQuery, q: Type.Optional(Type.String({ maxLength: 64, description: 'name contains' })) },
  { additionalProperties: false },
);

export const KeyPairIdParams = Type.Object(
  { id: Type.String({ pattern: '^key-[0-9a-f]{17}$' }) },
  { additionalProperties: false },
);
