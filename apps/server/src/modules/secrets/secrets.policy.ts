/**
 * Pure rules of the vault: secret names, value encodings and who may do what with a secret.
 *
 * Access (docs/secrets.md):
 * - the owner reads and manages their secret (as far as their role allows: a ReadOnly owner only
 *   reads);
 * - admins see and manage every secret and its policy; reading a value is audited like any read;
 * - a grant to `user:ID` or `role:NAME` gives `read` (value) or `manage` (value, new versions,
 *   delete/restore, policy). A ReadOnly user with a grant reads values; `manage` never lets a
 *   ReadOnly user change anything;
 * - grants to `instance:ID` / `function:ID` only matter for injection (SecretsPort), never for users.
 */
import type { Actor } from '../../platform/db/repository.ts';
import { ValidationError } from '../../platform/errors.ts';
import { can } from '../iam/index.ts';

export const SECRET_ID = /^sec-[0-9a-f]{17}$/;
/** Path segments of letters, digits, `.`, `_`, `-` (not starting with `.` or `-`), separated by `/`. */
export const SECRET_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$';
const SECRET_NAME = new RegExp(SECRET_NAME_PATTERN);
export const SECRET_NAME_MAX = 256;
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
const ENV_NAME = new RegExp(ENV_NAME_PATTERN);
export const MAX_VALUE_BYTES = 64 * 1024;
export const PRINCIPAL_PATTERN =
  '^(user:usr-[0-9a-f]{17}|role:(admin|operator|readonly)|instance:[A-Za-z0-9-]{1,64}|function:[A-Za-z0-9-]{1,64})$';

export type SecretEncoding = 'text' | 'base64' | 'json';
export type GrantAccess = 'read' | 'manage';

export function checkSecretName(name: string, field = 'name'): void {
  if (name.length > SECRET_NAME_MAX || !SECRET_NAME.test(name) || SECRET_ID.test(name))
    throw new ValidationError(
      `Invalid secret name '${name.slice(0, 80)}': use path segments of letters, digits, '.', '_' and '-' ` +
        `separated by '/' (e.g. app/db/password), at most ${SECRET_NAME_MAX} characters, not shaped like a secret id`,
      { field },
      'invalid_secret_name',
    );
}

export function checkEnvName(name: string): void {
  if (!ENV_NAME.test(name))
    throw new ValidationError(
      `Invalid environment variable name '${name.slice(0, 80)}': letters, digits and '_', not starting with a digit`,
      { field: 'secretEnv', envName: name.slice(0, 80) },
      'invalid_env_name',
    );
}

/**
 * A request value → the bytes to store. Strings are text unless `encoding: 'base64'`; any other
 * JSON value (object, array, number, boolean, null) is stored as JSON. Errors never echo the value.
 */
export function encodeValue(
  value: unknown,
  encoding?: SecretEncoding,
): { bytes: Buffer; encoding: SecretEncoding } {
  let out: { bytes: Buffer; encoding: SecretEncoding };
  if (encoding === 'base64') {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0)
      throw new ValidationError(
        'value is not valid base64 (encoding: base64)',
        { field: 'value' },
        'invalid_value',
      );
    out = { bytes: Buffer.from(value, 'base64'), encoding: 'base64' };
  } else if (encoding === 'json' || (encoding === undefined && typeof value !== 'string')) {
    if (value === undefined)
      throw new ValidationError('value is required', { field: 'value' }, 'invalid_value');
    out = { bytes: Buffer.from(JSON.stringify(value), 'utf8'), encoding: 'json' };
  } else {
    if (typeof value !== 'string')
      throw new ValidationError(
        'value must be a string for encoding text',
        { field: 'value' },
        'invalid_value',
      );
    out = { bytes: Buffer.from(value, 'utf8'), encoding: 'text' };
  }
  if (out.bytes.length > MAX_VALUE_BYTES)
    throw new ValidationError(
      `value is ${out.bytes.length} bytes; the limit is ${MAX_VALUE_BYTES} bytes (64 KiB)`,
      { field: 'value', sizeBytes: out.bytes.length, maxBytes: MAX_VALUE_BYTES },
      'value_too_large',
    );
  if (out.bytes.length === 0)
    throw new ValidationError('value must not be empty', { field: 'value' }, 'invalid_value');
  return out;
}

export function decodeValue(bytes: Buffer, encoding: SecretEncoding): unknown {
  if (encoding === 'base64') return bytes.toString('base64');
  if (encoding === 'json') return JSON.parse(bytes.toString('utf8')) as unknown;
  return bytes.toString('utf8');
}

/** The value as an environment variable's text (JSON stays JSON, binary stays base64). */
export function envText(bytes: Buffer, encoding: SecretEncoding): string {
  return encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
}

export interface SecretAccess {
  /** The caller may see the secret's metadata (else: 404). */
  visible: boolean;
  readValue: boolean;
  /** New versions, description/tags, delete, restore. */
  write: boolean;
  deleteSecret: boolean;
  managePolicy: boolean;
  /** How the caller relates to it (shown in the console). */
  relation: 'owner' | 'admin' | 'manage' | 'read' | 'none';
}

export function accessFor(
  actor: Actor,
  secret: { owner_id: string },
  grants: readonly { principal: string; access: GrantAccess }[],
): SecretAccess {
  const mine = new Set([`user:${actor.id}`, `role:${actor.role}`]);
  let granted: GrantAccess | null = null;
  for (const g of grants) {
    if (!mine.has(g.principal)) continue;
    if (g.access === 'manage') granted = 'manage';
    else granted ??= 'read';
  }
  const owner = secret.owner_id === actor.id;
  const admin = actor.role === 'admin';
  const readonly = actor.role === 'readonly';
  const manages = admin || (!readonly && (owner || granted === 'manage'));
  return {
    visible: owner || admin || granted !== null,
    readValue: admin || granted !== null || (owner && can(actor, 'secrets', 'read_value')),
    write: manages && can(actor, 'secrets', 'update'),
    deleteSecret: manages && can(actor, 'secrets', 'delete'),
    managePolicy: manages && can(actor, 'secrets', 'update'),
    relation: owner ? 'owner' : admin ? 'admin' : (granted ?? 'none'),
  };
}

/** Whether an instance/function (owned by `ownerId`) may have a secret injected. */
export function consumerMayRead(
  consumer: string,
  consumerOwnerId: string,
  secret: { owner_id: string },
  grants: readonly { principal: string }[],
): boolean {
  return (
    secret.owner_id === consumerOwnerId ||
    grants.some((g) => g.principal === consumer || g.principal === `user:${consumerOwnerId}`)
  );
}
