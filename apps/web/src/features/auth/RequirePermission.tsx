import type { ReactNode } from 'react';
import { LockIcon } from '../../components/icons.tsx';
import { EmptyState, PageHeader } from '../../components/index.ts';
import type { Permission } from './permissions.ts';
import { useSession } from './session.tsx';

/** Guards a page the user's role cannot open (the API refuses it too; this just says so clearly). */
export function RequirePermission({
  permission,
  title,
  children,
}: {
  permission: Permission;
  title: string;
  children: ReactNode;
}) {
  const { can } = useSession();
  if (can(permission)) return children;
  return (
    <>
      <PageHeader title={title} />
      <div className="rounded-lg border border-line bg-panel">
        <EmptyState icon={<LockIcon />} title="You do not have access to this page">
          Your role does not include the permission <code className="font-mono">{permission}</code>. Ask an
          admin if you need it.
        </EmptyState>
      </div>
    </>
  );
}
