import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { KeyIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Badge,
  Button,
  buttonColumn,
  type Column,
  CopyableId,
  PageHeader,
  ResourceList,
} from '../../components/index.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useUrlFilters } from '../../lib/useUrlFilters.ts';
import { useSession } from '../auth/session.tsx';
import { useLiveEvents } from '../instances/events.ts';
import { type KeyPair, keyPairsQuery } from './api.ts';
import { CreateKeyPairDialog, DeleteKeyPairDialog, ImportKeyPairDialog } from './KeyPairDialogs.tsx';

const PAGE_SIZE = 20;

export default function KeyPairsPage() {
  const { can } = useSession();
  useLiveEvents();
  const { offset, setOffset } = useUrlFilters();
  const list = useQuery(keyPairsQuery(PAGE_SIZE, offset));
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<KeyPair | null>(null);
  const canCreate = can('key_pairs:create');
  const canDelete = can('key_pairs:delete');

  const columns: Column<KeyPair>[] = [
    {
      key: 'name',
      header: 'Name',
      skeletonWidth: 'w-24',
      cell: (k) => (
        <div className="flex flex-col">
          <span className="font-medium">{k.name}</span>
          <span className="font-mono text-xs whitespace-nowrap text-muted">{k.id}</span>
          <span className="max-w-52 truncate font-mono text-xs text-muted sm:hidden" title={k.fingerprint}>
            {k.fingerprint}
          </span>
        </div>
      ),
    },
    {
      key: 'algo',
      header: 'Type',
      className: 'hidden sm:table-cell',
      skeletonWidth: 'w-16',
      cell: (k) => (
        <Badge>
          {k.algorithm.toUpperCase()} {k.algorithm === 'ed25519' ? '' : k.bits}
        </Badge>
      ),
    },
    {
      key: 'fp',
      header: 'Fingerprint',
      skeletonWidth: 'w-64',
      // On a phone the fingerprint sits under the name (truncated), so Delete stays in view.
      className: 'hidden sm:table-cell',
      cell: (k) => <CopyableId value={k.fingerprint} label={`fingerprint of ${k.name}`} truncate />,
    },
    {
      key: 'created',
      header: 'Created',
      className: 'hidden md:table-cell whitespace-nowrap',
      cell: (k) => <span className="text-muted">{formatDateTime(k.createdAt)}</span>,
    },
  ];
  if (canDelete) {
    columns.push(buttonColumn('Delete', (k) => `Delete key pair ${k.name}`, setDeleting));
  }

  return (
    <>
      <PageHeader
        eyebrow="Compute"
        title="Key pairs"
        description="SSH keys that new instances trust. Generate one here (the private key downloads once) or import the public half of a key you have."
        actions={
          canCreate ? (
            <>
              <Button onClick={() => setImporting(true)}>Import key pair</Button>
              <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
                Create key pair
              </Button>
            </>
          ) : null
        }
      />
      <ResourceList
        caption="Key pairs"
        errorTitle="Could not load key pairs"
        list={list}
        columns={columns}
        rowKey={(k) => k.id}
        skeletonRows={4}
        empty={{
          icon: <KeyIcon />,
          title: 'No key pairs yet',
          body: canCreate
            ? 'Create a key pair before launching an instance so you can log in with SSH.'
            : 'Your role cannot create key pairs.',
        }}
        pagination={{
          label: 'Key pair pages',
          limit: PAGE_SIZE,
          offset,
          onChange: setOffset,
          onlyWhenPaged: true,
        }}
      />
      <CreateKeyPairDialog open={creating} onClose={() => setCreating(false)} />
      <ImportKeyPairDialog open={importing} onClose={() => setImporting(false)} />
      <DeleteKeyPairDialog key={deleting?.id} keyPair={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
