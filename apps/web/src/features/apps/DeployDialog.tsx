import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Dialog, DialogActions, Input, Select } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { networksQuery, securityGroupsQuery } from '../networking/api.ts';
import {
  APP_NAME,
  type AppParameter,
  type AppTemplateSummary,
  appTemplateQuery,
  memoryLabel,
  type ParamValue,
  useDeployApp,
} from './api.ts';

function initial(p: AppParameter): string {
  if (p.default === undefined) return '';
  return String(p.default);
}

/** Client-side check mirroring the server's (the server checks again and names the parameter). */
function problem(p: AppParameter, raw: string): string | null {
  if (raw === '') return p.required && !(p.type === 'secret' && p.generate) ? 'Required' : null;
  if (p.type === 'int') {
    if (!/^-?\d+$/.test(raw)) return 'A whole number';
    const n = Number(raw);
    if (p.min !== undefined && n < p.min) return `At least ${p.min}`;
    if (p.max !== undefined && n > p.max) return `At most ${p.max}`;
  }
  if (p.type === 'string' || p.type === 'secret') {
    if (p.minLength !== undefined && raw.length < p.minLength) return `At least ${p.minLength} characters`;
    if (p.maxLength !== undefined && raw.length > p.maxLength) return `At most ${p.maxLength} characters`;
    if (p.pattern && !new RegExp(p.pattern).test(raw)) return 'Not in the expected format';
  }
  return null;
}

function toValue(p: AppParameter, raw: string): ParamValue | undefined {
  if (raw === '') return undefined;
  if (p.type === 'int') return Number(raw);
  if (p.type === 'bool') return raw === 'true';
  return raw;
}

/** The deploy form, generated from the template's parameters (secrets masked, defaults filled). */
export function DeployDialog({
  template,
  onClose,
}: {
  template: AppTemplateSummary | null;
  onClose: () => void;
}) {
  const detail = useQuery({ ...appTemplateQuery(template?.id ?? ''), enabled: !!template });
  const deploy = useDeployApp();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [memory, setMemory] = useState('');
  const [touched, setTouched] = useState(false);
  const [networkId, setNetworkId] = useState('');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const nets = useQuery({ ...networksQuery(), enabled: !!template });
  const groups = useQuery({ ...securityGroupsQuery(), enabled: !!template });
  const networks = (nets.data?.items ?? []).filter((n) => n.status === 'available');
  const params = detail.data?.template.parameters ?? [];
  const paramValue = (p: AppParameter) => values[p.key] ?? initial(p);
  const nameError =
    name && !APP_NAME.test(name) ? 'Lowercase letters, digits and hyphens (a DNS label)' : null;
  const min = template?.minimums.memoryMib ?? 0;
  const memoryError =
    memory && (!/^\d+$/.test(memory) || Number(memory) < min) ? `At least ${min} MiB` : null;
  const errors = Object.fromEntries(params.map((p) => [p.key, problem(p, paramValue(p))]));
  const invalid = !name || !!nameError || !!memoryError || Object.values(errors).some(Boolean);

  const close = () => {
    deploy.reset();
    setName('');
    setValues({});
    setMemory('');
    setNetworkId('');
    setGroupIds([]);
    setTouched(false);
    onClose();
  };
  const submit = () => {
    setTouched(true);
    if (!template || invalid) return;
    const body: Record<string, ParamValue> = {};
    for (const p of params) {
      const v = toValue(p, paramValue(p));
      if (v !== undefined) body[p.key] = v;
    }
    deploy.mutate(
      {
        templateId: template.id,
        name,
        ...(Object.keys(body).length ? { params: body } : {}),
        ...(memory ? { instanceType: { memoryMib: Number(memory) } } : {}),
        ...(networkId ? { networkIds: [networkId] } : {}),
        ...(networkId && groupIds.length ? { securityGroupIds: groupIds } : {}),
      },
      {
        onSuccess: (res) => {
          close();
          void navigate(`/apps/${res.app.id}`);
        },
      },
    );
  };

  return (
    <Dialog
      open={!!template}
      onClose={close}
      title={template ? `Deploy ${template.name} ${template.version}` : ''}
      description={
        template
          ? `A ${template.baseType === 'lxc' ? 'container' : 'VM'} with at least ${template.minimums.vcpu} vCPU, ${memoryLabel(template.minimums.memoryMib)} memory and ${template.minimums.diskGib} GiB disk. Parameters are checked before anything is created.`
          : undefined
      }
      onSubmit={submit}
      dismissible={!deploy.isPending}
      footer={
        <DialogActions
          onCancel={close}
          pending={deploy.isPending}
          submitLabel="Deploy"
          submitDisabled={touched && invalid}
        />
      }
    >
      <div className="flex flex-col gap-4">
        {deploy.error ? <Alert title="Could not deploy">{describeError(deploy.error)}</Alert> : null}
        {detail.error ? (
          <Alert title="Could not load the template">{describeError(detail.error)}</Alert>
        ) : null}
        <Input
          label="Name"
          hint="Also the instance's name and hostname"
          value={name}
          onChange={(e) => setName(e.target.value.trim())}
          error={touched || name ? (nameError ?? (touched && !name ? 'Required' : null)) : null}
          placeholder={template?.id ?? ''}
          autoComplete="off"
          required
        />
        {params.map((p) =>
          p.type === 'bool' || p.type === 'choice' ? (
            <Select
              key={p.key}
              label={p.label}
              hint={p.description}
              value={paramValue(p)}
              onChange={(e) => setValues({ ...values, [p.key]: e.target.value })}
              options={
                p.type === 'bool'
                  ? [
                      { value: 'true', label: 'Yes' },
                      { value: 'false', label: 'No' },
                    ]
                  : [
                      ...(p.default === undefined ? [{ value: '', label: 'Choose…' }] : []),
                      ...(p.choices ?? []).map((c) => ({ value: c, label: c })),
                    ]
              }
            />
          ) : (
            <Input
              key={p.key}
              label={p.label}
              type={p.type === 'secret' ? 'password' : p.type === 'int' ? 'number' : 'text'}
              hint={
                p.type === 'secret' && p.generate
                  ? 'Leave empty to generate one (readable by root inside the container)'
                  : p.description
              }
              value={paramValue(p)}
              onChange={(e) => setValues({ ...values, [p.key]: e.target.value })}
              error={touched || values[p.key] !== undefined ? errors[p.key] : null}
              autoComplete={p.type === 'secret' ? 'new-password' : 'off'}
            />
          ),
        )}
        <Input
          label="Memory (MiB)"
          type="number"
          hint={`Optional; the template needs at least ${min} MiB`}
          value={memory}
          onChange={(e) => setMemory(e.target.value)}
          error={memoryError}
          placeholder={String(min)}
        />
        {networks.length ? (
          <Select
            label="Network"
            hint={`Where the app's ${template?.baseType === 'vm' ? 'VM' : 'container'} gets its address`}
            value={networkId}
            onChange={(e) => setNetworkId(e.target.value)}
            options={[
              { value: '', label: 'Default bridge' },
              ...networks.map((n) => ({ value: n.id, label: `${n.name} (${n.cidr})` })),
            ]}
          />
        ) : null}
        {networkId && groups.data?.items.length ? (
          <fieldset className="min-w-0">
            <legend className="text-sm font-medium">Security groups</legend>
            <p className="text-xs text-muted">
              The app's ports (
              {(detail.data?.template.ports ?? []).map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none'}
              ) need an inbound rule to be reachable from other networks.
            </p>
            <ul className="mt-1 flex flex-col gap-1">
              {groups.data.items.map((g) => (
                <li key={g.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-primary"
                      checked={groupIds.includes(g.id)}
                      onChange={(e) =>
                        setGroupIds(
                          e.target.checked ? [...groupIds, g.id] : groupIds.filter((x) => x !== g.id),
                        )
                      }
                    />
                    <span className="font-medium">{g.name}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
      </div>
    </Dialog>
  );
}
