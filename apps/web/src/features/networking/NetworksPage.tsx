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
import { type Network, networkQuery, networksQuery, useCreateNetwork, useDeleteNetwork } from './api.ts';
import { gatewayProblem, previewCidr } from './cidr.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function CreateNetworkDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useCreateNetwork();
  const toast = useToast();
  const [name, setName] = useState('');
  const [cidr, setCidr] = useState('10.20.0.0/24');
  const [gateway, setGateway] = useState('');
  const [dhcp, setDhcp] = useState(true);
  const [snat, setSnat] = useState(false);
  const [ipv6Cidr, setIpv6Cidr] = useState('');
  const [ipv6Mode, setIpv6Mode] = useState<'static' | 'slaac'>('static');
  const [touched, setTouched] = useState(false);
  const v6 = ipv6Cidr.trim();
  const v6Bits = Number(/^[0-9a-fA-F]*:[0-9a-fA-F:]*\/(\d{1,3})$/.exec(v6)?.[1] ?? Number.NaN);
  const v6Error =
    v6 && !(v6Bits >= 48 && v6Bits <= 120)
      ? 'An IPv6 prefix /48 … /120, e.g. fd00:20::/64.'
      : v6 && ipv6Mode === 'slaac' && !v6.endsWith('/64')
        ? 'SLAAC needs a /64 prefix.'
        : null;
  const preview = previewCidr(cidr);
  const nameError = touched && !NAME.test(name) ? 'Letters, digits, dots, hyphens, underscores.' : null;
  const gwError = gatewayProblem(cidr, gateway);
  const close = () => {
    setName('');
    setTouched(false);
    create.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create network"
      description="An isolated network: a Proxmox SDN VNet with one subnet. Instances on other networks cannot reach it unless a security group allows it."
      dismissible={!create.isPending}
      onSubmit={() => {
        setTouched(true);
        if (!NAME.test(name) || !preview.ok || gwError || v6Error) return;
        create.mutate(
          {
            name,
            cidr,
            ...(gateway ? { gateway } : {}),
            dhcp,
            snat,
            ...(v6 ? { ipv6Cidr: v6, ipv6Mode } : {}),
          },
          {
            onSuccess: (n) => {
              toast.success('Network created', `${n.name} (${n.cidr}) is being applied on Proxmox`);
              close();
            },
          },
        );
      }}
      footer={<DialogActions onCancel={close} pending={create.isPending} submitLabel="Create network" />}
    >
      <div className="flex flex-col gap-4">
        {create.error ? (
          <Alert title="Could not create the network">{describeError(create.error)}</Alert>
        ) : null}
        <Input
          label="Name"
          autoFocus
          value={name}
          error={nameError}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => setTouched(true)}
          placeholder="e.g. web"
        />
        <Input
          label="IPv4 CIDR"
          value={cidr}
          onChange={(e) => setCidr(e.target.value)}
          error={preview.ok ? null : preview.error}
          hint={
            preview.ok
              ? `${preview.usable.toLocaleString()} usable addresses: ${preview.first} – ${preview.last}`
              : undefined
          }
        />
        <Input
          label="Gateway (optional)"
          value={gateway}
          onChange={(e) => setGateway(e.target.value)}
          error={gwError}
          placeholder={preview.ok ? preview.gateway : ''}
        />
        <Input
          label="IPv6 prefix (optional)"
          value={ipv6Cidr}
          onChange={(e) => setIpv6Cidr(e.target.value)}
          error={v6Error}
          placeholder="fd00:20::/64"
          hint={
            v6 && !v6Error
              ? `Gateway ${v6.split('/')[0]}1; each NIC gets the EUI-64 address of its MAC.`
              : undefined
          }
          spellCheck={false}
        />
        {v6 ? (
          <Select
            label="IPv6 addressing"
            value={ipv6Mode}
            onChange={(e) => setIpv6Mode(e.target.value as 'static' | 'slaac')}
            options={[
              { value: 'static', label: 'Static (cloud-init writes the address)' },
              { value: 'slaac', label: 'SLAAC (router advertisements, /64 only)' },
            ]}
          />
        ) : null}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={dhcp} onChange={(e) => setDhcp(e.target.checked)} /> DHCP (PVE
          dnsmasq)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={snat} onChange={(e) => setSnat(e.target.checked)} /> Outbound NAT
          (SNAT) through the node
        </label>
      </div>
    </Dialog>
  );
}

function NetworkDetail({ network, onClose }: { network: Network | null; onClose: () => void }) {
  const detail = useQuery({ ...networkQuery(network?.id ?? ''), enabled: !!network });
  const d = detail.data;
  return (
    <Dialog
      open={!!network}
      onClose={onClose}
      size="lg"
      title={`Network ${network?.name ?? ''}`}
      footer={<Button onClick={onClose}>Close</Button>}
    >
      {network ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted">ID</dt>
          <dd>
            <CopyableId value={network.id} label="network id" />
          </dd>
          <dt className="text-muted">CIDR</dt>
          <dd>
            {network.cidr} ({network.usableAddresses} usable), gateway {network.gateway}
          </dd>
          {network.ipv6Cidr ? (
            <>
              <dt className="text-muted">IPv6</dt>
              <dd>
                {network.ipv6Cidr}, gateway {network.ipv6Gateway} ({network.ipv6Mode})
              </dd>
            </>
          ) : null}
          <dt className="text-muted">DHCP</dt>
          <dd>{network.dhcp ? `${network.dhcp.start} – ${network.dhcp.end}` : 'off'}</dd>
          <dt className="text-muted">Proxmox</dt>
          <dd className="font-mono">
            zone {network.zone}, VNet {network.vnet}
          </dd>
          <dt className="text-muted">Instances</dt>
          <dd>
            {d?.instances.length ? (
              <ul>
                {d.instances.map((i) => (
                  <li key={i.id}>
                    <a className="underline" href={`/compute/instances/${i.id}`}>
                      {i.name}
                    </a>{' '}
                    <span className="font-mono text-muted">{i.ip}</span>
                    {i.ip6 ? <span className="font-mono text-muted break-all"> {i.ip6}</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="text-muted">No instances on this network.</span>
            )}
          </dd>
        </dl>
      ) : null}
    </Dialog>
  );
}

export default function NetworksPage() {
  const { can } = useSession();
  const list = useQuery(networksQuery());
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<Network | null>(null);
  const [deleting, setDeleting] = useState<Network | null>(null);
  const columns: Column<Network>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (n) => (
        <button type="button" className="flex flex-col text-left" onClick={() => setViewing(n)}>
          <span className="font-medium underline-offset-2 hover:underline">{n.name}</span>
          <span className="font-mono text-xs text-muted">{n.id}</span>
        </button>
      ),
    },
    { key: 'cidr', header: 'CIDR', cell: (n) => <span className="font-mono">{n.cidr}</span> },
    {
      key: 'gw',
      header: 'Gateway',
      className: 'hidden sm:table-cell',
      cell: (n) => <span className="font-mono">{n.gateway}</span>,
    },
    {
      key: 'vnet',
      header: 'VNet',
      className: 'hidden md:table-cell',
      cell: (n) => <span className="font-mono">{n.vnet}</span>,
    },
    {
      key: 'status',
      header: 'Status',
      cell: (n) => (
        <Badge tone={n.status === 'available' ? 'green' : n.status === 'error' ? 'red' : 'neutral'}>
          {n.status}
        </Badge>
      ),
    },
  ];
  if (can('networks:delete'))
    columns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right',
      cell: (n) => (
        <Button size="sm" onClick={() => setDeleting(n)} aria-label={`Delete network ${n.name}`}>
          Delete
        </Button>
      ),
    });
  return (
    <>
      <PageHeader
        eyebrow="Networking"
        title="Networks"
        description="Isolated networks on Proxmox SDN. Instances on one network reach each other; other networks are blocked unless a security group allows them."
        actions={
          can('networks:create') ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create network
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="Networks"
        errorTitle="Could not load networks"
        list={list}
        columns={columns}
        rowKey={(n) => n.id}
        skeletonRows={3}
        empty={{
          icon: <NetworkIcon />,
          title: 'No networks yet',
          body: 'Create a network (e.g. 10.20.0.0/24) and pick it when you launch an instance.',
        }}
      />
      <CreateNetworkDialog open={creating} onClose={() => setCreating(false)} />
      <NetworkDetail network={viewing} onClose={() => setViewing(null)} />
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={useDeleteNetwork()}
        variables={(n) => n.id}
        onSuccess={(n) => toast.success('Network deleting', n.name)}
        title={`Delete network ${deleting?.name ?? ''}?`}
        confirmLabel="Delete network"
        errorTitle="Could not delete the network"
      >
        <p>The VNet and its subnet are removed from Proxmox. Detach every instance first.</p>
      </MutationDialog>
    </>
  );
}
