import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Badge, Button, ConfirmDialog, Dialog, useToast } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import {
  actionLabels,
  formatMiB,
  type Instance,
  type InstanceAction,
  type Operation,
  operationQuery,
  statusLabel,
  statusTone,
  useInstanceAction,
} from './api.ts';

export function StatusBadge({ status }: { status: Instance['status'] }) {
  return (
    <Badge tone={statusTone[status]} dot>
      {statusLabel(status)}
    </Badge>
  );
}

/** A thin bar with the share used; `label` names it for screen readers. */
export function UsageBar({ value, label, text }: { value: number; label: string; text: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  const tone = pct >= 90 ? 'bg-red-600' : pct >= 70 ? 'bg-amber-500' : 'bg-primary';
  return (
    <div className="flex min-w-16 flex-col gap-1">
      <span className="text-xs tabular-nums text-muted">{text}</span>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> cannot be themed consistently */}
      <div
        role="meter"
        aria-label={label}
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
        className="h-1.5 w-full overflow-hidden rounded-full bg-panel-muted"
      >
        <div className={`h-full ${tone}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

const actionVerb: Record<string, string> = {
  'instance.launch': 'Launching',
  'instance.start': 'Starting',
  'instance.stop': 'Stopping',
  'instance.reboot': 'Rebooting',
  'instance.terminate': 'Terminating',
  'volume.attach': 'Attaching',
  'volume.detach': 'Detaching',
};

/** Progress of a running operation (followed through events; polled while it runs). */
export function OperationProgress({ id, compact = false }: { id: string; compact?: boolean }) {
  const op = useQuery(operationQuery(id));
  if (!op.data) return <span className="text-xs text-muted">Working…</span>;
  const o = op.data;
  if (o.status === 'failed') return <OperationFailure op={o} />;
  if (o.status === 'succeeded') return null;
  const current = o.steps.find((s) => s.status === 'running');
  return (
    <div className="flex min-w-32 flex-col gap-1" aria-live="polite">
      <span className="text-xs text-muted">
        {actionVerb[o.action] ?? o.action} · {o.progress}%{!compact && current ? ` · ${current.title}` : ''}
      </span>
      <div
        role="progressbar"
        aria-label={`${actionVerb[o.action] ?? o.action} progress`}
        aria-valuenow={o.progress}
        aria-valuemin={0}
        aria-valuemax={100}
        className="h-1.5 w-full overflow-hidden rounded-full bg-panel-muted"
      >
        <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${o.progress}%` }} />
      </div>
    </div>
  );
}

/** What went wrong in plain words, with the Proxmox task log one click away. */
export function OperationFailure({ op }: { op: Operation }) {
  const [open, setOpen] = useState(false);
  const err = op.error;
  const log = err?.details?.log;
  const logText = Array.isArray(log) ? log.join('\n') : typeof log === 'string' ? log : null;
  return (
    <div className="flex flex-col items-start gap-1">
      <span className="text-xs text-red-700 dark:text-red-400">
        {err?.message ?? op.message ?? 'The operation failed.'}
      </span>
      <Button size="sm" variant="ghost" className="-ml-3 h-6 text-xs" onClick={() => setOpen(true)}>
        {logText ? 'View Proxmox task log' : 'Details'}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        size="lg"
        title={`${actionVerb[op.action] ?? op.action} failed`}
        description={err?.message}
        footer={
          <Button variant="primary" onClick={() => setOpen(false)}>
            Close
          </Button>
        }
      >
        <dl className="mb-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted">Operation</dt>
          <dd className="font-mono text-xs">{op.id}</dd>
          <dt className="text-muted">Error code</dt>
          <dd className="font-mono text-xs">{err?.code ?? '—'}</dd>
          {err?.details?.upid ? (
            <>
              <dt className="text-muted">Proxmox task</dt>
              <dd className="font-mono text-xs break-all">{String(err.details.upid)}</dd>
            </>
          ) : null}
        </dl>
        <pre className="max-h-80 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100">
          {logText ?? 'Proxmox returned no task log for this failure.'}
        </pre>
      </Dialog>
    </div>
  );
}

const consequences: Record<InstanceAction, (i: Instance) => string> = {
  start: () => 'It boots and starts using its vCPUs and memory.',
  stop: () => 'The guest is asked to shut down; after 60 seconds it is powered off.',
  reboot: () => 'The guest restarts; running programs are interrupted.',
  terminate: (i) =>
    `Destroys the ${i.type === 'vm' ? 'virtual machine' : 'container'} and its ${i.sizeGib} GiB root disk. Attached volumes are detached and kept.`,
};

/** Confirms a start/stop/reboot/terminate of one or more instances, naming each of them. */
export function ActionDialog({
  action,
  instances,
  onClose,
}: {
  action: InstanceAction | null;
  instances: Instance[];
  onClose: () => void;
}) {
  const run = useInstanceAction();
  const toast = useToast();
  const [failures, setFailures] = useState<string[]>([]);
  const close = () => {
    run.reset();
    setFailures([]);
    onClose();
  };
  const label = action ? actionLabels[action] : '';
  const n = instances.length;
  const what = n === 1 ? instances[0]!.name : `${n} instances`;
  const danger = action === 'terminate' || action === 'stop';
  return (
    <ConfirmDialog
      open={action !== null && n > 0}
      onClose={close}
      size="md"
      title={`${label} ${what}?`}
      tone={danger ? 'danger' : 'primary'}
      confirmLabel={`${label} ${n === 1 ? 'instance' : `${n} instances`}`}
      // Terminating cannot be undone: type the instance's name (or how many) first.
      confirmText={
        action === 'terminate' ? (n === 1 ? instances[0]!.name : `terminate ${n} instances`) : undefined
      }
      hideConfirm={failures.length > 0}
      cancelLabel={failures.length ? 'Close' : 'Cancel'}
      pending={run.isPending}
      onConfirm={() =>
        action &&
        run.mutate(
          { action, instances },
          {
            onSuccess: (results) => {
              const failed = results.flatMap((r, i) =>
                r.status === 'rejected' ? [`${instances[i]!.name}: ${describeError(r.reason)}`] : [],
              );
              if (failed.length === 0) {
                toast.success(`${label} requested`, n === 1 ? instances[0]!.name : `${n} instances`);
                close();
              } else setFailures(failed);
            },
          },
        )
      }
    >
      {failures.length ? (
        <Alert
          title={`${failures.length} of ${n} could not be ${action === 'stop' ? 'stopped' : `${action}ed`}`}
        >
          <ul className="list-disc pl-5">
            {failures.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {action === 'terminate' ? (
        <Alert tone="warning" title="This cannot be undone">
          Terminated instances and their root disks are gone for good.
        </Alert>
      ) : null}
      <ul className="divide-y divide-line rounded-md border border-line">
        {instances.map((i) => (
          <li key={i.id} className="flex flex-col gap-0.5 px-3 py-2">
            <span className="font-medium">
              {i.name} <span className="font-mono text-xs text-muted">{i.id}</span>
            </span>
            <span className="text-xs text-muted">
              {i.type === 'vm' ? 'VM' : 'LXC'} · {i.vcpu} vCPU · {formatMiB(i.memory)} ·{' '}
              {action ? consequences[action](i) : ''}
            </span>
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
