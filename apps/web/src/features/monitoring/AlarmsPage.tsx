// /monitoring/alarms: threshold alarms (state, history, silence, delete) and the notification
// channels they send to.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  type BadgeTone,
  Button,
  type Column,
  ConfirmDialog,
  Dialog,
  DialogActions,
  Input,
  PageHeader,
  Select,
  Table,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import {
  ALARM_METRICS,
  type Alarm,
  alarmHistoryQuery,
  alarmsQuery,
  COMPARISONS,
  channelsQuery,
  instanceOptionsQuery,
  nodesQuery,
  useCreateAlarm,
  useDeleteAlarm,
  useUpdateAlarm,
} from './api.ts';
import { ChannelsSection } from './ChannelsSection.tsx';

const stateTone: Record<Alarm['state'], BadgeTone> = {
  OK: 'green',
  ALARM: 'red',
  INSUFFICIENT_DATA: 'amber',
};
const stateLabel: Record<Alarm['state'], string> = {
  OK: 'OK',
  ALARM: 'ALARM',
  INSUFFICIENT_DATA: 'Insufficient data',
};

const silenced = (a: Alarm) => a.silencedUntil !== null && Date.parse(a.silencedUntil) > Date.now();

function CreateAlarmDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const instances = useQuery({ ...instanceOptionsQuery(), enabled: open });
  const nodes = useQuery({ ...nodesQuery(), enabled: open });
  const channels = useQuery({ ...channelsQuery(), enabled: open });
  const create = useCreateAlarm();
  const toast = useToast();
  const [name, setName] = useState('');
  const [resource, setResource] = useState('');
  const [metric, setMetric] = useState<(typeof ALARM_METRICS)[number]>('cpu');
  const [comparison, setComparison] = useState<(typeof COMPARISONS)[number]>('>');
  const [threshold, setThreshold] = useState('80');
  const [minutes, setMinutes] = useState('5');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [type, id] = resource.split(':', 2) as ['instance' | 'node', string];
  const isRate = !['cpu', 'memory', 'diskUsed'].includes(metric);
  const close = () => {
    create.reset();
    onClose();
  };
  const submit = () =>
    create.mutate(
      {
        name,
        resourceType: type,
        resourceId: id,
        metric,
        comparison,
        threshold: Number(threshold),
        durationSeconds: Math.round(Number(minutes) * 60),
        channelIds,
      },
      {
        onSuccess: (a) => {
          toast.success(`Alarm ${a.name} created`);
          setName('');
          close();
        },
      },
    );
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create alarm"
      description="It fires when the metric breaches the threshold for the whole duration, and notifies the channels on every state change."
      onSubmit={submit}
      dismissible={!create.isPending}
      footer={
        <DialogActions
          onCancel={close}
          pending={create.isPending}
          submitLabel="Create alarm"
          submitDisabled={!name || !resource || threshold === '' || minutes === ''}
        />
      }
    >
      <div className="flex flex-col gap-3">
        {create.error ? (
          <Alert title="Could not create the alarm">{describeError(create.error)}</Alert>
        ) : null}
        <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
        <Select
          label="Resource"
          value={resource}
          onChange={(e) => setResource(e.target.value)}
          required
          options={[
            { value: '', label: 'Choose an instance or node…' },
            ...(instances.data?.items ?? [])
              .filter((i) => i.status !== 'terminated')
              .map((i) => ({ value: `instance:${i.id}`, label: `Instance ${i.name} (${i.id})` })),
            ...(nodes.data?.items ?? []).map((n) => ({ value: `node:${n.node}`, label: `Node ${n.node}` })),
          ]}
        />
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Select
            label="Metric"
            value={metric}
            onChange={(e) => setMetric(e.target.value as typeof metric)}
            options={ALARM_METRICS.map((m) => ({ value: m, label: m }))}
          />
          <Select
            label="Comparison"
            value={comparison}
            onChange={(e) => setComparison(e.target.value as typeof comparison)}
            options={COMPARISONS.map((c) => ({ value: c, label: c }))}
          />
          <Input
            label={`Threshold (${isRate ? 'B/s' : '%'})`}
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
          hint="Between 10 seconds and 30 minutes (the collector keeps 30 minutes of samples)."
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          required
        />
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="mb-1 font-medium">Notify</legend>
          {(channels.data?.items ?? []).length === 0 ? (
            <p className="text-muted">No channels yet: create one below to be notified.</p>
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
        </fieldset>
      </div>
    </Dialog>
  );
}

function HistoryDialog({ alarm, onClose }: { alarm: Alarm | null; onClose: () => void }) {
  const q = useQuery({ ...alarmHistoryQuery(alarm?.id ?? ''), enabled: alarm !== null });
  return (
    <Dialog open={alarm !== null} onClose={onClose} title={`History of ${alarm?.name ?? ''}`} size="lg">
      {q.error ? <Alert title="Could not load the history">{describeError(q.error)}</Alert> : null}
      <Table
        caption="State changes, newest first"
        rows={q.data?.items}
        loading={q.isLoading}
        rowKey={(t) => t.id}
        empty="No state changes yet."
        columns={[
          { key: 'at', header: 'When', cell: (t) => formatDateTime(t.at) },
          {
            key: 'change',
            header: 'Change',
            cell: (t) => (
              <span className="flex flex-wrap items-center gap-1">
                <Badge tone={stateTone[t.fromState]}>{stateLabel[t.fromState]}</Badge>→
                <Badge tone={stateTone[t.toState]}>{stateLabel[t.toState]}</Badge>
              </span>
            ),
          },
          { key: 'reason', header: 'Reason', cell: (t) => t.reason },
          { key: 'notified', header: 'Notified', cell: (t) => (t.notified ? 'yes' : 'no') },
        ]}
      />
    </Dialog>
  );
}

export default function AlarmsPage() {
  const alarms = useQuery(alarmsQuery());
  const [creating, setCreating] = useState(false);
  const [history, setHistory] = useState<Alarm | null>(null);
  const [deleting, setDeleting] = useState<Alarm | null>(null);
  const update = useUpdateAlarm();
  const del = useDeleteAlarm();

  const columns: Column<Alarm>[] = [
    { key: 'name', header: 'Name', cell: (a) => <span className="font-medium">{a.name}</span> },
    {
      key: 'state',
      header: 'State',
      cell: (a) => (
        <span className="flex flex-wrap items-center gap-1" title={a.stateReason}>
          <Badge tone={stateTone[a.state]} dot>
            {stateLabel[a.state]}
          </Badge>
          {silenced(a) ? <Badge>Silenced</Badge> : null}
        </span>
      ),
    },
    {
      key: 'resource',
      header: 'Resource',
      cell: (a) => `${a.resourceType} ${a.resourceName ?? a.resourceId}`,
    },
    {
      key: 'condition',
      header: 'Condition',
      cell: (a) => `${a.metric} ${a.comparison} ${a.threshold} ${a.unit} for ${a.durationSeconds} s`,
    },
    {
      key: 'last',
      header: 'Last value',
      cell: (a) => (a.lastValue === null ? '—' : `${Number(a.lastValue.toFixed(2))} ${a.unit}`),
    },
    {
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      cell: (a) => (
        <span className="flex flex-wrap justify-end gap-1">
          <Button size="sm" onClick={() => setHistory(a)}>
            History
          </Button>
          <Button
            size="sm"
            loading={update.isPending && update.variables?.id === a.id}
            onClick={() =>
              update.mutate({
                id: a.id,
                body: { silencedUntil: silenced(a) ? null : new Date(Date.now() + 3_600_000).toISOString() },
              })
            }
          >
            {silenced(a) ? 'Unsilence' : 'Silence 1 h'}
          </Button>
          <Button size="sm" variant="danger" onClick={() => setDeleting(a)}>
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow="Monitoring"
        title="Alarms"
        description="Thresholds on instance and node metrics, evaluated every collector pass (10–30 s)."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            <PlusIcon aria-hidden="true" className="size-4" /> Create alarm
          </Button>
        }
      />
      {alarms.error ? <Alert title="Could not load alarms">{describeError(alarms.error)}</Alert> : null}
      {update.error ? <Alert title="Could not change the alarm">{describeError(update.error)}</Alert> : null}
      <Table
        caption="Alarms"
        columns={columns}
        rows={alarms.data?.items}
        loading={alarms.isLoading}
        rowKey={(a) => a.id}
        empty="No alarms yet. Create one to be told when an instance or node crosses a threshold."
      />
      <ChannelsSection />
      <CreateAlarmDialog open={creating} onClose={() => setCreating(false)} />
      <HistoryDialog alarm={history} onClose={() => setHistory(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => {
          del.reset();
          setDeleting(null);
        }}
        onConfirm={() => deleting && del.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        title={`Delete alarm ${deleting?.name ?? ''}?`}
        confirmLabel="Delete"
        tone="danger"
        pending={del.isPending}
        error={del.error}
      >
        Its history goes too. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}
