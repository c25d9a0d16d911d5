import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Dialog, DialogActions, Input, Select, useToast } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { instancesQuery } from '../instances/api.ts';
import { volumesQuery } from '../volumes/api.ts';
import {
  type BackupPolicy,
  type PolicyBody,
  type Retention,
  retentionPreviewQuery,
  schedulePreviewQuery,
  useSavePolicy,
} from './api.ts';
import { ChannelPicker } from './ChannelPicker.tsx';

const PRESETS = [
  { value: 'daily', label: 'Daily at 03:00' },
  { value: 'weekly', label: 'Weekly, Sunday 03:00' },
  { value: 'monthly', label: 'Monthly, on the 1st at 03:00' },
  { value: 'custom', label: 'Custom (cron expression)' },
];
const KEEP: [keyof Retention, string][] = [
  ['keepLast', 'Last'],
  ['keepDaily', 'Daily'],
  ['keepWeekly', 'Weekly'],
  ['keepMonthly', 'Monthly'],
  ['keepYearly', 'Yearly'],
];

type Target = PolicyBody['targets'][number];

/** Create or edit a policy: schedule picker with its next runs, targets, retention with a preview. */
export function PolicyEditor({
  policy,
  open,
  onClose,
}: {
  policy: BackupPolicy | null;
  open: boolean;
  onClose: () => void;
}) {
  const save = useSavePolicy();
  const toast = useToast();
  const preset =
    policy && ['daily', 'weekly', 'monthly'].includes(policy.schedule)
      ? policy.schedule
      : policy
        ? 'custom'
        : 'daily';
  const [name, setName] = useState(policy?.name ?? '');
  const [kind, setKind] = useState(preset);
  const [cron, setCron] = useState(preset === 'custom' ? (policy?.schedule ?? '') : '0 2 * * *');
  const [timezone, setTimezone] = useState(
    policy?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
  );
  const [targets, setTargets] = useState<Target[]>(policy?.targets ?? []);
  const [tag, setTag] = useState('');
  const [mode, setMode] = useState<'snapshot' | 'suspend' | 'stop'>(policy?.mode ?? 'snapshot');
  const [retention, setRetention] = useState<Retention>(policy?.retention ?? { keepDaily: 7, keepWeekly: 4 });
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const [notifyOn, setNotifyOn] = useState<string[]>(policy?.notifyOn ?? ['failure']);
  const [channelIds, setChannelIds] = useState<string[]>(policy?.notifyChannelIds ?? []);
  const [zfsSend, setZfsSend] = useState(policy?.zfsSend ?? false);
  const schedule = kind === 'custom' ? cron : kind;
  const preview = useQuery(schedulePreviewQuery(useDebounced(schedule, 300), useDebounced(timezone, 300)));
  const keepPreview = useQuery(retentionPreviewQuery(useDebounced(retention, 300), timezone, policy?.id));
  const instances = useQuery(instancesQuery({ limit: 1000, offset: 0 }, false));
  const volumes = useQuery(volumesQuery({ limit: 1000, offset: 0 }, false));
  const has = (t: Target) => targets.some((x) => JSON.stringify(x) === JSON.stringify(t));
  const toggle = (t: Target) =>
    setTargets(has(t) ? targets.filter((x) => JSON.stringify(x) !== JSON.stringify(t)) : [...targets, t]);
  const close = () => {
    save.reset();
    onClose();
  };
  const body: PolicyBody = {
    name,
    schedule,
    timezone,
    targets,
    mode,
    retention,
    enabled,
    notifyChannelIds: channelIds,
    notifyOn: notifyOn as PolicyBody['notifyOn'],
    ...(zfsSend ? { zfsSend: true } : {}),
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title={policy ? `Edit ${policy.name}` : 'New backup policy'}
      description="Instances are backed up with Proxmox vzdump (zstd), volumes with ZFS snapshots."
      dismissible={!save.isPending}
      onSubmit={() =>
        save.mutate(
          { id: policy?.id, body },
          {
            onSuccess: (p) => {
              toast.success(policy ? 'Policy saved' : 'Policy created', p.name);
              close();
            },
          },
        )
      }
      footer={
        <DialogActions
          onCancel={close}
          pending={save.isPending}
          submitLabel={policy ? 'Save policy' : 'Create policy'}
        />
      }
    >
      <div className="flex flex-col gap-4">
        {save.error ? <Alert title="Could not save the policy">{describeError(save.error)}</Alert> : null}
        <Input
          label="Name"
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          placeholder="nightly"
        />
        <div className="grid gap-3 sm:grid-cols-2">
          <Select label="Schedule" value={kind} onChange={(e) => setKind(e.target.value)} options={PRESETS} />
          <Input
            label="Time zone"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            hint="IANA name, e.g. Europe/Berlin"
          />
        </div>
        {kind === 'custom' ? (
          <Input
            label="Cron expression"
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            hint="minute hour day month weekday"
          />
        ) : null}
        <div
          className="rounded-md border border-line p-3 text-sm"
          aria-live="polite"
          data-testid="schedule-preview"
        >
          {preview.error ? (
            <span className="text-red-700 dark:text-red-300">{describeError(preview.error)}</span>
          ) : preview.data ? (
            <>
              <p className="font-medium">{preview.data.description}</p>
              <p className="text-muted">
                Next runs: {preview.data.nextRuns.map((r) => formatDateTime(r)).join(' · ')}
              </p>
            </>
          ) : (
            <span className="text-muted">…</span>
          )}
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">What to back up</legend>
          <div className="max-h-40 overflow-auto rounded-md border border-line p-2 text-sm">
            {(instances.data?.items ?? []).map((i) => (
              <label key={i.id} className="flex items-center gap-2 py-0.5">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={has({ instanceId: i.id })}
                  onChange={() => toggle({ instanceId: i.id })}
                />
                Instance {i.name} <span className="font-mono text-xs text-muted">{i.id}</span>
              </label>
            ))}
            {(volumes.data?.items ?? []).map((v) => (
              <label key={v.id} className="flex items-center gap-2 py-0.5">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={has({ volumeId: v.id })}
                  onChange={() => toggle({ volumeId: v.id })}
                />
                Volume {v.name} <span className="font-mono text-xs text-muted">{v.id}</span>
              </label>
            ))}
            {targets
              .filter((t): t is { tag: string } => 'tag' in t)
              .map((t) => (
                <label key={t.tag} className="flex items-center gap-2 py-0.5">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked
                    onChange={() => toggle(t)}
                  />
                  Every instance tagged {t.tag}
                </label>
              ))}
          </div>
          <div className="flex items-end gap-2">
            <Input
              label="Or by tag"
              value={tag}
              onChange={(e) => setTag(e.target.value)}
              placeholder="backup=nightly"
            />
            <button
              type="button"
              className="mb-0.5 rounded-md border border-line px-3 py-1.5 text-sm"
              onClick={() => {
                if (tag.trim() && !has({ tag: tag.trim() })) setTargets([...targets, { tag: tag.trim() }]);
                setTag('');
              }}
            >
              Add tag
            </button>
          </div>
        </fieldset>
        <Select
          label="Instance backup mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as typeof mode)}
          options={[
            { value: 'snapshot', label: 'Snapshot (no downtime)' },
            { value: 'suspend', label: 'Suspend (short pause)' },
            { value: 'stop', label: 'Stop (consistent, downtime)' },
          ]}
        />
        <fieldset>
          <legend className="mb-1 text-sm font-medium">
            Keep (Proxmox prune rules; empty keeps everything)
          </legend>
          <div className="grid grid-cols-3 gap-2 sm:grid-cols-5">
            {KEEP.map(([k, label]) => (
              <Input
                key={k}
                label={label}
                type="number"
                min={1}
                value={retention[k] ?? ''}
                onChange={(e) =>
                  setRetention({ ...retention, [k]: e.target.value ? Number(e.target.value) : undefined })
                }
              />
            ))}
          </div>
          {keepPreview.data ? (
            <p className="mt-2 text-sm text-muted" data-testid="retention-preview">
              These {keepPreview.data.kept} of the current {keepPreview.data.total} backups would be kept.
            </p>
          ) : null}
        </fieldset>
        {targets.some((t) => 'volumeId' in t) ? (
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-primary"
              checked={zfsSend}
              onChange={(e) => setZfsSend(e.target.checked)}
            />
            <span>
              Also copy volume snapshots to the backup dataset (zfs send)
              <span className="block text-muted">
                The copies stay restorable after the volume is deleted. An admin sets the dataset.
              </span>
            </span>
          </label>
        ) : null}
        <ChannelPicker value={channelIds} onChange={setChannelIds} />
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 text-sm font-medium">Notify on</legend>
          {(['failure', 'success', 'missed'] as const).map((e) => (
            <label key={e} className="flex items-center gap-2">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={notifyOn.includes(e)}
                onChange={() =>
                  setNotifyOn(notifyOn.includes(e) ? notifyOn.filter((x) => x !== e) : [...notifyOn, e])
                }
              />
              {e}
            </label>
          ))}
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
          />
          Enabled (runs on schedule)
        </label>
      </div>
    </Dialog>
  );
}
