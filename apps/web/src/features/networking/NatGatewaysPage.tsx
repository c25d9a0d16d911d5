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
  type NatGateway,
  natGatewaysQuery,
  networksQuery,
  useCreateNatGateway,
  useDeleteNatGateway,
} from './api.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function CreateDialog({ onClose, taken }: { onClose: () => void; taken: Set<string> }) {
  const nets = useQuery(networksQuery());
  const create = useCreateNatGateway();
  const toast = useToast();
  const [name, setName] = useState('');
  const [networkId, setNetworkId] = useState('');
  const free = (nets.data?.items ?? []).filter((n) => n.status === 'available' && !taken.has(n.id));
  const nameProblem =
    name && !NAME.test(name) ? 'Letters, digits, . _ - (up to 63), starting with a letter or digit' : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Create NAT gateway"
      description="Outbound NAT for one network: Proxmox masquerades the network's subnet through the node (SDN SNAT, no VM). Needs a simple or EVPN SDN zone."
      dismissible={!create.isPending}
      onSubmit={() => {
        if (!name || nameProblem || !networkId) return;
        create.mutate(
          { name, networkId },
          {
            onSuccess: (g) => {
              toast.success('NAT gateway creating', g.name);
              onClose();
            },
          },
        );
      }}
      footer={<DialogActions onCancel={onClose} pending={create.isPending} submitLabel="Create" />}
    >
      <div className="flex flex-col gap-3">
        {create.error ? (
          <Alert title="Could not create the NAT gateway">{describeError(create.error)}</Alert>
        ) : null}
        <Input
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameProblem ?? undefined}
        />
        <Select
          label="Network"
          value={networkId}
          onChange={(e) => setNetworkId(e.target.value)}
          options={[
            { value: '', label: free.length ? 'Pick a network…' : 'No network without a NAT gateway' },
            ...free.map((n) => ({ value: n.id, label: `${n.name} (${n.cidr})` })),
          ]}
        />
      </div>
    </Dialog>
  );
}

export default function NatGatewaysPage() {
  const { can } = useSession();
  const list = useQuery(natGatewaysQuery());
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<NatGateway | null>(null);
  const items = list.data?.items ?? [];
  const columns: Column<NatGateway>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (g) => (
        <div className="flex flex-col">
          <span className="font-medium">{g.name}</span>
          <CopyableId value={g.id} label={`ID of NAT gateway ${g.name}`} />
        </div>
      ),
    },
    { key: 'kind', header: 'Kind', cell: () => 'SDN SNAT' },
    {
      key: 'network',
      header: 'Network',
      cell: (g) => (
        <span>
          {g.networkName ?? g.networkId} <span className="font-mono text-xs text-muted">{g.sourceCidr}</span>
        </span>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (g) => (g.statusReason ? `${g.status}: ${g.statusReason}` : g.status),
    },
  ];
  if (can('networks:update'))
    columns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right whitespace-nowrap',
      cell: (g) => (
        <Button size="sm" onClick={() => setDeleting(g)} aria-label={`Delete NAT gateway ${g.name}`}>
          Delete
        </Button>
      ),
    });
  return (
    <>
      <PageHeader
        eyebrow="Networking"
        title="NAT gateways"
        description="Let a network's instances reach outside through the node's address; route 0.0.0.0/0 to the gateway in its route table."
        actions={
          can('networks:update') ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create NAT gateway
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="NAT gateways"
        errorTitle="Could not load NAT gateways"
        list={list}
        columns={columns}
        rowKey={(g) => g.id}
        skeletonRows={2}
        empty={{
          icon: <NetworkIcon />,
          title: 'No NAT gateways yet',
          body: 'Create one for a network whose instances need to reach the internet.',
        }}
      />
      {creating ? (
        <CreateDialog onClose={() => setCreating(false)} taken={new Set(items.map((g) => g.networkId))} />
      ) : null}
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={useDeleteNatGateway()}
        variables={(g) => g.id}
        onSuccess={(g) => toast.success('NAT gateway deleting', g.name)}
        title={`Delete NAT gateway ${deleting?.name ?? ''}?`}
        confirmLabel="Delete NAT gateway"
        errorTitle="Could not delete the NAT gateway"
      >
        <p>The network's subnet goes back to its own SNAT setting. Remove the routes that target it first.</p>
      </MutationDialog>
    </>
  );
}
