// The policy editor's notification channels: pick existing ones, or add a new channel (e-mail,
// webhook, push) right here; it is created at once and selected. A generated webhook signing
// secret is shown once.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Badge, Button, CopyableId, Input, Select } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { type ChannelInput, channelsQuery, useCreateChannel } from '../monitoring/api.ts';
import { CHANNEL_TYPES, ChannelTargetFields, channelConfig } from '../monitoring/ChannelFields.tsx';

export function ChannelPicker({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const channels = useQuery(channelsQuery());
  const create = useCreateChannel();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [type, setType] = useState<ChannelInput['type']>('email');
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState('');
  const [generated, setGenerated] = useState<string | null>(null);
  const items = channels.data?.items ?? [];
  const toggle = (id: string) =>
    onChange(value.includes(id) ? value.filter((x) => x !== id) : [...value, id]);
  const add = () => {
    create.mutate(
      { name: name.trim(), type, config: channelConfig(type, target.trim(), secret) },
      {
        onSuccess: (c) => {
          onChange([...value, c.id]);
          setGenerated(c.generatedSecret ?? null);
          setAdding(false);
          setName('');
          setTarget('');
          setSecret('');
        },
      },
    );
  };
  return (
    <fieldset className="flex flex-col gap-2" data-testid="channel-picker">
      <legend className="mb-1 text-sm font-medium">Send notifications to</legend>
      {items.length === 0 && !channels.isLoading ? (
        <p className="text-sm text-muted">You have no notification channels yet. Add one below.</p>
      ) : (
        <div className="flex flex-col gap-1 text-sm">
          {items.map((c) => (
            <label key={c.id} className="flex min-w-0 items-center gap-2">
              <input
                type="checkbox"
                className="size-4 shrink-0 accent-primary"
                checked={value.includes(c.id)}
                onChange={() => toggle(c.id)}
              />
              <span className="truncate">{c.name}</span>
              <Badge tone="neutral">{c.type}</Badge>
            </label>
          ))}
        </div>
      )}
      {generated ? (
        <Alert tone="info" title="Webhook signing secret (shown only now)">
          <p className="mb-1 text-sm">
            Verify the <code>X-ProxiCloud-Signature</code> header (HMAC-SHA256 of the body) with it.
          </p>
          <CopyableId value={generated} label="Signing secret" />
        </Alert>
      ) : null}
      {adding ? (
        <div className="flex flex-col gap-2 rounded-md border border-line p-3">
          {create.error ? (
            <Alert title="Could not add the channel">{describeError(create.error)}</Alert>
          ) : null}
          <div className="grid gap-2 sm:grid-cols-2">
            <Input
              label="Channel name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={64}
              placeholder="ops-mail"
            />
            <Select
              label="Type"
              value={type}
              onChange={(e) => setType(e.target.value as ChannelInput['type'])}
              options={CHANNEL_TYPES}
            />
          </div>
          <ChannelTargetFields
            type={type}
            target={target}
            onTarget={setTarget}
            secret={secret}
            onSecret={setSecret}
          />
          <div className="flex flex-wrap gap-2">
            <Button
              variant="primary"
              size="sm"
              disabled={!name.trim() || !target.trim()}
              loading={create.isPending}
              onClick={add}
            >
              Add channel
            </Button>
            <Button
              size="sm"
              onClick={() => {
                create.reset();
                setAdding(false);
              }}
            >
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button size="sm" className="self-start" onClick={() => setAdding(true)}>
          + New channel
        </Button>
      )}
    </fieldset>
  );
}
