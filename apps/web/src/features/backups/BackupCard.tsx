import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Button, Card, useToast } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatBytes, formatDateTime } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import { useLiveEvents } from '../instances/events.ts';
import { pointsQuery, useBackupNow } from './api.ts';

/** The last backup of an instance or volume and a "Back up now" button (instance and volume pages). */
export function BackupCard({ type, id }: { type: 'instance' | 'volume'; id: string }) {
  const { can } = useSession();
  const toast = useToast();
  const { live } = useLiveEvents();
  const points = useQuery(
    pointsQuery(
      { ...(type === 'instance' ? { instanceId: id } : { volumeId: id }), limit: 1, offset: 0 },
      live,
    ),
  );
  const now = useBackupNow();
  if (!can('backups:read')) return null;
  const last = points.data?.items[0];
  return (
    <Card title="Backups">
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <p data-testid="last-backup">
          {last ? (
            <>
              Last backup {formatDateTime(last.createdAt)} · {formatBytes(last.sizeBytes)}{' '}
              <span className="text-muted">({points.data?.total} kept)</span>
            </>
          ) : (
            <span className="text-muted">Not backed up yet.</span>
          )}{' '}
          <Link className="underline" to="/backups?tab=points">
            All backups
          </Link>
        </p>
        {can('backups:create') ? (
          <Button
            size="sm"
            loading={now.isPending}
            onClick={() =>
              now.mutate(
                { type, id },
                {
                  onSuccess: (r) => toast.success('Backup started', `run ${r.run.id}`),
                  onError: (e) => toast.error('Could not start the backup', describeError(e)),
                },
              )
            }
          >
            Back up now
          </Button>
        ) : null}
      </div>
    </Card>
  );
}
