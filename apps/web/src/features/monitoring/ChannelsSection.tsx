// Notification channels on the alarms page: create (e-mail, webhook, push), test-send, deliveries, delete.
// Secrets are typed into a password field and never shown again (a generated webhook secret once).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  type Column,
  CopyableId,
  Dialog,
  FormDialog,
  Input,
  MutationDialog,
  Select,
  Table,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import {
  type Channel,
  type ChannelInput,
  channelsQuery,
  deliveriesQuery,
  useCreateChannel,
  useDeleteChannel,
  useTestChannel,
} from './api.ts';
import { CHANNEL_TYPES, ChannelTargetFields, channelConfig } from './ChannelFields.tsx';

export function CreateChannelDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  /** told about the new channel (the alarm dialog selects it) */
  onCreated?: (channel: Channel) => void;
}) {
  const create = useCreateChannel();
  const [name, setName] = useState('');
  const [type, setType] = useState<ChannelInput['type']>('email');
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState('');
  const [generated, setGenerated] = useState<string | null>(null);
  const close = () => {
    create.reset();
    setGenerated(null);
    setName('');
    setTarget('');
    setSecret('');
    onClose();
  };
  const submit = () => {
    create.mutate(
      { name, type, config: channelConfig(type, target, secret) },
      {
        onSuccess: (c) => {
          onCreated?.(c);
          if (c.generatedSecret) setGenerated(c.generatedSecret);
          else close();
        },
      },
    );
  };
  if (generated)
    return (
      <Dialog
        open={open}
        onClose={close}
        title="Webhook signing secret"
        footer={<Button onClick={close}>Done</Button>}
      >
        <p className="mb-2 text-sm">
          Shown only now. Verify the <code>X-ProxiCloud-Signature</code> header (HMAC-SHA256 of the body) with
          it.
        </p>
        <CopyableId value={generated} label="Signing secret" />
      </Dialog>
    );
  return (
    <FormDialog
      open={open}
      onClose={close}
      mutation={create}
      errorTitle="Could not create the channel"
      submitLabel="Create channel"
      submitDisabled={!name || !target}
      gap="gap-3"
      title="Create notification channel"
      onSubmit={submit}
    >
      <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
      <Select
        label="Type"
        value={type}
        onChange={(e) => setType(e.target.value as ChannelInput['type'])}
        options={CHANNEL_TYPES}
      />
      <ChannelTargetFields
        type={type}
        target={target}
        onTarget={setTarget}
        secret={secret}
        onSecret={setSecret}
        required
      />
    </FormDialog>
  );
}

function DeliveriesDialog({ channel, onClose }: { channel: Channel | null; onClose: () => void }) {
  const q = useQuery({ ...deliveriesQuery(channel?.id ?? ''), enabled: channel !== null });
  return (
    <Dialog
      open={channel !== null}
      onClose={onClose}
      title={`Deliveries of ${channel?.name ?? ''}`}
      size="lg"
    >
      {q.error ? <Alert title="Could not load deliveries">{describeError(q.error)}</Alert> : null}
      <Table
        caption="Deliveries, newest first"
        rows={q.data?.items}
        loading={q.isLoading}
        rowKey={(d) => d.id}
        empty="Nothing sent yet. Use Test to send a message."
        columns={[
          { key: 'when', header: 'When', cell: (d) => formatDateTime(d.createdAt) },
          { key: 'event', header: 'Event', cell: (d) => d.event },
          {
            key: 'status',
            header: 'Status',
            cell: (d) => (
              <Badge tone={d.status === 'succeeded' ? 'green' : d.status === 'failed' ? 'red' : 'amber'}>
                {d.status}
              </Badge>
            ),
          },
          { key: 'attempts', header: 'Attempts', cell: (d) => d.attempts },
          { key: 'error', header: 'Error', cell: (d) => d.lastError ?? '' },
        ]}
      />
    </Dialog>
  );
}

export function ChannelsSection() {
  const channels = useQuery(channelsQuery());
  const test = useTestChannel();
  const del = useDeleteChannel();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [log, setLog] = useState<Channel | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);

  const columns: Column<Channel>[] = [
    { key: 'name', header: 'Name', cell: (c) => <span className="font-medium">{c.name}</span> },
    { key: 'type', header: 'Type', cell: (c) => c.type },
    {
      key: 'target',
      header: 'Target',
      cell: (c) => (
        <span className="break-all">
          {c.type === 'email' ? (c.config.to ?? []).join(', ') : c.config.url}
        </span>
      ),
    },
    { key: 'secret', header: 'Secret', cell: (c) => (c.hasSecret ? 'set' : '—') },
    {
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      cell: (c) => (
        <span className="flex flex-wrap justify-end gap-1">
          <Button
            size="sm"
            loading={test.isPending && test.variables === c.id}
            onClick={() =>
              test.mutate(c.id, {
                onSuccess: (d) =>
                  d.status === 'failed'
                    ? toast.error(`Test to ${c.name} failed`, d.lastError ?? undefined)
                    : toast.success(
                        `Test message ${d.status === 'succeeded' ? 'sent' : 'queued'} to ${c.name}`,
                      ),
                onError: (e) => toast.error(`Test to ${c.name} failed`, describeError(e)),
              })
            }
          >
            Test
          </Button>
          <Button size="sm" onClick={() => setLog(c)}>
            Deliveries
          </Button>
          <Button size="sm" variant="danger" onClick={() => setDeleting(c)}>
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <Card
      title="Notification channels"
      actions={
        <Button size="sm" onClick={() => setCreating(true)}>
          Create channel
        </Button>
      }
    >
      {channels.error ? <Alert title="Could not load channels">{describeError(channels.error)}</Alert> : null}
      <Table
        caption="Notification channels"
        columns={columns}
        rows={channels.data?.items}
        loading={channels.isLoading}
        rowKey={(c) => c.id}
        empty="No channels. Create an e-mail, webhook or push channel to receive alarm notifications."
      />
      <CreateChannelDialog open={creating} onClose={() => setCreating(false)} />
      <DeliveriesDialog channel={log} onClose={() => setLog(null)} />
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={del}
        variables={(x) => x.id}
        title={`Delete channel ${deleting?.name ?? ''}?`}
        confirmLabel="Delete"
      >
        Alarms that use it stop notifying it.
      </MutationDialog>
    </Card>
  );
}
