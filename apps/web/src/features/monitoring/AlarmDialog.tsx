// Create or edit an alarm. Editing keeps the resource and metric (they define what the history
// means); name, condition, duration and channels change. "New channel" opens the channel dialog
// (rendered by the page, outside this form) and selects the new channel here.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Alert, Button, Dialog, DialogActions, Input, Select, useToast } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import {
  type Alarm,
  type AlarmMetric,
  bucketOptionsQuery,
  COMPARISONS,
  channelsQuery,
  instanceOptionsQuery,
  METRIC_UNITS,
  nodesQuery,
  RESOURCE_METRICS,
  type ResourceType,
  useCreateAlarm,
  useUpdateAlarm,
  volumeOptionsQuery,
} from './api.ts';

export interface AlarmDialogProps {
  open: boolean;
  /** null: create */
  alarm: Alarm | null;
  onClose: () => void;
  onNewChannel: () => void;
  /** a channel just created from this dialog: selected */
  addedChannelId: string | null;
}

export function AlarmDialog({ open, alarm, onClose, onNewChannel, addedChannelId }: AlarmDialogProps) {
  const editing = alarm !== null;
  const instances = useQuery({ ...instanceOptionsQuery(), enabled: open && !editing });
  const nodes = useQuery({ ...nodesQuery(), enabled: open && !editing });
  const volumes = useQuery({ ...volumeOptionsQuery(), enabled: open && !editing });
  const buckets = useQuery({ ...bucketOptionsQuery(), enabled: open && !editing });
  const channels = useQuery({ ...channelsQuery(), enabled: open });
  const create = useCreateAlarm();
  const update = useUpdateAlarm();
  const mutation = editing ? update : create;
  const toast = useToast();
  const [name, setName] = useState('');
  const [resource, setResource] = useState('');
  const [metric, setMetric] = useState<AlarmMetric>('cpu');
  const [comparison, setComparison] = useState<(typeof COMPARISONS)[number]>('>');
  const [threshold, setThreshold] = useState('80');
  const [minutes, setMinutes] = useState('5');
  const [channelIds, setChannelIds] = useState<string[]>([]);

  // fill the form when it opens (edit: the alarm's values; create: defaults)
  useEffect(() => {
    if (!open) return;
    setName(alarm?.name ?? '');
    setResource(alarm ? `${alarm.resourceType}:${alarm.resourceId}` : '');
    setMetric((alarm?.metric as AlarmMetric) ?? 'cpu');
    setComparison(alarm?.comparison ?? '>');
    setThreshold(alarm ? String(alarm.threshold) : '80');
    setMinutes(alarm ? String(alarm.durationSeconds / 60) : '5');
    setChannelIds(alarm?.channelIds ?? []);
  }, [open, alarm]);
  useEffect(() => {
    if (addedChannelId)
      setChannelIds((ids) => (ids.includes(addedChannelId) ? ids : [...ids, addedChannelId]));
  }, [addedChannelId]);

  const sep = resource.indexOf(':');
  const type = (sep > 0 ? resource.slice(0, sep) : 'instance') as ResourceType;
  const id = sep > 0 ? resource.slice(sep + 1) : '';
  const metrics = RESOURCE_METRICS[type];
  // a resource of another type may not have the chosen metric: take its first
  useEffect(() => {
    if (!editing && !metrics.includes(metric)) setMetric(metrics[0]!);
  }, [editing, metrics, metric]);

  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };
  const common = {
    name,
    comparison,
    threshold: Number(threshold),
    durationSeconds: Math.round(Number(minutes) * 60),
    channelIds,
  };
  const submit = () => {
    if (alarm)
      update.mutate(
        { id: alarm.id, body: common },
        {
          onSuccess: () => {
            toast.success(`Alarm ${name} saved`);
            close();
          },
        },
      );
    else
      create.mutate(
        { ...common, resourceType: type, resourceId: id, metric },
        {
          onSuccess: (a) => {
            toast.success(`Alarm ${a.name} created`);
            close();
          },
        },
      );
  };
  const resourceOptions = [
    { value: '', label: 'Choose an instance, node, volume or bucket…' },
    ...(instances.data?.items ?? [])
      .filter((i) => i.status !== 'terminated')
      .map((i) => ({ value: `instance:${i.id}`, label: `Instance ${i.name} (${i.id})` })),
    ...(nodes.data?.items ?? []).map((n) => ({ value: `node:${n.node}`, label: `Node ${n.node}` })),
    ...(volumes.data?.items ?? [])
      .filter((v) => v.status !== 'deleted')
      .map((v) => ({ value: `volume:${v.id}`, label: `Volume ${v.name} (${v.id})` })),
    ...(buckets.data?.items ?? []).map((b) => ({ value: `bucket:${b.name}`, label: `Bucket ${b.name}` })),
  ];
  return (
    <Dialog
      open={open}
      onClose={close}
      title={alarm ? `Edit alarm ${alarm.name}` : 'Create alarm'}
      description="It fires when the metric breaches the threshold for the whole duration, and notifies the channels on every state change."
      onSubmit={submit}
      dismissible={!mutation.isPending}
      footer={
        <DialogActions
          onCancel={close}
          pending={mutation.isPending}
          submitLabel={alarm ? 'Save alarm' : 'Create alarm'}
          submitDisabled={!name || !resource || threshold === '' || minutes === ''}
        />
      }
    >
      <div className="flex flex-col gap-3">
        {mutation.error ? (
          <Alert title={alarm ? 'Could not save the alarm' : 'Could not create the alarm'}>
            {describeError(mutation.error)}
          </Alert>
        ) : null}
        <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
        {alarm ? (
          <p className="text-sm">
            <span className="text-muted">Resource and metric: </span>
            {alarm.resourceType} {alarm.resourceName ?? alarm.resourceId}, {alarm.metric}
          </p>
        ) : (
          <Select
            label="Resource"
            value={resource}
            onChange={(e) => setResource(e.target.value)}
            required
            options={resourceOptions}
          />
        )}
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          {alarm ? null : (
            <Select
              label="Metric"
              value={metric}
              onChange={(e) => setMetric(e.target.value as AlarmMetric)}
              options={metrics.map((m) => ({ value: m, label: m }))}
            />
          )}
          <Select
            label="Comparison"
            value={comparison}
            onChange={(e) => setComparison(e.target.value as typeof comparison)}
            options={COMPARISONS.map((c) => ({ value: c, label: c }))}
          />
          <Input
            label={`Threshold (${METRIC_UNITS[metric]})`}
            type="number"
            step="any"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            required
          />
        </div>
        <Input
          label="Duration (minutes)"
          type="number"
          min={0.5}
          max={30}
          step="0.5"
          hint="Between 10 seconds and 30 minutes (samples are kept 30 minutes; volumes and buckets are sampled every minute)."
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          required
        />
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 font-medium">Notify</legend>
          {(channels.data?.items ?? []).length === 0 ? (
            <p className="text-muted">No channels yet.</p>
          ) : (
            channels.data?.items.map((c) => (
              <label key={c.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={channelIds.includes(c.id)}
                  onChange={(e) =>
                    setChannelIds((ids) =>
                      e.target.checked ? [...ids, c.id] : ids.filter((x) => x !== c.id),
                    )
                  }
                />
                {c.name} <span className="text-muted">({c.type})</span>
              </label>
            ))
          )}
          <span>
            <Button size="sm" onClick={onNewChannel}>
              New channel…
            </Button>
          </span>
        </fieldset>
      </div>
    </Dialog>
  );
}
