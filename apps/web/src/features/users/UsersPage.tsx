import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PlusIcon, UsersIcon } from '../../components/icons.tsx';
import {
  Badge,
  Button,
  type Column,
  CopyableId,
  menuColumn,
  PageHeader,
  ResourceList,
  Select,
  useToast,
} from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useListParams } from '../../lib/useUrlFilters.ts';
import { P } from '../auth/permissions.ts';
import { RequirePermission } from '../auth/RequirePermission.tsx';
import { roleLabels, useSession } from '../auth/session.tsx';
import { type Role, roleOptions, type User, usersKey, usersQuery } from './api.ts';
import { CreateUserDialog, DeleteUserDialog, EditUserDialog, ResetPasswordDialog } from './UserDialogs.tsx';

const PAGE_SIZE = 20;
const roleTone = { admin: 'violet', operator: 'blue', readonly: 'neutral' } as const;

function useSetStatus() {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ user, status }: { user: User; status: User['status'] }) =>
      call(() => api.PUT('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { status } })),
    onSuccess: (u) => {
      toast.success(
        u.status === 'disabled' ? `User ${u.username} disabled` : `User ${u.username} enabled`,
        u.status === 'disabled'
          ? 'They are signed out and cannot sign in until enabled.'
          : 'They can sign in again.',
      );
      return qc.invalidateQueries({ queryKey: usersKey });
    },
    onError: (e) => toast.error('Could not change the status', describeError(e)),
  });
}

function UsersTable() {
  const { user: me, can } = useSession();
  const { update, offset, q, search, setSearch, filters, filtered, setOffset } = useListParams(
    ['role', 'status'],
    300,
  );
  const role = filters.role as Role | '';
  const status = filters.status as User['status'] | '';

  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const setStatus = useSetStatus();

  const list = useQuery(
    usersQuery({
      limit: PAGE_SIZE,
      offset,
      ...(q ? { q } : {}),
      ...(role ? { role } : {}),
      ...(status ? { status } : {}),
    }),
  );

  const canUpdate = can(P.usersUpdate);
  const canDelete = can(P.usersDelete);

  const columns: Column<User>[] = [
    {
      key: 'user',
      header: 'User',
      skeletonWidth: 'w-36',
      cell: (u) => (
        <div className="min-w-0">
          <p className="font-medium">
            {u.username}
            {u.id === me.id ? <span className="ml-1.5 text-xs font-normal text-muted">(you)</span> : null}
          </p>
          <p className="truncate text-xs text-muted">
            {u.fullName || '—'}
            {u.status === 'disabled' ? (
              <span className="text-red-700 sm:hidden dark:text-red-400"> · disabled</span>
            ) : null}
          </p>
        </div>
      ),
    },
    {
      key: 'id',
      header: 'User ID',
      className: 'hidden md:table-cell',
      skeletonWidth: 'w-32',
      cell: (u) => <CopyableId value={u.id} label={`user ID of ${u.username}`} />,
    },
    {
      key: 'role',
      header: 'Role',
      skeletonWidth: 'w-16',
      cell: (u) => <Badge tone={roleTone[u.role]}>{roleLabels[u.role]}</Badge>,
    },
    {
      key: 'status',
      header: 'Status',
      className: 'hidden sm:table-cell',
      skeletonWidth: 'w-16',
      cell: (u) => (
        <Badge tone={u.status === 'active' ? 'green' : 'red'} dot>
          {u.status === 'active' ? 'Active' : 'Disabled'}
        </Badge>
      ),
    },
    {
      key: 'lastLogin',
      header: 'Last sign-in',
      className: 'hidden lg:table-cell whitespace-nowrap',
      cell: (u) => (
        <span title={formatDateTime(u.lastLoginAt)} className="text-muted">
          {formatRelative(u.lastLoginAt)}
        </span>
      ),
    },
    {
      key: 'created',
      header: 'Created',
      className: 'hidden xl:table-cell whitespace-nowrap',
      cell: (u) => <span className="text-muted">{formatDateTime(u.createdAt)}</span>,
    },
  ];
  if (canUpdate || canDelete) {
    columns.push(
      menuColumn(
        (u) => u.username,
        (u) => {
          const self = u.id === me.id;
          return [
            { label: 'Edit', onSelect: () => setEditing(u), hidden: !canUpdate },
            { label: 'Reset password', onSelect: () => setResetting(u), hidden: !canUpdate || self },
            {
              label: u.status === 'active' ? 'Disable' : 'Enable',
              onSelect: () =>
                setStatus.mutate({ user: u, status: u.status === 'active' ? 'disabled' : 'active' }),
              hidden: !canUpdate || self,
            },
            { label: 'Delete', onSelect: () => setDeleting(u), danger: true, hidden: !canDelete || self },
          ];
        },
      ),
    );
  }

  return (
    <>
      <PageHeader
        eyebrow="IAM"
        title="Users"
        description="People who can sign in to this console, the CLI and the API, and what their role lets them do."
        actions={
          can(P.usersCreate) ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create user
            </Button>
          ) : null
        }
      />
      <ResourceList
        caption="Users"
        errorTitle="Could not load users"
        list={list}
        columns={columns}
        rowKey={(u) => u.id}
        skeletonRows={8}
        search={{
          label: 'Search users',
          placeholder: 'Search by username or name',
          value: search,
          onChange: setSearch,
        }}
        filters={
          <>
            <Select
              label="Role"
              hideLabel
              className="w-40"
              value={role}
              onChange={(e) => update({ role: e.target.value })}
              options={[{ value: '', label: 'All roles' }, ...roleOptions]}
            />
            <Select
              label="Status"
              hideLabel
              className="w-40"
              value={status}
              onChange={(e) => update({ status: e.target.value })}
              options={[
                { value: '', label: 'Any status' },
                { value: 'active', label: 'Active' },
                { value: 'disabled', label: 'Disabled' },
              ]}
            />
          </>
        }
        empty={{
          icon: <UsersIcon />,
          title: filtered ? 'No users match these filters' : 'No users yet',
          body: filtered
            ? 'Try another search or clear the filters.'
            : 'Create a user for each person who needs access.',
        }}
        pagination={{ label: 'Users pages', limit: PAGE_SIZE, offset, onChange: setOffset }}
      />
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <EditUserDialog
        key={`e-${editing?.id}`}
        user={editing}
        isSelf={editing?.id === me.id}
        onClose={() => setEditing(null)}
      />
      <ResetPasswordDialog key={`r-${resetting?.id}`} user={resetting} onClose={() => setResetting(null)} />
      <DeleteUserDialog key={`d-${deleting?.id}`} user={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

export default function UsersPage() {
  return (
    <RequirePermission permission={P.usersRead} title="Users">
      <UsersTable />
    </RequirePermission>
  );
}
