import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ChevronLeftIcon, PlusIcon, SearchIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  Card,
  cx,
  Input,
  PageHeader,
  Select,
  Skeleton,
} from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { useSession, useSystemInfo } from '../auth/session.tsx';
import { formatBytes, formatMiB, instancesKey, operationsKey, patchInstance } from '../instances/api.ts';
import { keyPairsQuery } from '../key-pairs/api.ts';
import { CreateKeyPairDialog } from '../key-pairs/KeyPairDialogs.tsx';
import { myQuotaQuery } from '../quotas/api.ts';
import { parseTags } from './tags.ts';
import { isUserDataError, userDataProblem } from './userData.ts';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const BRIDGE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/;
const STORAGE = /^[a-zA-Z][a-zA-Z0-9._-]{0,62}$/;
const kindLabel = { 'lxc-template': 'LXC template', 'cloud-image': 'Cloud image', iso: 'ISO' } as const;

function Section({
  n,
  title,
  children,
  hint,
}: {
  n: number;
  title: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`step-${n}`} className="rounded-lg border border-line bg-panel shadow-sm">
      <div className="border-b border-line px-5 py-3">
        <h2 id={`step-${n}`} className="text-sm font-semibold">
          <span className="mr-2 inline-flex size-5 items-center justify-center rounded-full bg-nav-active text-xs text-nav-active-fg">
            {n}
          </span>
          {title}
        </h2>
        {hint ? <p className="mt-1 text-xs text-muted">{hint}</p> : null}
      </div>
      <div className="flex flex-col gap-4 p-5">{children}</div>
    </section>
  );
}

export default function LaunchPage() {
  const { can, user } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const info = useSystemInfo();
  const [name, setName] = useState('');
  const [type, setType] = useState<'lxc' | 'vm'>('lxc');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [template, setTemplate] = useState<string>('');
  const [preset, setPreset] = useState('t.small');
  const [vcpu, setVcpu] = useState(1);
  const [memory, setMemory] = useState(1024);
  const [disk, setDisk] = useState<number | ''>('');
  const [bridge, setBridge] = useState('vmbr0');
  const [storage, setStorage] = useState('');
  const [node, setNode] = useState('');
  const [keys, setKeys] = useState<string[]>([]);
  const [userData, setUserData] = useState('');
  const [tagText, setTagText] = useState('');
  const [creatingKey, setCreatingKey] = useState(false);
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);

  const catalog = useQuery({
    queryKey: ['catalog', { type, q }],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/catalog', { params: { query: { type, limit: 200, ...(q ? { q } : {}) } } }),
      ),
    staleTime: 60_000,
  });
  const isos = useQuery({
    queryKey: ['catalog', { kind: 'iso', q }],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/catalog', { params: { query: { kind: 'iso', limit: 50, ...(q ? { q } : {}) } } }),
      ),
    staleTime: 60_000,
    enabled: type === 'vm',
  });
  const types = useQuery({
    queryKey: ['instance-types'],
    queryFn: () => call(() => api.GET('/api/v1/instance-types')),
    staleTime: 5 * 60_000,
  });
  const keyList = useQuery(keyPairsQuery(1000, 0));
  // Admins can list everyone's key pairs, but an instance trusts only its owner's keys: offer yours.
  const myKeys = (keyList.data?.items ?? []).filter((k) => k.ownerId === user.id);
  const quota = useQuery(myQuotaQuery);

  const presetInfo = types.data?.items.find((t) => t.name === preset);
  const eff = {
    vcpu: preset === 'custom' ? vcpu : (presetInfo?.vcpu ?? vcpu),
    memory: preset === 'custom' ? memory : (presetInfo?.memory ?? memory),
    sizeGib: disk === '' ? (presetInfo?.sizeGib ?? 8) : disk,
  };
  const image = catalog.data?.items.find((c) => c.id === template);
  // ISOs the image list above does not already offer (the same file can sit on several storages or
  // content types, hence the volume id on every card).
  const otherIsos = (isos.data?.items ?? []).filter(
    (i) => !i.launchable && !catalog.data?.items.some((c) => c.id === i.id),
  );
  const tags = parseTags(tagText);

  const errors = {
    name: !NAME.test(name)
      ? 'Lowercase letters, digits and hyphens; starts and ends with a letter or digit (at most 63).'
      : null,
    template: !image ? 'Choose an image to launch.' : null,
    vcpu: eff.vcpu < 1 || eff.vcpu > 128 ? '1 to 128 vCPUs.' : null,
    memory: eff.memory < 128 || eff.memory > 1_048_576 ? '128 MiB to 1 TiB.' : null,
    disk: eff.sizeGib < 1 || eff.sizeGib > 16_384 ? '1 to 16,384 GiB.' : null,
    bridge: !BRIDGE.test(bridge) ? 'A Linux bridge name such as vmbr0.' : null,
    storage: storage && !STORAGE.test(storage) ? 'A Proxmox storage id such as local-lvm.' : null,
    tags: tags.error,
    userData: type === 'vm' ? userDataProblem(userData) : null,
  };

  // Real-time quota check: what this launch adds to what you already use.
  const quotaProblems = useMemo(() => {
    const d = quota.data;
    if (!d) return [];
    const out: string[] = [];
    const check = (label: string, used: number, add: number, limit: number | null, unit = '') => {
      if (limit !== null && used + add > limit)
        out.push(`${label}: ${used}${unit} used + ${add}${unit} > quota ${limit}${unit}`);
    };
    check('Instances', d.usage.instances, 1, d.limits.instances);
    check('vCPUs', d.usage.vcpu, eff.vcpu, d.limits.vcpu);
    check('Memory', d.usage.memory, eff.memory, d.limits.memory, ' MiB');
    check('Disk', d.usage.diskGib, eff.sizeGib, d.limits.diskGib, ' GiB');
    return out;
  }, [quota.data, eff.vcpu, eff.memory, eff.sizeGib]);

  const invalid = Object.values(errors).some(Boolean) || quotaProblems.length > 0;
  // The API checks user-data too (422 user_data_*, host_agent_*, no_snippets_storage): its
  // message goes under the field as well as in the review.
  const userDataApiError = isUserDataError(submitError) ? submitError.message : null;
  const show = (e: string | null) => (touched ? e : null);

  const launch = async () => {
    setTouched(true);
    if (invalid || !image) return;
    setSubmitting(true);
    setSubmitError(null);
    try {
      const res = await call(() =>
        api.POST('/api/v1/instances', {
          body: {
            name,
            type,
            template: image.id,
            ...(preset !== 'custom' ? { instanceType: preset } : { vcpu: eff.vcpu, memory: eff.memory }),
            sizeGib: eff.sizeGib,
            bridge,
            ...(storage ? { storage } : {}),
            ...(node ? { node } : {}),
            ...(keys.length ? { keyPairIds: keys } : {}),
            ...(type === 'vm' && userData.trim() ? { userData } : {}),
            ...(Object.keys(tags.tags).length ? { tags: tags.tags } : {}),
          },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      );
      patchInstance(qc, res.instance);
      qc.setQueryData([...instancesKey, 'one', res.instance.id], res.instance);
      qc.setQueryData([...operationsKey, 'one', res.operation.id], res.operation);
      void qc.invalidateQueries({ queryKey: instancesKey });
      void qc.invalidateQueries({ queryKey: ['quotas'] });
      await navigate(`/compute/instances/${res.instance.id}`);
    } catch (e) {
      setSubmitError(e);
      setSubmitting(false);
    }
  };

  if (!can('instances:create')) {
    return (
      <>
        <PageHeader eyebrow="Compute" title="Launch instance" />
        <Alert title="Your role cannot launch instances">Ask an admin for the Operator role.</Alert>
      </>
    );
  }

  const nodes = info.data?.proxmox?.nodes ?? [];
  const radio = (active: boolean) =>
    cx(
      'flex min-w-0 cursor-pointer flex-col gap-0.5 rounded-md border p-3 text-left text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
      active ? 'border-primary bg-nav-active/40' : 'border-line hover:border-line-strong',
    );

  return (
    <>
      <Link
        to="/compute/instances"
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted hover:text-fg"
      >
        <ChevronLeftIcon /> Instances
      </Link>
      <PageHeader
        eyebrow="Compute"
        title="Launch instance"
        description="Pick an image and a size; ProxiCloud creates the guest on Proxmox, injects your SSH keys and starts it."
      />
      <form
        noValidate
        className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]"
        onSubmit={(e) => {
          e.preventDefault();
          void launch();
        }}
      >
        <div className="flex min-w-0 flex-col gap-6">
          <Section n={1} title="Name and type">
            <Input
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value.toLowerCase())}
              error={show(errors.name) ?? (name && errors.name ? errors.name : null)}
              hint="Also the hostname, e.g. web-1."
              placeholder="web-1"
              autoFocus
            />
            <fieldset className="flex min-w-0 flex-col gap-2">
              <legend className="mb-1.5 text-sm font-medium">Instance type</legend>
              <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
                {(
                  [
                    ['lxc', 'LXC container', 'Lightweight, shares the host kernel; starts in seconds.'],
                    ['vm', 'Virtual machine', 'Full VM with its own kernel, from a cloud image.'],
                  ] as const
                ).map(([v, label, help]) => (
                  <label key={v} className={radio(type === v)}>
                    <span className="flex items-center gap-2 font-medium">
                      <input
                        type="radio"
                        name="type"
                        value={v}
                        checked={type === v}
                        onChange={() => {
                          setType(v);
                          setTemplate('');
                        }}
                        className="accent-primary"
                      />
                      {label}
                    </span>
                    <span className="text-xs text-muted">{help}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </Section>

          <Section
            n={2}
            title="Image"
            hint={
              type === 'lxc'
                ? 'LXC templates on your Proxmox storage.'
                : 'Cloud images (and the installer ISOs the server can launch) on your Proxmox storage.'
            }
          >
            <div className="relative sm:w-80">
              <SearchIcon className="pointer-events-none absolute bottom-2.5 left-3 text-muted" />
              <Input
                label="Search images"
                hideLabel
                type="search"
                placeholder="Search by OS, version or file"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                inputClassName="pl-9"
              />
            </div>
            {catalog.error ? (
              <Alert title="Could not load the catalog">{describeError(catalog.error)}</Alert>
            ) : null}
            <fieldset className="min-w-0">
              <legend className="sr-only">Image</legend>
              {catalog.isPending ? (
                <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
                  <Skeleton className="h-16" />
                  <Skeleton className="h-16" />
                </div>
              ) : catalog.data?.items.length === 0 ? (
                <p className="text-sm text-muted">
                  {q
                    ? 'No image matches this search.'
                    : `No ${type === 'lxc' ? 'LXC templates' : 'cloud images'} found on the Proxmox storages. Download one in Proxmox (Storage → CT Templates) and reload.`}
                </p>
              ) : (
                <div className="grid max-h-96 grid-cols-1 gap-2 overflow-y-auto sm:grid-cols-2">
                  {catalog.data?.items.map((c) => (
                    <label key={c.id} className={radio(template === c.id)}>
                      <span className="flex items-center gap-2 font-medium">
                        <input
                          type="radio"
                          name="template"
                          value={c.id}
                          checked={template === c.id}
                          disabled={!c.launchable}
                          onChange={() => setTemplate(c.id)}
                          className="accent-primary"
                        />
                        <span className="capitalize">{c.os}</span> {c.version ?? ''}
                        <Badge className="ml-auto">{kindLabel[c.kind]}</Badge>
                      </span>
                      <span className="truncate font-mono text-xs text-muted" title={c.id}>
                        {c.id}
                      </span>
                      <span className="text-xs text-muted">
                        {c.source} · {formatBytes(c.sizeBytes)}
                      </span>
                      {c.note ? (
                        <span className="text-xs text-amber-800 dark:text-amber-300">{c.note}</span>
                      ) : null}
                    </label>
                  ))}
                </div>
              )}
              {type === 'vm' && otherIsos.length ? (
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer text-muted">
                    {otherIsos.length} ISO image{otherIsos.length === 1 ? '' : 's'} (not launchable yet)
                  </summary>
                  <ul className="mt-2 flex flex-col gap-1 font-mono text-xs text-muted">
                    {otherIsos.map((i) => (
                      <li key={i.id}>{i.name}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {show(errors.template) ? (
                <p className="mt-2 text-sm text-red-700 dark:text-red-400">{errors.template}</p>
              ) : null}
            </fieldset>
          </Section>

          <Section n={3} title="Size">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Select
                label="Instance size"
                value={preset}
                onChange={(e) => {
                  setPreset(e.target.value);
                  if (e.target.value === 'custom' && presetInfo) {
                    setVcpu(presetInfo.vcpu);
                    setMemory(presetInfo.memory);
                  }
                }}
                options={[
                  ...(types.data?.items ?? []).map((t) => ({
                    value: t.name,
                    label: `${t.name} · ${t.vcpu} vCPU · ${formatMiB(t.memory)}`,
                  })),
                  { value: 'custom', label: 'Custom vCPU and memory' },
                ]}
              />
              <Input
                label="Root disk (GiB)"
                type="number"
                min={1}
                max={16384}
                value={disk === '' ? String(eff.sizeGib) : disk}
                onChange={(e) => setDisk(e.target.value === '' ? '' : Number(e.target.value))}
                error={errors.disk}
              />
              {preset === 'custom' ? (
                <>
                  <Input
                    label="vCPUs"
                    type="number"
                    min={1}
                    max={128}
                    value={vcpu}
                    onChange={(e) => setVcpu(Number(e.target.value))}
                    error={errors.vcpu}
                  />
                  <Input
                    label="Memory (MiB)"
                    type="number"
                    min={128}
                    step={128}
                    value={memory}
                    onChange={(e) => setMemory(Number(e.target.value))}
                    error={errors.memory}
                  />
                </>
              ) : null}
            </div>
          </Section>

          <Section n={4} title="Placement and network">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
              <Select
                label="Node"
                value={node}
                onChange={(e) => setNode(e.target.value)}
                options={[
                  { value: '', label: 'Automatic (most free)' },
                  ...nodes.map((n) => ({ value: n, label: n })),
                ]}
              />
              <Input
                label="Storage pool"
                value={storage}
                placeholder="default"
                onChange={(e) => setStorage(e.target.value)}
                error={errors.storage}
                hint="Proxmox storage for the root disk."
              />
              <Input
                label="Network bridge"
                value={bridge}
                onChange={(e) => setBridge(e.target.value)}
                error={errors.bridge}
                hint="DHCP on this bridge."
              />
            </div>
          </Section>

          <Section n={5} title="Key pairs" hint="Public keys put in the instance so you can log in with SSH.">
            {myKeys.length ? (
              <fieldset className="min-w-0">
                <legend className="sr-only">Key pairs</legend>
                <ul className="flex flex-col gap-2">
                  {myKeys.map((k) => (
                    <li key={k.id}>
                      <label className="flex min-w-0 items-center gap-2 text-sm">
                        <input
                          type="checkbox"
                          className="size-4 accent-primary"
                          checked={keys.includes(k.id)}
                          onChange={(e) =>
                            setKeys(e.target.checked ? [...keys, k.id] : keys.filter((x) => x !== k.id))
                          }
                        />
                        <span className="font-medium">{k.name}</span>
                        <span className="min-w-0 truncate font-mono text-xs text-muted">{k.fingerprint}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            ) : keyList.isPending ? (
              <Skeleton className="h-6 w-48" />
            ) : (
              <p className="text-sm text-muted">
                You have no key pairs yet. Without one you cannot log in with SSH.
              </p>
            )}
            {can('key_pairs:create') ? (
              <div>
                <Button size="sm" icon={<PlusIcon />} onClick={() => setCreatingKey(true)}>
                  Create key pair
                </Button>
              </div>
            ) : null}
          </Section>

          <Section n={6} title="Advanced (optional)">
            <div className="flex flex-col gap-1.5">
              <label htmlFor="user-data" className="text-sm font-medium">
                Cloud-init user-data
              </label>
              <textarea
                id="user-data"
                rows={4}
                value={userData}
                onChange={(e) => setUserData(e.target.value)}
                aria-describedby="user-data-help"
                className="block w-full rounded-md border border-line-strong bg-panel px-3 py-2 font-mono text-xs shadow-sm focus-visible:outline-2 focus-visible:outline-ring"
                placeholder="#cloud-config"
                disabled={type === 'lxc'}
              />
              <p
                id="user-data-help"
                className={cx(
                  'text-xs',
                  errors.userData || userDataApiError ? 'text-red-700 dark:text-red-400' : 'text-muted',
                )}
              >
                {type === 'lxc'
                  ? 'Containers do not run cloud-init.'
                  : (errors.userData ??
                    userDataApiError ??
                    'VMs only. Starts with #cloud-config, #!, #cloud-boothook or #include (at most 64 KiB); merged with the login user, your key pairs and the hostname.')}
              </p>
            </div>
            <div className="flex flex-col gap-1.5">
              <label htmlFor="tags" className="text-sm font-medium">
                Tags
              </label>
              <textarea
                id="tags"
                rows={3}
                value={tagText}
                onChange={(e) => setTagText(e.target.value)}
                aria-describedby="tags-help"
                className="block w-full rounded-md border border-line-strong bg-panel px-3 py-2 font-mono text-xs shadow-sm focus-visible:outline-2 focus-visible:outline-ring"
                placeholder={'env=dev\nowner=me'}
              />
              <p
                id="tags-help"
                className={cx('text-xs', errors.tags ? 'text-red-700 dark:text-red-400' : 'text-muted')}
              >
                {errors.tags ?? 'One key=value per line (at most 20).'}
              </p>
            </div>
          </Section>
        </div>

        <aside className="lg:sticky lg:top-4 lg:self-start">
          <Card title="Review">
            <dl className="flex flex-col gap-2 text-sm">
              {(
                [
                  ['Name', name || '—'],
                  ['Type', type === 'vm' ? 'Virtual machine' : 'LXC container'],
                  ['Image', image ? `${image.os} ${image.version ?? ''}` : '—'],
                  ['Size', `${eff.vcpu} vCPU · ${formatMiB(eff.memory)} · ${eff.sizeGib} GiB`],
                  ['Node', node || 'Automatic'],
                  ['Storage', storage || 'Default'],
                  ['Bridge', bridge],
                  ['Key pairs', keys.length ? String(keys.length) : 'None'],
                ] as const
              ).map(([k, v]) => (
                <div key={k} className="flex justify-between gap-3">
                  <dt className="text-muted">{k}</dt>
                  <dd className="truncate text-right">{v}</dd>
                </div>
              ))}
            </dl>
            {quota.data ? (
              <div className="mt-4 border-t border-line pt-3 text-xs text-muted">
                <p className="mb-1 font-medium text-fg">Your quota after this launch</p>
                <QuotaLine
                  label="Instances"
                  used={quota.data.usage.instances + 1}
                  limit={quota.data.limits.instances}
                />
                <QuotaLine
                  label="vCPUs"
                  used={quota.data.usage.vcpu + eff.vcpu}
                  limit={quota.data.limits.vcpu}
                />
                <QuotaLine
                  label="Memory"
                  used={quota.data.usage.memory + eff.memory}
                  limit={quota.data.limits.memory}
                  fmt={formatMiB}
                />
                <QuotaLine
                  label="Disk"
                  used={quota.data.usage.diskGib + eff.sizeGib}
                  limit={quota.data.limits.diskGib}
                  fmt={(n) => `${n} GiB`}
                />
              </div>
            ) : null}
            {quotaProblems.length ? (
              <Alert title="Over your quota" className="mt-3">
                <ul className="list-disc pl-4 text-xs">
                  {quotaProblems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            {submitError ? (
              <Alert title="Could not launch" className="mt-3">
                {describeError(submitError)}
              </Alert>
            ) : null}
            {touched && invalid && !quotaProblems.length ? (
              <p className="mt-3 text-sm text-red-700 dark:text-red-400">Fix the highlighted fields first.</p>
            ) : null}
            <Button type="submit" variant="primary" className="mt-4 w-full" loading={submitting}>
              Launch instance
            </Button>
          </Card>
        </aside>
      </form>
      <CreateKeyPairDialog
        open={creatingKey}
        onClose={() => setCreatingKey(false)}
        onCreated={(k) => setKeys((ks) => [...ks, k.id])}
      />
    </>
  );
}

function QuotaLine({
  label,
  used,
  limit,
  fmt = (n) => String(n),
}: {
  label: string;
  used: number;
  limit: number | null;
  fmt?: (n: number) => string;
}) {
  const over = limit !== null && used > limit;
  return (
    <p className={cx('flex justify-between', over && 'font-medium text-red-700 dark:text-red-400')}>
      <span>{label}</span>
      <span className="tabular-nums">
        {fmt(used)} / {limit === null ? 'unlimited' : fmt(limit)}
      </span>
    </p>
  );
}
