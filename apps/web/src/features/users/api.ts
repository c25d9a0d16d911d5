import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { meKey } from '../auth/session.tsx';

export interface UsersFilter {
  q?: string;
  role?: 'admin' | 'operator' | 'readonly';
  status?: 'active' | 'disabled';
  limit: number;
  offset: number;
}

const fetchUsers = (f: UsersFilter) => call(() => api.GET('/api/v1/users', { params: { query: f } }));
export type UserList = Awaited<ReturnType<typeof fetchUsers>>;
export type User = UserList['items'][number];
export type Role = User['role'];

export const usersKey = ['users'] as const;

export const usersQuery = (f: UsersFilter) =>
  queryOptions({
    queryKey: [...usersKey, 'list', f] as const,
    queryFn: () => fetchUsers(f),
    placeholderData: keepPreviousData,
  });

export const rolesKey = ['roles'] as const;

export const rolesQuery = queryOptions({
  queryKey: rolesKey,
  queryFn: () => call(() => api.GET('/api/v1/roles')),
  staleTime: 10 * 60_000,
});

function useInvalidateUsers() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: usersKey });
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: { username: string; fullName?: string; password: string; role: Role }) =>
      call(() => api.POST('/api/v1/users', { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; fullName?: string; role?: Role; status?: User['status'] }) =>
      call(() => api.PUT('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: async () => {
      await invalidate();
      // The signed-in user's own name may have changed.
      await qc.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      call(() => api.POST('/api/v1/users/{id}/password', { params: { path: { id } }, body: { password } })),
  });
}

export function useDeleteUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, reassignTo }: { id: string; reassignTo?: string }) =>
      call(() =>
        api.DELETE('/api/v1/users/{id}', {
          params: { path: { id }, query: reassignTo ? { reassignTo } : {} },
        }),
      ),
    onSuccess: invalidate,
  });
}

export const roleOptions: ReadonlyArray<{ value: Role; label: string }> = [
  { value: 'admin', label: 'Admin' },
  { value: 'operator', label: 'Operator' },
  { value: 'readonly', label: 'ReadOnly' },
];

export const roleHelp: Record<Role, string> = {
  admin: 'Everything, including users and every resource.',
  operator: 'Creates and manages their own resources.',
  readonly: 'Can look, never change.',
};
