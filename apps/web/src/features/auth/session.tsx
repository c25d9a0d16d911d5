import { queryOptions, useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import type { Permission } from './permissions.ts';

/** Query keys of the session: the signed-in user and the server's info. */
export const meKey = ['auth', 'me'] as const;
export const systemInfoKey = ['system', 'info'] as const;

export const meQuery = queryOptions({
  queryKey: meKey,
  queryFn: () => call(() => api.GET('/api/v1/auth/me')),
  staleTime: 60_000,
  retry: false,
});

export type Me = Awaited<ReturnType<typeof meQuery.queryFn & {}>>;
export type CurrentUser = Me['user'];

export interface Session {
  user: CurrentUser;
  permissions: ReadonlySet<string>;
  /** True when the signed-in user holds the permission (the server enforces it anyway). */
  can: (permission: Permission) => boolean;
}

export const SessionContext = createContext<Session | null>(null);

export function makeSession(me: Me): Session {
  const permissions = new Set(me.permissions);
  return { user: me.user, permissions, can: (p) => permissions.has(p) };
}

/** The signed-in user; only inside the authenticated layout. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession must be used inside the authenticated layout');
  return s;
}

export const systemInfoQuery = queryOptions({
  queryKey: systemInfoKey,
  queryFn: () => call(() => api.GET('/api/v1/system/info')),
  staleTime: 5 * 60_000,
});

export function useSystemInfo() {
  return useQuery(systemInfoQuery);
}

export const roleLabels: Record<CurrentUser['role'], string> = {
  admin: 'Admin',
  operator: 'Operator',
  readonly: 'ReadOnly',
};

/** Only same-origin paths are accepted as the post-login destination (no open redirects). */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
