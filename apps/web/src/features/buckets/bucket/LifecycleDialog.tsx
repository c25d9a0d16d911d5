import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Badge, Button, Dialog, Input, Spinner, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import {
  describeActions,
  describeFilter,
  type LifecycleRule,
  lifecycleQuery,
  useApplyLifecycle,
  useSetLifecycle,
} from '../lifecycle.ts';

const positive = (v: string) => (v.trim() === '' ? undefined : Number(v));

/** A new rule from the form, or the problem with it. */
function ruleOf(f: Record<string, string>, versioned: boolean): LifecycleRule | string {
  const expire = positive(f.expireDays ?? '');
  const noncurrent = positive(f.noncurrentDays ?? '');
  const keep = positive(f.keep ?? '');
  const abort = positive(f.abortDays ?? '');
  for (const [v, what] of [
    [expire, 'Expire after'],
    [noncurrent, 'Old versions after'],
    [abort, 'Abort uploads after'],
  ] as const)
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      return `${what}: a whole number of days, at least 1.`;
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1 || keep > 100))
    return 'Keep newest: a whole number from 1 to 100.';
  if (expire === undefined && noncurrent === undefined && abort === undefined)
    return 'Give at least one action: expire objects, old versions or unfinished uploads.';
  if (noncurrent !== undefined && !versioned)
    return 'Old versions exist only with versioning on: enable it first, or leave that field empty.';
  return {
    ...(f.id?.trim() ? { id: f.id.trim() } : {}),
    status: 'Enabled',
    filter: f.prefix?.trim() ? { prefix: f.prefix.trim() } : {},
    ...(expire !== undefined ? { expiration: { days: expire } } : {}),
    ...(noncurrent !== undefined
      ? {
          noncurrentVersionExpiration: {
            noncurrentDays: noncurrent,
            ...(keep ? { newerNoncurrentVersions: keep } : {}),
          },
        }
      : {}),
    ...(abort !== undefined ? { abortIncompleteMultipartUpload: { daysAfterInitiation: abort } } : {}),
  };
}

/** The bucket's lifecycle rules: list, add, remove, switch on/off, apply now. */
export function LifecycleDialog({
  bucket,
  open,
  onClose,
  canUpdate,
  versioned,
}: {
  bucket: string;
  open: boolean;
  onClose: () => void;
  canUpdate: boolean;
  versioned: boolean;
}) {
  const rules = useQuery({ ...lifecycleQuery(bucket), enabled: open });
  const set = useSetLifecycle(bucket);
  const apply = useApplyLifecycle(bucket);
  const toast = useToast();
  const [form, setForm] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const list = rules.data?.rules ?? [];
  const field = (name: string) => ({
    value: form[name] ?? '',
    onChange: (e: { target: { value: string } }) => {
      setForm({ ...form, [name]: e.target.value });
      setProblem(null);
    },
  });
  const save = (next: LifecycleRule[], done?: () => void) =>
    set.mutate(next, {
      onSuccess: () => done?.(),
      onError: (e) => setProblem(describeError(e)),
    });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={`Lifecycle rules of ${bucket}`}
      description="Rules delete what you no longer need: objects some days after upload, old versions, and uploads that never finished. They are due at midnight UTC and the server applies them every hour."
    >
      {rules.isPending ? (
        <Spinner label="Loading rules" />
      ) : list.length === 0 ? (
        <p className="rounded border border-dashed border-line-strong p-4 text-sm text-muted">
          No rules yet: nothing in this bucket expires. Add one below, for example “logs/” expiring after 30
          days.
        </p>
      ) : (
        <ul className="divide-y divide-line rounded border border-line" aria-label="Lifecycle rules">
          {list.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-2 p-3 text-sm">
              <span className="font-medium break-all">{r.id}</span>
              <Badge tone={r.status === 'Enabled' ? 'green' : 'neutral'}>
                {r.status === 'Enabled' ? 'On' : 'Off'}
              </Badge>
              <span className="text-muted">{describeFilter(r)}</span>
              <span className="basis-full">{describeActions(r)}</span>
              {canUpdate ? (
                <span className="flex gap-2">
                  <Button
                    size="sm"
                    disabled={set.isPending}
                    onClick={() =>
                      save(
                        list.map((x) =>
                          x.id === r.id
                            ? { ...x, status: x.status === 'Enabled' ? 'Disabled' : 'Enabled' }
                            : x,
                        ),
                      )
                    }
                  >
                    {r.status === 'Enabled' ? 'Switch off' : 'Switch on'}
                  </Button>
                  <Button
                    size="sm"
                    variant="danger"
                    disabled={set.isPending}
                    onClick={() => save(list.filter((x) => x.id !== r.id))}
                  >
                    Remove rule
                  </Button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canUpdate ? (
        <form
          className="mt-4 grid gap-3 sm:grid-cols-2"
          aria-label="Add a lifecycle rule"
          onSubmit={(e) => {
            e.preventDefault();
            const rule = ruleOf(form, versioned);
            if (typeof rule === 'string') return setProblem(rule);
            save([...list, rule], () => {
              setForm({});
              toast.success('Rule added', describeActions(rule));
            });
          }}
        >
          <Input label="Rule name" hint="Optional; generated when empty" {...field('id')} />
          <Input label="Only keys starting with" hint="Empty: the whole bucket" {...field('prefix')} />
          <Input label="Expire objects after (days)" inputMode="numeric" {...field('expireDays')} />
          <Input label="Abort unfinished uploads after (days)" inputMode="numeric" {...field('abortDays')} />
          <Input
            label="Delete old versions after (days)"
            inputMode="numeric"
            hint={versioned ? 'Counted from when a newer version replaced them' : 'Needs versioning'}
            {...field('noncurrentDays')}
          />
          <Input label="But keep the newest (versions)" inputMode="numeric" {...field('keep')} />
          {problem ? (
            <div className="sm:col-span-2">
              <Alert tone="error">{problem}</Alert>
            </div>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2 sm:col-span-2">
            {list.length ? (
              <Button
                type="button"
                disabled={apply.isPending}
                onClick={() =>
                  apply.mutate(undefined, {
                    onSuccess: (r) =>
                      toast.success(
                        'Rules applied',
                        `${r.expiredObjects} object(s) expired, ${r.expiredNoncurrentVersions} old version(s) and ${r.removedDeleteMarkers} delete marker(s) removed, ${r.abortedUploads} upload(s) aborted.`,
                      ),
                    onError: (e) => toast.error('Could not apply the rules', describeError(e)),
                  })
                }
              >
                Apply now
              </Button>
            ) : null}
            <Button type="submit" variant="primary" disabled={set.isPending}>
              Add rule
            </Button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
