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
  Dialog,
  MutationDialog,
  PageHeader,
  Table,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { AlarmDialog } from './AlarmDialog.tsx';
import { type Alarm, alarmHistoryQuery, alarmsQuery, useDeleteAlarm, useUpdateAlarm } from './api.ts';
import { ChannelsSection, CreateChannelDialog } from './ChannelsSection.tsx';

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
  // undefined: closed; null: create; an alarm: edit it
  const [editing, setEditing] = useState<Alarm | null | undefined>(undefined);
  const [newChannel, setNewChannel] = useState(false);
  const [addedChannelId, setAddedChannelId] = useState<string | null>(null);
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
          <Button size="sm" onClick={() => setEditing(a)}>
            Edit
          </Button>
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
        description="Thresholds on instance, node, volume and bucket metrics, evaluated every collector pass (10–30 s)."
        actions={
          <Button variant="primary" onClick={() => setEditing(null)}>
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
        empty="No alarms yet. Create one to be told when an instance, node, volume or bucket crosses a threshold."
      />
      <ChannelsSection />
      <AlarmDialog
        open={editing !== undefined}
        alarm={editing ?? null}
        onClose={() => {
          setEditing(undefined);
          setAddedChannelId(null);
        }}
        onNewChannel={() => setNewChannel(true)}
        addedChannelId={addedChannelId}
      />
      <CreateChannelDialog
        open={newChannel}
        onClose={() => setNewChannel(false)}
        onCreated={(c) => setAddedChannelId(c.id)}
      />
      <HistoryDialog alarm={history} onClose={() => setHistory(null)} />
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={del}
        variables={(x) => x.id}
        title={`Delete alarm ${deleting?.name ?? ''}?`}
        confirmLabel="Delete"
      >
        Its history goes too. This cannot be undone.
      </MutationDialog>
    </div>
  );
}
