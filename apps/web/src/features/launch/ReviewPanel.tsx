import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, cx } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatMiB } from '../instances/api.ts';
import { networksQuery } from '../networking/api.ts';
import type { LaunchForm } from './useLaunchForm.ts';

/** The wizard's summary, the quota after this launch, and the Launch button. */
export function ReviewPanel({ f }: { f: LaunchForm }) {
  const { eff, quota, quotaProblems, image } = f;
  const overQuota = quotaProblems.length > 0;
  const nets = useQuery(networksQuery());
  const netNames = f.networkIds.map((id) => nets.data?.items.find((n) => n.id === id)?.name ?? id);
  const network = netNames.length ? netNames.join(', ') : f.onBridge ? f.effBridge : 'Default network';
  return (
    <aside className="lg:sticky lg:top-4 lg:self-start">
      <Card title="Review">
        <dl className="flex flex-col gap-2 text-sm">
          {(
            [
              ['Name', f.name || '—'],
              ['Type', f.type === 'vm' ? 'Virtual machine' : 'LXC container'],
              ['Image', image ? `${image.os} ${image.version ?? ''}` : '—'],
              ['Size', `${eff.vcpu} vCPU · ${formatMiB(eff.memory)} · ${eff.sizeGib} GiB`],
              ['Node', f.node || 'Automatic'],
              ['Storage', f.storage || 'Automatic'],
              ['Network', network],
              ['IPv4', f.onBridge && f.ipMode === 'static' ? f.address.trim() || '—' : 'DHCP'],
              ['Key pairs', f.keys.length ? String(f.keys.length) : 'None'],
            ] as const
          ).map(([k, v]) => (
            <div key={k} className="flex justify-between gap-3">
              <dt className="text-muted">{k}</dt>
              <dd className="truncate text-right">{v}</dd>
            </div>
          ))}
        </dl>
        {quota.data ? (
          <div className="mt-4 border-t border-line pt-3 text-xs text-muted">
            <p className="mb-1 font-medium text-fg">Your quota after this launch</p>
            <QuotaLine
              label="Instances"
              used={quota.data.usage.instances + 1}
              limit={quota.data.limits.instances}
            />
            <QuotaLine label="vCPUs" used={quota.data.usage.vcpu + eff.vcpu} limit={quota.data.limits.vcpu} />
            <QuotaLine
              label="Memory"
              used={quota.data.usage.memory + eff.memory}
              limit={quota.data.limits.memory}
              fmt={formatMiB}
            />
            <QuotaLine
              label="Disk"
              used={quota.data.usage.diskGib + eff.sizeGib}
              limit={quota.data.limits.diskGib}
              fmt={(n) => `${n} GiB`}
            />
          </div>
        ) : null}
        {overQuota ? (
          <Alert title="Over your quota" className="mt-3">
            <ul id="launch-blocked" className="list-disc pl-4 text-xs">
              {quotaProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            <p className="mt-1 text-xs">Choose a smaller size, or ask an admin to raise your quota.</p>
          </Alert>
        ) : null}
        {f.submitError ? (
          <Alert title="Could not launch" className="mt-3">
            {describeError(f.submitError)}
          </Alert>
        ) : null}
        {f.touched && f.invalid && !overQuota ? (
          <p className="mt-3 text-sm text-red-700 dark:text-red-400">Fix the highlighted fields first.</p>
        ) : null}
        <Button
          type="submit"
          variant="primary"
          className="mt-4 w-full"
          loading={f.submitting}
          disabled={overQuota}
          aria-describedby={overQuota ? 'launch-blocked' : undefined}
        >
          Launch instance
        </Button>
        {overQuota ? (
          <p className="mt-2 text-center text-xs text-muted">
            Launch is disabled: this would go over your quota.
          </p>
        ) : null}
      </Card>
    </aside>
  );
}

function QuotaLine({
  label,
  used,
  limit,
  fmt = (n) => String(n),
}: {
  label: string;
  used: number;
  limit: number | null;
  fmt?: (n: number) => string;
}) {
  const over = limit !== null && used > limit;
  return (
    <p className={cx('flex justify-between', over && 'font-medium text-red-700 dark:text-red-400')}>
      <span>{label}</span>
      <span className="tabular-nums">
        {fmt(used)} / {limit === null ? 'unlimited' : fmt(limit)}
      </span>
    </p>
  );
}
