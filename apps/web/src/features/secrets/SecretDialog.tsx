import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  ConfirmDialog,
  CopyableId,
  copyText,
  Dialog,
  Input,
  Select,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import {
  type Grant,
  policyQuery,
  type Secret,
  showValue,
  useDeleteSecret,
  usePutPolicy,
  usePutSecret,
  useRestoreSecret,
  useRevealSecret,
  versionsQuery,
} from './api.ts';

type Tab = 'value' | 'versions' | 'policy';

/** One secret: reveal (audited) and copy, new version, versions, policy, delete/restore. */
export function SecretDialog({ secret, onClose }: { secret: Secret; onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('value');
  const toast = useToast();
  const del = useDeleteSecret();
  const restore = useRestoreSecret();
  const [confirming, setConfirming] = useState(false);
  const tabs: [Tab, string][] = [
    ['value', 'Value'],
    ['versions', 'Versions'],
    ['policy', 'Access policy'],
  ];
  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={secret.name}
      description={secret.description || undefined}
      footer={
        <>
          {secret.canManage && !secret.deletedAt ? (
            <Button disabled={del.isPending} onClick={() => setConfirming(true)}>
              Delete…
            </Button>
          ) : null}
          {secret.canManage && secret.deletedAt ? (
            <Button
              disabled={restore.isPending}
              onClick={() =>
                restore.mutate(secret.id, { onSuccess: () => toast.success('Secret restored', secret.name) })
              }
            >
              Restore
            </Button>
          ) : null}
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <CopyableId value={secret.id} label={`id of ${secret.name}`} />
          <Badge>v{secret.currentVersion}</Badge>
          <Badge>{secret.access}</Badge>
          {secret.deletedAt ? (
            <Badge tone="red">deleted · purged {formatDateTime(secret.purgeAt!)}</Badge>
          ) : null}
        </div>
        {del.error || restore.error ? (
          <Alert title="Could not change the secret">{describeError(del.error ?? restore.error)}</Alert>
        ) : null}
        <div role="tablist" aria-label="Secret" className="flex gap-1 border-b border-line">
          {tabs.map(([t, label]) => (
            <button
              key={t}
              role="tab"
              type="button"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={`-mb-px border-b-2 px-3 py-1.5 ${tab === t ? 'border-primary font-medium' : 'border-transparent text-muted'}`}
            >
              {label}
            </button>
          ))}
        </div>
        {tab === 'value' ? <ValueTab secret={secret} /> : null}
        {tab === 'versions' ? <VersionsTab secret={secret} /> : null}
        {tab === 'policy' ? <PolicyTab secret={secret} /> : null}
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete secret ${secret.name}?`}
        confirmLabel="Schedule deletion"
        pending={del.isPending}
        error={del.error}
        onConfirm={() =>
          del.mutate(
            { id: secret.id },
            {
              onSuccess: () => {
                setConfirming(false);
                toast.success('Secret scheduled for deletion', `${secret.name} · restorable for 7 days`);
              },
            },
          )
        }
      >
        <p>
          Its values can no longer be read, and instances using it fail to start. You can restore it for 7
          days; after that it is gone for good (<code>proxicloud secrets delete --force</code> deletes at
          once).
        </p>
      </ConfirmDialog>
    </Dialog>
  );
}

function ValueTab({ secret }: { secret: Secret }) {
  const reveal = useRevealSecret();
  const put = usePutSecret();
  const toast = useToast();
  const [next, setNext] = useState('');
  const shown = reveal.data;
  return (
    <div className="flex flex-col gap-3">
      {secret.deletedAt ? (
        <Alert tone="warning" title="Scheduled for deletion">
          Restore it to read or change the value.
        </Alert>
      ) : null}
      {!secret.canReadValue ? (
        <p className="text-muted">
          Your role may see this secret’s name but not its value. Ask its owner for a read grant.
        </p>
      ) : shown ? (
        <div className="flex flex-col gap-2">
          <section aria-label="Secret value">
            <pre className="max-h-64 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-800">
              {showValue(shown)}
            </pre>
          </section>
          <div className="flex gap-2">
            <Button
              size="sm"
              onClick={() => copyText(showValue(shown)).then(() => toast.success('Value copied'))}
            >
              Copy value
            </Button>
            <Button size="sm" onClick={() => reveal.reset()}>
              Hide
            </Button>
            <span className="self-center text-xs text-muted">
              version {shown.version} · {shown.encoding}
            </span>
          </div>
        </div>
      ) : (
        <div className="flex items-center gap-3">
          <Button
            disabled={reveal.isPending || !!secret.deletedAt}
            onClick={() => reveal.mutate({ id: secret.id })}
          >
            Reveal value
          </Button>
          <span className="text-xs text-muted">Revealing is recorded in the audit log with your name.</span>
        </div>
      )}
      {reveal.error ? <Alert title="Could not read the value">{describeError(reveal.error)}</Alert> : null}
      {secret.canManage && !secret.deletedAt ? (
        <form
          className="mt-2 flex flex-col gap-2 border-t border-line pt-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!next) return;
            put.mutate(
              { id: secret.id, value: next, expectedVersion: secret.currentVersion },
              {
                onSuccess: (s) => {
                  setNext('');
                  reveal.reset();
                  toast.success('New version stored', `${s.name} · version ${s.currentVersion}`);
                },
              },
            );
          }}
        >
          <label htmlFor="secret-next-value" className="font-medium">
            New version
          </label>
          <textarea
            id="secret-next-value"
            rows={3}
            value={next}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setNext(e.target.value)}
            className="block w-full rounded-md border border-line-strong bg-panel px-3 py-2 font-mono text-xs text-fg shadow-sm"
          />
          {put.error ? <Alert title="Could not store the version">{describeError(put.error)}</Alert> : null}
          <div>
            <Button type="submit" disabled={!next || put.isPending}>
              Save as version {secret.currentVersion + 1}
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function VersionsTab({ secret }: { secret: Secret }) {
  const versions = useQuery(versionsQuery(secret.id));
  const reveal = useRevealSecret();
  if (versions.error) return <Alert title="Could not load versions">{describeError(versions.error)}</Alert>;
  return (
    <div className="flex flex-col gap-2">
      <ul className="divide-y divide-line">
        {(versions.data?.items ?? []).map((v) => (
          <li key={v.version} className="flex flex-wrap items-center gap-3 py-2">
            <span className="font-medium">v{v.version}</span>
            {v.current ? <Badge tone="green">current</Badge> : null}
            <span className="text-muted">
              {v.sizeBytes} B · {v.encoding} · {formatDateTime(v.createdAt)}
            </span>
            {secret.canReadValue && !secret.deletedAt ? (
              <Button
                size="sm"
                className="ml-auto"
                onClick={() => reveal.mutate({ id: secret.id, version: v.version })}
              >
                Reveal v{v.version}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {reveal.data ? (
        <section aria-label={`Value of version ${reveal.data.version}`}>
          <pre className="max-h-48 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-800">
            {showValue(reveal.data)}
          </pre>
        </section>
      ) : null}
      {reveal.error ? <Alert title="Could not read the value">{describeError(reveal.error)}</Alert> : null}
    </div>
  );
}

function PolicyTab({ secret }: { secret: Secret }) {
  const policy = useQuery(policyQuery(secret.id));
  const save = usePutPolicy();
  const toast = useToast();
  const [draft, setDraft] = useState<Grant[] | null>(null);
  const [principal, setPrincipal] = useState('');
  const [access, setAccess] = useState<'read' | 'manage'>('read');
  const grants = draft ?? policy.data?.grants ?? [];
  const editable = secret.canManage;
  if (policy.error) return <Alert title="Could not load the policy">{describeError(policy.error)}</Alert>;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-muted">
        The owner and admins always have access. Grant <b>read</b> (the value) or <b>manage</b> (new versions,
        delete, this policy) to <code>user:&lt;id&gt;</code>, <code>role:operator</code>,{' '}
        <code>instance:&lt;id&gt;</code> or <code>function:&lt;id&gt;</code>.
      </p>
      {grants.length === 0 ? <p className="text-muted">No grants: only the owner and admins.</p> : null}
      <ul className="divide-y divide-line">
        {grants.map((g) => (
          <li key={g.principal} className="flex items-center gap-3 py-2">
            <code className="font-mono text-xs">{g.principal}</code>
            <Badge>{g.access}</Badge>
            {editable ? (
              <Button
                size="sm"
                className="ml-auto"
                aria-label={`Remove ${g.principal}`}
                onClick={() => setDraft(grants.filter((x) => x.principal !== g.principal))}
              >
                Remove
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <>
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-56 grow">
              <Input
                label="Principal"
                value={principal}
                onChange={(e) => setPrincipal(e.target.value.trim())}
                placeholder="role:readonly"
              />
            </div>
            <Select
              label="Access"
              value={access}
              onChange={(e) => setAccess(e.target.value as 'read' | 'manage')}
              options={[
                { value: 'read', label: 'read' },
                { value: 'manage', label: 'manage' },
              ]}
            />
            <Button
              disabled={!/^(user|role|instance|function):.+$/.test(principal)}
              onClick={() => {
                setDraft([...grants.filter((x) => x.principal !== principal), { principal, access }]);
                setPrincipal('');
              }}
            >
              Add grant
            </Button>
          </div>
          {save.error ? <Alert title="Could not save the policy">{describeError(save.error)}</Alert> : null}
          <div>
            <Button
              variant="primary"
              disabled={draft === null || save.isPending}
              onClick={() =>
                save.mutate(
                  { id: secret.id, grants },
                  {
                    onSuccess: () => {
                      setDraft(null);
                      void policy.refetch();
                      toast.success('Policy saved', secret.name);
                    },
                  },
                )
              }
            >
              Save policy
            </Button>
          </div>
        </>
      ) : null}
    </div>
  );
}
