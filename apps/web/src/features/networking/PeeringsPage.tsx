import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { NetworkIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Button,
  type Column,
  CopyableId,
  Dialog,
  DialogActions,
  Input,
  MutationDialog,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import {
  networksQuery,
  type Peering,
  peeringsQuery,
  useAcceptPeering,
  useCreatePeering,
  useDeletePeering,
  useRejectPeering,
} from './api.ts';
import { peeringProblem } from './routes.ts';

const split = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function CreateDialog({ onClose }: { onClose: () => void }) {
  const nets = useQuery(networksQuery());
  const create = useCreatePeering();
  const toast = useToast();
  const [name, setName] = useState('');
  const [networkId, setNetworkId] = useState('');
  const [peer, setPeer] = useState('');
  const [other, setOther] = useState('');
  const [allow, setAllow] = useState('');
  const mine = (nets.data?.items ?? []).filter((n) => n.status === 'available');
  const peerNetworkId = peer === 'other' ? other.trim() : peer;
  const a = mine.find((n) => n.id === networkId);
  const b = mine.find((n) => n.id === peerNetworkId);
  const problem = a ? peeringProblem(a, b ?? null, split(allow)) : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Create peering"
      description="The two networks reach each other within the ranges each side opens; everything else stays blocked. Another user's network must accept."
      dismissible={!create.isPending}
      onSubmit={() => {
        if (!name || !networkId || !peerNetworkId || problem) return;
        create.mutate(
          { name, networkId, peerNetworkId, ...(split(allow).length ? { allowedCidrs: split(allow) } : {}) },
          {
            onSuccess: (p) => {
              toast.success(
                p.status === 'pendingAcceptance' ? 'Peering requested' : 'Peering connecting',
                p.name,
              );
              onClose();
            },
          },
        );
      }}
      footer={<DialogActions onCancel={onClose} pending={create.isPending} submitLabel="Create" />}
    >
      <div className="flex flex-col gap-3">
        {create.error ? (
          <Alert title="Could not create the peering">{describeError(create.error)}</Alert>
        ) : null}
        <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} />
        <Select
          label="Your network"
          value={networkId}
          onChange={(e) => setNetworkId(e.target.value)}
          options={[
            { value: '', label: 'Pick a network…' },
            ...mine.map((n) => ({ value: n.id, label: `${n.name} (${n.cidr})` })),
          ]}
        />
        <Select
          label="Peer network"
          value={peer}
          onChange={(e) => setPeer(e.target.value)}
          options={[
            { value: '', label: 'Pick a network…' },
            ...mine
              .filter((n) => n.id !== networkId)
              .map((n) => ({ value: n.id, label: `${n.name} (${n.cidr})` })),
            { value: 'other', label: "Another user's network (by id)…" },
          ]}
        />
        {peer === 'other' ? (
          <Input
            label="Peer network id"
            placeholder="net-…"
            value={other}
            onChange={(e) => setOther(e.target.value)}
          />
        ) : null}
        <Input
          label="Ranges of your network the peer may reach"
          hint="Comma-separated CIDRs inside your network; empty = all of it."
          value={allow}
          onChange={(e) => setAllow(e.target.value)}
          error={problem}
        />
      </div>
    </Dialog>
  );
}

function AcceptDialog({ peering, onClose }: { peering: Peering; onClose: () => void }) {
  const accept = useAcceptPeering();
  const toast = useToast();
  const [allow, setAllow] = useState('');
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Accept peering ${peering.name}?`}
      description={`Network ${peering.requester.cidr} asks to reach your network ${peering.accepter.networkName ?? ''} (${peering.accepter.cidr}).`}
      dismissible={!accept.isPending}
      onSubmit={() =>
        accept.mutate(
          { id: peering.id, allowedCidrs: split(allow) },
          {
            onSuccess: (p) => {
              toast.success('Peering accepted', p.name);
              onClose();
            },
          },
        )
      }
      footer={<DialogActions onCancel={onClose} pending={accept.isPending} submitLabel="Accept" />}
    >
      {accept.error ? <Alert title="Could not accept">{describeError(accept.error)}</Alert> : null}
      <Input
        label="Ranges of your network they may reach"
        hint="Comma-separated CIDRs inside your network; empty = all of it."
        value={allow}
        onChange={(e) => setAllow(e.target.value)}
      />
    </Dialog>
  );
}

export default function PeeringsPage() {
  const { can } = useSession();
  const list = useQuery(peeringsQuery());
  const toast = useToast();
  const reject = useRejectPeering();
  const [creating, setCreating] = useState(false);
  const [accepting, setAccepting] = useState<Peering | null>(null);
  const [deleting, setDeleting] = useState<Peering | null>(null);
  const side = (s: Peering['requester']) => (
    <span>
      {s.networkName ?? <span className="font-mono text-xs">{s.networkId}</span>}{' '}
      <span className="text-xs text-muted">
        {s.cidr} · opens {s.allowedCidrs ? s.allowedCidrs.join(', ') : '—'}
      </span>
    </span>
  );
  const columns: Column<Peering>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (p) => (
        <div className="flex flex-col">
          <span className="font-medium">{p.name}</span>
          <CopyableId value={p.id} label={`ID of peering ${p.name}`} />
        </div>
      ),
    },
    { key: 'requester', header: 'Requester', cell: (p) => side(p.requester) },
    { key: 'accepter', header: 'Accepter', cell: (p) => side(p.accepter) },
    {
      key: 'status',
      header: 'Status',
      cell: (p) => (p.statusReason ? `${p.status}: ${p.statusReason}` : p.status),
    },
  ];
  if (can('networks:update'))
    columns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right whitespace-nowrap',
      cell: (p) => (
        <span className="flex gap-2">
          {p.status === 'pendingAcceptance' && p.yourSide === 'accepter' ? (
            <>
              <Button size="sm" onClick={() => setAccepting(p)} aria-label={`Accept peering ${p.name}`}>
                Accept
              </Button>
              <Button
                size="sm"
                onClick={() =>
                  reject.mutate(p.id, { onSuccess: () => toast.success('Peering rejected', p.name) })
                }
                aria-label={`Reject peering ${p.name}`}
              >
                Reject
              </Button>
            </>
          ) : null}
          <Button size="sm" onClick={() => setDeleting(p)} aria-label={`Delete peering ${p.name}`}>
            Delete
          </Button>
        </span>
      ),
    });
  return (
    <>
      <PageHeader
        eyebrow="Networking"
        title="Peerings"
        description="Let two networks (yours, or yours and another user's) reach each other within the ranges each side opens."
        actions={
          can('networks:update') ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create peering
            </Button>
          ) : null
        }
      />
      {reject.error ? (
        <Alert title="Could not reject the peering">{describeError(reject.error)}</Alert>
      ) : null}
      <ResourceList
        caption="Peerings"
        errorTitle="Could not load peerings"
        list={list}
        columns={columns}
        rowKey={(p) => p.id}
        skeletonRows={2}
        empty={{
          icon: <NetworkIcon />,
          title: 'No peerings yet',
          body: 'Networks are isolated from each other until you peer them (or open a security-group rule).',
        }}
      />
      {creating ? <CreateDialog onClose={() => setCreating(false)} /> : null}
      {accepting ? <AcceptDialog peering={accepting} onClose={() => setAccepting(null)} /> : null}
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={useDeletePeering()}
        variables={(p) => p.id}
        onSuccess={(p) => toast.success('Peering deleting', p.name)}
        title={`Delete peering ${deleting?.name ?? ''}?`}
        confirmLabel="Delete peering"
        errorTitle="Could not delete the peering"
      >
        <p>Its firewall rules and routes are removed from both networks: they stop reaching each other.</p>
      </MutationDialog>
    </>
  );
}
