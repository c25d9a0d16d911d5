import { Type } from '@sinclair/typebox';

/** `secretEnv` of a launch: environment variable → secret name (or `sec-…` id of a secret shared with you). */
export const SecretEnvSchema = Type.Record(
  Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }),
  Type.String({ minLength: 1, maxLength: 256 }),
  {
    maxProperties: 50,
    description:
      "Secrets as environment variables: {ENV_NAME: 'app/db/password'} (names in your namespace, or ids of " +
      'secrets shared with you). Only the references are stored; at launch and every start the values are ' +
      'written to /etc/proxicloud/secrets.env (root-only) in the guest. Needs the SSH host agent. ' +
      '422: secret_env_unresolved, host_agent_required',
  },
);
