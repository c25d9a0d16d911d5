import { Button, cx } from '../../../components/index.ts';
import { plural } from '../../../lib/format.ts';
import { formatBytes } from '../api.ts';
import { FileIcon } from '../shared.tsx';
import type { UploadItem } from '../uploads.ts';

// ---------------------------------------------------------------- uploads panel

function UploadRow({ item, onCancel }: { item: UploadItem; onCancel: (id: number) => void }) {
  const pct = item.size ? Math.round((item.loaded / item.size) * 100) : item.status === 'done' ? 100 : 0;
  const active = item.status === 'queued' || item.status === 'uploading';
  const state =
    item.status === 'done'
      ? 'Uploaded'
      : item.status === 'error'
        ? 'Failed'
        : item.status === 'cancelled'
          ? 'Cancelled'
          : item.status === 'queued'
            ? 'Waiting'
            : item.part
              ? `Part ${item.part.number} of ${item.part.count} · ${pct}%`
              : `${pct}%`;
  return (
    <li className="flex flex-col gap-1.5 py-2">
      <div className="flex items-center gap-3 text-sm">
        <FileIcon className="shrink-0 text-muted" />
        <span className="min-w-0 flex-1 truncate font-medium" title={`s3://${item.bucket}/${item.key}`}>
          {item.key}
        </span>
        <span className="shrink-0 text-xs text-muted tabular-nums">
          {formatBytes(item.loaded)} / {formatBytes(item.size)}
        </span>
        <span
          className={cx(
            'w-36 shrink-0 text-right text-xs tabular-nums',
            item.status === 'error' ? 'text-red-700 dark:text-red-400' : 'text-muted',
            item.status === 'done' && 'text-green-700 dark:text-green-400',
          )}
        >
          {state}
        </span>
        {active ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => onCancel(item.id)}
            aria-label={`Cancel upload of ${item.name}`}
          >
            Cancel
          </Button>
        ) : null}
      </div>
      <div
        role="progressbar"
        aria-label={`Upload of ${item.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={state}
        className="h-1.5 overflow-hidden rounded-full bg-panel-muted"
      >
        <div
          className={cx(
            'h-full rounded-full transition-[width] duration-200',
            item.status === 'error'
              ? 'bg-red-600'
              : item.status === 'cancelled'
                ? 'bg-line-strong'
                : 'bg-primary',
          )}
          style={{ width: `${pct}%` }}
        />
      </div>
      {item.error ? <p className="text-xs text-red-700 dark:text-red-400">{item.error}</p> : null}
    </li>
  );
}

export function UploadsPanel({
  items,
  onCancel,
  onClear,
}: {
  items: UploadItem[];
  onCancel: (id: number) => void;
  onClear: () => void;
}) {
  if (!items.length) return null;
  const active = items.filter((i) => i.status === 'queued' || i.status === 'uploading').length;
  return (
    <section aria-label="Uploads" className="mb-4 rounded-lg border border-line bg-panel px-4 py-3 shadow-sm">
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold" aria-live="polite">
          {active ? `Uploading ${plural(active, 'file')}…` : 'Uploads finished'}
        </h2>
        {active < items.length ? (
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear finished
          </Button>
        ) : null}
      </div>
      <ul className="divide-y divide-line">
        {items.map((i) => (
          <UploadRow key={i.id} item={i} onCancel={onCancel} />
        ))}
      </ul>
    </section>
  );
}
