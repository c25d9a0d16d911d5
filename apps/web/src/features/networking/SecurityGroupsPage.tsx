import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PlusIcon, ShieldIcon } from '../../components/icons.tsx';
import {
  Alert,
  Button,
  type Column,
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
  type RuleInput,
  type SecurityGroup,
  securityGroupsQuery,
  useDeleteSecurityGroup,
  useSaveSecurityGroup,
} from './api.ts';

const PRESETS: { label: string; rules: RuleInput[] }[] = [
  { label: 'SSH', rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '0.0.0.0/0' }] },
  {
    label: 'HTTP/S',
    rules: [
      { direction: 'inbound', protocol: 'tcp', fromPort: 80, cidr: '0.0.0.0/0' },
      { direction: 'inbound', protocol: 'tcp', fromPort: 443, cidr: '0.0.0.0/0' },
    ],
  },
  { label: 'ICMP (ping)', rules: [{ direction: 'inbound', protocol: 'icmp', cidr: '0.0.0.0/0' }] },
];

/** A rule's problem, as the server would say it (ports 1–65535, none on icmp/all, one peer). */
export function ruleProblem(r: RuleInput): string | null {
  const hasPorts = r.fromPort !== undefined || r.toPort !== undefined;
  if ((r.protocol === 'icmp' || r.protocol === 'all') && hasPorts) return `${r.protocol} has no ports`;
  for (const p of [r.fromPort, r.toPort])
    if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 65535)) return 'Ports are 1–65535';
  if (r.toPort !== undefined && r.fromPort !== undefined && r.toPort < r.fromPort)
    return 'The range ends before it starts';
  if (!r.cidr && !r.sourceSecurityGroupId) return 'Give a CIDR (0.0.0.0/0 = anywhere) or a source group';
  return null;
}

function RuleRow({
  rule,
  groups,
  onChange,
  onRemove,
}: {
  rule: RuleInput;
  groups: SecurityGroup[];
  onChange: (r: RuleInput) => void;
  onRemove: () => void;
}) {
  const ports =
    rule.fromPort === undefined
      ? ''
      : rule.toPort !== undefined
        ? `${rule.fromPort}-${rule.toPort}`
        : String(rule.fromPort);
  const problem = ruleProblem(rule);
  return (
    <div className="flex flex-wrap items-end gap-2 border-b border-line pb-2">
      <Select
        label="Direction"
        value={rule.direction}
        onChange={(e) => onChange({ ...rule, direction: e.target.value as RuleInput['direction'] })}
        options={[
          { value: 'inbound', label: 'Inbound' },
          { value: 'outbound', label: 'Outbound' },
        ]}
      />
      <Select
        label="Protocol"
        value={rule.protocol}
        onChange={(e) => {
          const protocol = e.target.value as RuleInput['protocol'];
          const { fromPort: _f, toPort: _t, ...rest } = rule;
          onChange(protocol === 'icmp' || protocol === 'all' ? { ...rest, protocol } : { ...rule, protocol });
        }}
        options={['tcp', 'udp', 'icmp', 'all'].map((p) => ({ value: p, label: p.toUpperCase() }))}
      />
      <Input
        label="Port(s)"
        className="w-28"
        value={ports}
        disabled={rule.protocol === 'icmp' || rule.protocol === 'all'}
        placeholder="22 or 8000-8100"
        onChange={(e) => {
          const m = /^(\d*)(?:-(\d*))?$/.exec(e.target.value);
          if (!m) return;
          const { fromPort: _f, toPort: _t, ...rest } = rule;
          onChange({
            ...rest,
            ...(m[1] ? { fromPort: Number(m[1]) } : {}),
            ...(m[2] ? { toPort: Number(m[2]) } : {}),
          });
        }}
      />
      <Select
        label="Peer"
        value={rule.sourceSecurityGroupId ? `sg:${rule.sourceSecurityGroupId}` : 'cidr'}
        onChange={(e) => {
          const { cidr: _c, sourceSecurityGroupId: _s, ...rest } = rule;
          onChange(
            e.target.value === 'cidr'
              ? { ...rest, cidr: '0.0.0.0/0' }
              : { ...rest, sourceSecurityGroupId: e.target.value.slice(3) },
          );
        }}
        options={[
          { value: 'cidr', label: 'CIDR' },
          ...groups.map((g) => ({ value: `sg:${g.id}`, label: `Group ${g.name}` })),
        ]}
      />
      {rule.sourceSecurityGroupId ? null : (
        <Input
          label="CIDR"
          className="w-40"
          value={rule.cidr ?? ''}
          onChange={(e) => onChange({ ...rule, cidr: e.target.value })}
        />
      )}
      <Button size="sm" onClick={onRemove} aria-label="Remove rule">
        Remove
      </Button>
      {problem ? <p className="w-full text-xs text-red-600">{problem}</p> : null}
    </div>
  );
}

function GroupEditor({
  group,
  open,
  onClose,
  groups,
}: {
  group: SecurityGroup | null;
  open: boolean;
  onClose: () => void;
  groups: SecurityGroup[];
}) {
  const save = useSaveSecurityGroup();
  const toast = useToast();
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [rules, setRules] = useState<RuleInput[]>(group?.rules.map(({ id: _id, ...r }) => r) ?? []);
  const invalid = !name || rules.some((r) => ruleProblem(r));
  const close = () => {
    save.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title={group ? `Edit ${group.name}` : 'Create security group'}
      description="Inbound is denied unless a rule allows it; outbound is open. A change applies to every attached instance at once."
      dismissible={!save.isPending}
      onSubmit={() => {
        if (invalid) return;
        save.mutate(
          { ...(group ? { id: group.id } : {}), name, description, rules },
          {
            onSuccess: (g) => {
              toast.success(group ? 'Security group saved' : 'Security group created', g.name);
              close();
            },
          },
        );
      }}
      footer={
        <DialogActions
          onCancel={close}
          pending={save.isPending}
          submitLabel={group ? 'Save rules' : 'Create'}
        />
      }
    >
      <div className="flex flex-col gap-3">
        {save.error ? (
          <Alert title="Could not save the security group">{describeError(save.error)}</Alert>
        ) : null}
        <Input label="Name" value={name} onChange={(e) => setName(e.target.value)} />
        <Input label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
        <div className="flex flex-wrap gap-2">
          <span className="text-sm text-muted">Add:</span>
          {PRESETS.map((p) => (
            <Button key={p.label} size="sm" onClick={() => setRules([...rules, ...p.rules])}>
              {p.label}
            </Button>
          ))}
          <Button
            size="sm"
            onClick={() =>
              setRules([...rules, { direction: 'inbound', protocol: 'tcp', fromPort: 22, cidr: '0.0.0.0/0' }])
            }
          >
            Custom rule
          </Button>
        </div>
        {rules.length === 0 ? <p className="text-sm text-muted">No rules: nothing gets in.</p> : null}
        {rules.map((r, i) => (
          <RuleRow
            // biome-ignore lint/suspicious/noArrayIndexKey: rules have no id until saved
            key={i}
            rule={r}
            groups={groups.filter((g) => g.id !== group?.id)}
            onChange={(next) => setRules(rules.map((x, j) => (j === i ? next : x)))}
            onRemove={() => setRules(rules.filter((_, j) => j !== i))}
          />
        ))}
      </div>
    </Dialog>
  );
}

const describe = (r: SecurityGroup['rules'][number], groups: SecurityGroup[]) => {
  const ports =
    r.fromPort === undefined ? '' : r.toPort !== undefined ? ` ${r.fromPort}-${r.toPort}` : ` ${r.fromPort}`;
  const peer = r.sourceSecurityGroupId
    ? (groups.find((g) => g.id === r.sourceSecurityGroupId)?.name ?? r.sourceSecurityGroupId)
    : r.cidr;
  return `${r.direction === 'inbound' ? 'in' : 'out'} ${r.protocol}${ports} ${r.direction === 'inbound' ? 'from' : 'to'} ${peer}`;
};

export default function SecurityGroupsPage() {
  const { can } = useSession();
  const list = useQuery(securityGroupsQuery());
  const toast = useToast();
  const [editing, setEditing] = useState<SecurityGroup | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SecurityGroup | null>(null);
  const groups = list.data?.items ?? [];
  const columns: Column<SecurityGroup>[] = [
    {
      key: 'name',
      header: 'Name',
      cell: (g) => (
        <div className="flex flex-col">
          <span className="font-medium">{g.name}</span>
          <span className="font-mono text-xs text-muted">{g.id}</span>
        </div>
      ),
    },
    {
      key: 'rules',
      header: 'Rules',
      cell: (g) => (
        <ul className="text-xs">
          {g.rules.length ? (
            g.rules.map((r) => <li key={r.id}>{describe(r, groups)}</li>)
          ) : (
            <li className="text-muted">none</li>
          )}
        </ul>
      ),
    },
  ];
  if (can('security_groups:update'))
    columns.push({
      key: 'actions',
      header: <span className="sr-only">Actions</span>,
      className: 'w-px text-right whitespace-nowrap',
      cell: (g) => (
        <span className="flex gap-2">
          <Button size="sm" onClick={() => setEditing(g)} aria-label={`Edit rules of ${g.name}`}>
            Edit rules
          </Button>
          <Button size="sm" onClick={() => setDeleting(g)} aria-label={`Delete security group ${g.name}`}>
            Delete
          </Button>
        </span>
      ),
    });
  return (
    <>
      <PageHeader
        eyebrow="Networking"
        title="Security groups"
        description="Firewall rules that follow your instances (Proxmox cluster security groups)."
        actions={
          can('security_groups:create') ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing('new')}>
              Create security group
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="Security groups"
        errorTitle="Could not load security groups"
        list={list}
        columns={columns}
        rowKey={(g) => g.id}
        skeletonRows={3}
        empty={{
          icon: <ShieldIcon />,
          title: 'No security groups yet',
          body: 'Create one with the SSH or HTTP/S preset and attach it at launch.',
        }}
      />
      {editing ? (
        <GroupEditor
          key={editing === 'new' ? 'new' : editing.id}
          open
          group={editing === 'new' ? null : editing}
          groups={groups}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <MutationDialog
        target={deleting}
        onClose={() => setDeleting(null)}
        mutation={useDeleteSecurityGroup()}
        variables={(g) => g.id}
        onSuccess={(g) => toast.success('Security group deleted', g.name)}
        title={`Delete security group ${deleting?.name ?? ''}?`}
        confirmLabel="Delete security group"
        errorTitle="Could not delete the security group"
      >
        <p>Its Proxmox group and member IP set are removed. Detach it from every instance first.</p>
      </MutationDialog>
    </>
  );
}
