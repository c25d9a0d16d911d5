import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  ConfirmDialog,
  Dialog,
  DialogActions,
  Input,
  Select,
  useToast,
} from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { formatDateTime } from '../../../lib/format.ts';
import {
  bucketObjectLockQuery,
  defaultRetentionText,
  type LockMode,
  objectLockQuery,
  retainUntilFromDate,
  useSetDefaultRetention,
  useSetLegalHold,
  useSetRetention,
} from '../objectlock.ts';

/**
 * The bucket's object lock as a badge next to the versioning status (nothing when it has none),
 * with a dialog to change the default retention for users who may change buckets.
 */
export function ObjectLockBadge({ bucket, canUpdate }: { bucket: string; canUpdate: boolean }) {
  const cfg = useQuery(bucketObjectLockQuery(bucket));
  const set = useSetDefaultRetention(bucket);
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<LockMode>('GOVERNANCE');
  const [period, setPeriod] = useState('30');
  const [unit, setUnit] = useState<'days' | 'years'>('days');
  const [enabling, setEnabling] = useState(false);
  const text = defaultRetentionText(cfg.data);
  if (!text) {
    // a versioned bucket without object lock: it can be turned on (and never off)
    if (!cfg.data || !canUpdate) return null;
    return (
      <>
        <Button size="sm" onClick={() => setEnabling(true)}>
          Enable object lock
        </Button>
        <ConfirmDialog
          open={enabling}
          onClose={() => setEnabling(false)}
          tone="primary"
          title={`Enable object lock on ${bucket}?`}
          confirmLabel="Enable object lock"
          pending={set.isPending}
          error={set.error}
          onConfirm={() =>
            set.mutate(null, {
              onSuccess: () => {
                setEnabling(false);
                toast.success(
                  'Object lock enabled',
                  'Set a default retention, or lock single objects in their details.',
                );
              },
            })
          }
        >
          Object lock cannot be turned off again, and versioning can no longer be suspended. Versions under a
          retention period or a legal hold cannot be deleted until it ends.
        </ConfirmDialog>
      </>
    );
  }
  const n = Number(period);
  const valid = /^\d+$/.test(period) && n >= 1 && n <= (unit === 'days' ? 36_500 : 100);
  const save = (value: { mode: LockMode; days?: number; years?: number } | null) =>
    set.mutate(value, {
      onSuccess: () => {
        toast.success(
          'Default retention saved',
          value ? undefined : 'New versions are no longer locked by default.',
        );
        setOpen(false);
      },
    });
  return (
    <>
      <Badge tone="amber">Object lock: {text}</Badge>
      {canUpdate ? (
        <Button size="sm" onClick={() => setOpen(true)}>
          Default retention
        </Button>
      ) : null}
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Default retention of ${bucket}`}
        description="Every new version gets this retention unless its upload asks for another. Versions already locked keep their retention."
        dismissible={!set.isPending}
        onSubmit={() => valid && save({ mode, ...(unit === 'days' ? { days: n } : { years: n }) })}
        footer={
          <>
            {cfg.data?.defaultRetention ? (
              <Button disabled={set.isPending} onClick={() => save(null)}>
                Remove default
              </Button>
            ) : null}
            <DialogActions
              onCancel={() => setOpen(false)}
              pending={set.isPending}
              submitLabel="Save"
              submitDisabled={!valid}
            />
          </>
        }
      >
        <div className="flex flex-col gap-4">
          {set.error ? <Alert title="Could not save">{describeError(set.error)}</Alert> : null}
          <Select
            label="Mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as LockMode)}
            options={[
              { value: 'GOVERNANCE', label: 'Governance — admins can shorten it or delete anyway' },
              { value: 'COMPLIANCE', label: 'Compliance — nobody can shorten it or delete early' },
            ]}
          />
          <div className="flex items-end gap-2">
            <Input
              label="Keep for"
              inputMode="numeric"
              value={period}
              onChange={(e) => setPeriod(e.target.value)}
              error={valid ? null : `A whole number from 1 to ${unit === 'days' ? '36500' : '100'}`}
              className="w-32"
            />
            <Select
              label="Unit"
              hideLabel
              value={unit}
              onChange={(e) => setUnit(e.target.value as 'days' | 'years')}
              options={[
                { value: 'days', label: 'days' },
                { value: 'years', label: 'years' },
              ]}
              className="w-28"
            />
          </div>
        </div>
      </Dialog>
    </>
  );
}

/**
 * An object's retention and legal hold (current version), in its details: users who may write can
 * put or release a legal hold and set or extend the retention (the server refuses shortening).
 */
export function ObjectLockPanel({
  bucket,
  objectKey,
  canWrite,
}: {
  bucket: string;
  objectKey: string;
  canWrite: boolean;
}) {
  const cfg = useQuery(bucketObjectLockQuery(bucket));
  const lock = useQuery({ ...objectLockQuery(bucket, objectKey), enabled: cfg.data?.enabled === true });
  const hold = useSetLegalHold(bucket);
  const retain = useSetRetention(bucket);
  const toast = useToast();
  const [mode, setMode] = useState<LockMode>('GOVERNANCE');
  const [date, setDate] = useState('');
  if (!cfg.data?.enabled) return null;
  const l = lock.data;
  const until = retainUntilFromDate(date);
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Object lock</h3>
      {lock.error ? <Alert title="Could not load the object lock">{describeError(lock.error)}</Alert> : null}
      {l ? (
        <div className="flex flex-col gap-3 text-sm">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt className="text-muted">Retention</dt>
            <dd>
              {l.retention ? (
                <>
                  <Badge tone={l.retention.mode === 'COMPLIANCE' ? 'red' : 'amber'}>{l.retention.mode}</Badge>{' '}
                  until {formatDateTime(l.retention.retainUntil)}
                </>
              ) : (
                'None'
              )}
            </dd>
            <dt className="text-muted">Legal hold</dt>
            <dd>{l.legalHold ? <Badge tone="red">On</Badge> : 'Off'}</dd>
            <dt className="text-muted">Deletable</dt>
            <dd>{l.locked ? 'No — this version is locked' : 'Yes'}</dd>
          </dl>
          {canWrite ? (
            <div className="flex flex-wrap items-end gap-2">
              <Button
                size="sm"
                disabled={hold.isPending}
                onClick={() =>
                  hold.mutate(
                    { key: objectKey, legalHold: !l.legalHold },
                    {
                      onSuccess: () =>
                        toast.success(l.legalHold ? 'Legal hold released' : 'Legal hold placed'),
                      onError: (e) => toast.error('Could not change the legal hold', describeError(e)),
                    },
                  )
                }
              >
                {l.legalHold ? 'Release legal hold' : 'Place legal hold'}
              </Button>
              <Select
                label="Mode"
                value={mode}
                onChange={(e) => setMode(e.target.value as LockMode)}
                className="w-40"
                options={[
                  { value: 'GOVERNANCE', label: 'Governance' },
                  { value: 'COMPLIANCE', label: 'Compliance' },
                ]}
              />
              <Input
                label="Retain until"
                type="date"
                value={date}
                onChange={(e) => setDate(e.target.value)}
                className="w-44"
              />
              <Button
                size="sm"
                disabled={!until || retain.isPending}
                onClick={() =>
                  until &&
                  retain.mutate(
                    { key: objectKey, retention: { mode, retainUntil: until } },
                    {
                      onSuccess: () => toast.success('Retention set'),
                      onError: (e) => toast.error('Could not set the retention', describeError(e)),
                    },
                  )
                }
              >
                Set retention
              </Button>
            </div>
          ) : null}
          <p className="text-xs text-muted">
            Retention can be extended at any time. Compliance retention can never be shortened; governance
            retention only by an admin (CLI:{' '}
            <code className="font-mono">proxicloud s3 retention --bypass-governance</code>).
          </p>
        </div>
      ) : null}
    </div>
  );
}
