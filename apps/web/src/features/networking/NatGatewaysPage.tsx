import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { NetworkIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
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
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

const KIND_HELP = {
  sdnSnat:
    "Proxmox masquerades the network's subnet through the node's address (SDN SNAT): no VM, cheapest. Needs a simple or EVPN SDN zone.",
  natVm:
    'A small Debian container managed by ProxiCloud: one NIC on the network (the next hop of your routes), one on the public bridge with a static public address that survives re-creation. Works in any zone; re-created automatically when lost.',
} as const;

function HealthBadge({ g }: { g: NatGateway }) {
  if (g.kind !== 'natVm' || g.health === null) return null;
  const tone = g.health === 'healthy' ? 'green' : g.health === 'unhealthy' ? 'red' : 'neutral';
  return (
    <Badge tone={tone} dot>
      {g.health}
    </Badge>
  );
}

function CreateDialog({ onClose, taken }: { onClose: () => void; taken: Set<string> }) {
  const nets = useQuery(networksQuery());
  const create = useCreateNatGateway();
  const toast = useToast();
  const [name, setName] = useState('');
  const [networkId, setNetworkId] = useState('');
  const [kind, setKind] = useState<'sdnSnat' | 'natVm'>('sdnSnat');
  const [publicAddress, setPublicAddress] = useState('');
  const [privateAddress, setPrivateAddress] = useState('');
  const ipProblem = (v: string) => (v && !IPV4.test(v) ? 'An IPv4 address like 203.0.113.10' : null);
  const free = (nets.data?.items ?? []).filter((n) => n.status === 'available' && !taken.has(n.id));
  const nameProblem =
    name && !NAME.test(name) ? 'Letters, digits, . _ - (up to 63), starting with a letter or digit' : null;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Create NAT gateway"
      description="Outbound NAT for one network. Then route 0.0.0.0/0 to it in the network's route table."
      dismissible={!create.isPending}
      onSubmit={() => {
        if (!name || nameProblem || !networkId) return;
        if (kind === 'natVm' && (ipProblem(publicAddress) || ipProblem(privateAddress))) return;
        create.mutate(
          {
            name,
            networkId,
            kind,
            ...(kind === 'natVm' && publicAddress ? { publicAddress } : {}),
            ...(kind === 'natVm' && privateAddress ? { privateAddress } : {}),
          },
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
        <Select
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as 'sdnSnat' | 'natVm')}
          hint={KIND_HELP[kind]}
          options={[
            { value: 'sdnSnat', label: 'SDN SNAT (the node masquerades the subnet)' },
            { value: 'natVm', label: 'NAT VM (managed container, static public address)' },
          ]}
        />
        {kind === 'natVm' ? (
          <>
            <Input
              label="Public address (optional)"
              value={publicAddress}
              placeholder="allocated from the public range"
              onChange={(e) => setPublicAddress(e.target.value.trim())}
              error={ipProblem(publicAddress) ?? undefined}
              hint="Keep a specific address of the public range; it stays the same when the container is re-created."
            />
            <Input
              label="Private address (optional)"
              value={privateAddress}
              placeholder="first free fixed address"
              onChange={(e) => setPrivateAddress(e.target.value.trim())}
              error={ipProblem(privateAddress) ?? undefined}
              hint="Its address on the network, outside the DHCP range: the next hop of your routes."
            />
          </>
        ) : null}
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
    { key: 'kind', header: 'Kind', cell: (g) => (g.kind === 'natVm' ? 'NAT VM' : 'SDN SNAT') },
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
      key: 'addresses',
      header: 'Addresses',
      cell: (g) =>
        g.kind === 'natVm' ? (
          <div className="flex flex-col text-xs">
            {g.publicAddress ? (
              <CopyableId value={g.publicAddress} label={`Public address of ${g.name}`} />
            ) : null}
            <span className="font-mono text-muted">
              {g.privateAddress ? `next hop ${g.privateAddress}` : ''}
              {g.vmid ? ` · CT ${g.vmid} on ${g.node}` : ''}
            </span>
          </div>
        ) : (
          <span className="text-xs text-muted">the node's address</span>
        ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (g) => (
        <div className="flex flex-wrap items-center gap-2">
          <span>{g.statusReason ? `${g.status}: ${g.statusReason}` : g.status}</span>
          <HealthBadge g={g} />
        </div>
      ),
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
        description="Let a network's instances reach outside, through the node's address (SDN SNAT) or a managed NAT container with a static public address (NAT VM); route 0.0.0.0/0 to the gateway in its route table."
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
        <p>
          {deleting?.kind === 'natVm'
            ? 'Its container is stopped and destroyed; its public address is released.'
            : "The network's subnet goes back to its own SNAT setting."}{' '}
          Remove the routes that target it first.
        </p>
      </MutationDialog>
    </>
  );
}
