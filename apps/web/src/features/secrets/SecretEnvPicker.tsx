import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Input, Select } from '../../components/index.ts';
import { allSecretsQuery } from './api.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Secrets as environment variables (`secretEnv`) for a launch or a function: ENV_NAME → a secret
 * picked by name. Only the names are sent; an instance gets the values in its guest's
 * /etc/proxicloud/secrets.env (root-only), a function in its environment at each invocation.
 */
export function SecretEnvPicker({
  value,
  onChange,
  hint,
  disabled = false,
}: {
  value: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  /** What happens with the values (defaults to the instance text). */
  hint?: React.ReactNode;
  /** Show the mapping without changing it (no permission to update). */
  disabled?: boolean;
}) {
  const secrets = useQuery(allSecretsQuery());
  const usable = (secrets.data?.items ?? []).filter((s) => s.canReadValue && !s.deletedAt);
  const [env, setEnv] = useState('');
  const [ref, setRef] = useState('');
  const envError = env && !ENV_NAME.test(env) ? 'Letters, digits and _, not starting with a digit.' : null;
  const label = (r: string) => usable.find((s) => s.id === r)?.name ?? r;
  return (
    <div className="flex flex-col gap-2">
      <span className="text-sm font-medium">Secrets as environment variables</span>
      {Object.entries(value).map(([k, r]) => (
        <div key={k} className="flex items-center gap-2 text-sm">
          <code className="font-mono">{k}</code>
          <span className="text-muted">←</span>
          <span>{label(r)}</span>
          {disabled ? null : (
            <Button
              size="sm"
              aria-label={`Remove ${k}`}
              onClick={() => onChange(Object.fromEntries(Object.entries(value).filter(([x]) => x !== k)))}
            >
              Remove
            </Button>
          )}
        </div>
      ))}
      {Object.keys(value).length === 0 && disabled ? <span className="text-sm text-muted">None</span> : null}
      <div className={disabled ? 'hidden' : 'flex flex-wrap items-end gap-2'}>
        <Input
          label="Variable"
          value={env}
          error={envError}
          onChange={(e) => setEnv(e.target.value.trim())}
          placeholder="DB_PASSWORD"
        />
        <Select
          label="Secret"
          value={ref}
          onChange={(e) => setRef(e.target.value)}
          options={[
            { value: '', label: usable.length ? 'Choose a secret…' : 'No secrets yet' },
            ...usable.map((s) => ({ value: s.access === 'owner' ? s.name : s.id, label: s.name })),
          ]}
        />
        <Button
          disabled={!env || !!envError || !ref}
          onClick={() => {
            onChange({ ...value, [env]: ref });
            setEnv('');
            setRef('');
          }}
        >
          Add variable
        </Button>
      </div>
      <p className="text-xs text-muted">
        {hint ?? (
          <>
            Written at every start to <code>/etc/proxicloud/secrets.env</code> in the guest (root-only); use
            it with systemd&apos;s <code>EnvironmentFile=</code>. Needs the SSH host agent.
          </>
        )}
      </p>
    </div>
  );
}
