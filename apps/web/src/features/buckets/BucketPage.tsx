import { useQuery } from '@tanstack/react-query';
import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ChevronLeftIcon, ChevronRightIcon, DownloadIcon, PlusIcon } from '../../components/icons.tsx';
import {
  Alert,
  Badge,
  Button,
  CopyableId,
  cx,
  Dialog,
  DialogActions,
  EmptyState,
  Input,
  Menu,
  MutationDialog,
  PageHeader,
  Select,
  Spinner,
  useToast,
} from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { formatDateTime, formatRelative, plural } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import {
  baseName,
  bucketQuery,
  createFolder,
  downloadObject,
  folderPath,
  formatBytes,
  listAllKeys,
  metadataQuery,
  type ObjectSummary,
  objectsQuery,
  PAGE_SIZE,
  presign,
  useDeleteObjects,
} from './api.ts';
import { BP, FileIcon, FolderIcon, LinkIcon, TrashIcon, UploadIcon } from './shared.tsx';
import { type UploadItem, useUploads } from './uploads.ts';

type SortKey = 'name' | 'size' | 'modified' | 'type';
type Row = { kind: 'folder'; key: string } | ({ kind: 'object' } & ObjectSummary);

// ---------------------------------------------------------------- breadcrumbs

function Breadcrumbs({ bucket, prefix }: { bucket: string; prefix: string }) {
  const parts = prefix.split('/').filter(Boolean);
  const crumbs = [
    { label: 'Buckets', to: '/storage/buckets' },
    { label: bucket, to: folderPath(bucket) },
    ...parts.map((p, i) => ({ label: p, to: folderPath(bucket, `${parts.slice(0, i + 1).join('/')}/`) })),
  ];
  return (
    <nav aria-label="Breadcrumb" className="mb-2 min-w-0">
      <ol className="flex flex-wrap items-center gap-1 text-sm text-muted">
        {crumbs.map((c, i) => (
          <li key={c.to} className="flex min-w-0 items-center gap-1">
            {i > 0 ? <ChevronRightIcon aria-hidden className="shrink-0" /> : null}
            {i === crumbs.length - 1 ? (
              <span aria-current="page" className="truncate font-medium text-fg">
                {c.label}
              </span>
            ) : (
              <Link to={c.to} className="truncate hover:text-fg hover:underline">
                {c.label}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

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

function UploadsPanel({
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

// ---------------------------------------------------------------- dialogs

function DetailsDialog({
  bucket,
  objectKey,
  onClose,
  onShare,
}: {
  bucket: string;
  objectKey: string | null;
  onClose: () => void;
  onShare: (key: string) => void;
}) {
  const meta = useQuery({ ...metadataQuery(bucket, objectKey ?? ''), enabled: objectKey !== null });
  const toast = useToast();
  const m = meta.data;
  const rows: [string, React.ReactNode][] = m
    ? [
        ['Key', <CopyableId key="k" value={m.key} label="object key" />],
        ['Size', `${formatBytes(m.size)} (${m.size.toLocaleString()} bytes)`],
        ['Content type', m.contentType],
        ['Last modified', formatDateTime(m.lastModified)],
        ['ETag', <CopyableId key="e" value={m.etag} label="ETag" />],
        ...(m.partsCount ? [['Parts', String(m.partsCount)] as [string, string]] : []),
        ...(m.cacheControl ? [['Cache-Control', m.cacheControl] as [string, string]] : []),
        ...(m.contentDisposition ? [['Content-Disposition', m.contentDisposition] as [string, string]] : []),
        ...(m.contentEncoding ? [['Content-Encoding', m.contentEncoding] as [string, string]] : []),
      ]
    : [];
  const userMeta = m ? Object.entries(m.metadata) : [];
  return (
    <Dialog
      open={objectKey !== null}
      onClose={onClose}
      size="lg"
      title={objectKey?.split('/').pop() || 'Object'}
      description={`s3://${bucket}/${objectKey ?? ''}`}
      footer={
        <>
          <Button
            icon={<DownloadIcon />}
            onClick={() =>
              objectKey &&
              downloadObject(bucket, objectKey).catch((e) => toast.error('Download failed', describeError(e)))
            }
          >
            Download
          </Button>
          <Button icon={<LinkIcon />} onClick={() => objectKey && onShare(objectKey)}>
            Share link
          </Button>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {meta.error ? <Alert title="Could not load the metadata">{describeError(meta.error)}</Alert> : null}
      {meta.isPending ? (
        <div className="flex justify-center py-8">
          <Spinner className="size-6" />
        </div>
      ) : null}
      {m ? (
        <div className="flex flex-col gap-4">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            {rows.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted">{label}</dt>
                <dd className="min-w-0 break-words">{value}</dd>
              </div>
            ))}
          </dl>
          <div>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">User metadata</h3>
            {userMeta.length ? (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 font-mono text-xs">
                {userMeta.map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-muted">x-amz-meta-{k}</dt>
                    <dd className="break-all">{v}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-sm text-muted">
                None. S3 tools can attach some with <code className="font-mono text-xs">x-amz-meta-*</code>{' '}
                headers.
              </p>
            )}
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}

const EXPIRY_CHOICES = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
];

function ShareDialog({
  bucket,
  objectKey,
  onClose,
}: {
  bucket: string;
  objectKey: string | null;
  onClose: () => void;
}) {
  const [expires, setExpires] = useState('3600');
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setLink(null);
    setError(null);
    onClose();
  };
  return (
    <Dialog
      open={objectKey !== null}
      onClose={close}
      title="Share link"
      description="Anyone with the link can download this object until it expires, without signing in."
      onSubmit={async () => {
        if (!objectKey) return;
        setBusy(true);
        setError(null);
        try {
          const r = await presign(bucket, objectKey, Number(expires));
          setLink({ url: r.url, expiresAt: r.expiresAt });
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
      footer={
        <>
          <Button onClick={close}>Close</Button>
          <Button type="submit" variant="primary" loading={busy}>
            {link ? 'Create another link' : 'Create link'}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <p className="truncate font-mono text-xs text-muted" title={objectKey ?? ''}>
          s3://{bucket}/{objectKey}
        </p>
        <Select
          label="Expires after"
          value={expires}
          onChange={(e) => {
            setExpires(e.target.value);
            setLink(null);
          }}
          options={EXPIRY_CHOICES}
        />
        {error ? <Alert title="Could not create the link">{describeError(error)}</Alert> : null}
        {link ? (
          <div className="rounded-md border border-line p-3">
            <p className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Link</p>
            <CopyableId value={link.url} label="share link" />
            <p className="mt-2 text-xs text-muted">
              Expires {formatDateTime(link.expiresAt)}. The link cannot be revoked early except by deleting or
              renaming the object.
            </p>
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}

function CreateFolderDialog({
  bucket,
  prefix,
  open,
  onClose,
  onCreated,
}: {
  bucket: string;
  prefix: string;
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setName('');
    setError(null);
    onClose();
  };
  const problem =
    name.trim() === ''
      ? 'Enter a name.'
      : name.startsWith('/') || name.includes('//')
        ? 'No empty path segments (a leading or double slash).'
        : name.split('/').some((s) => s === '.' || s === '..')
          ? '"." and ".." are not folder names.'
          : new TextEncoder().encode(prefix + name).length > 1000
            ? 'The full key would be too long.'
            : null;
  return (
    <Dialog
      open={open}
      onClose={close}
      size="sm"
      title="Create folder"
      description="Folders are key prefixes. This stores an empty marker object so the folder shows before it has files."
      dismissible={!busy}
      onSubmit={async () => {
        if (problem) return setError(problem);
        setBusy(true);
        try {
          await createFolder(bucket, `${prefix}${name.replace(/\/+$/, '')}/`);
          onCreated();
          close();
        } catch (e) {
          setError(describeError(e));
        } finally {
          setBusy(false);
        }
      }}
      footer={<DialogActions onCancel={close} pending={busy} submitLabel="Create folder" />}
    >
      <Input
        label="Folder name"
        autoFocus
        autoComplete="off"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setError(null);
        }}
        error={error}
        hint={`Created in /${prefix}`}
      />
    </Dialog>
  );
}

function DeleteDialog({
  bucket,
  targets,
  onClose,
  onDeleted,
}: {
  bucket: string;
  targets: Row[] | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const toast = useToast();
  const folders = targets?.filter((t) => t.kind === 'folder') ?? [];
  const objects = targets?.filter((t) => t.kind === 'object') ?? [];
  // Folders are deleted with everything under them: list their keys first.
  const keysOf = async (_: Row[], { close }: { close: () => void }) => {
    try {
      const keys = objects.map((o) => o.key);
      for (const f of folders) keys.push(...(await listAllKeys(bucket, f.key)));
      const unique = [...new Set(keys)];
      if (unique.length) return unique;
      close();
      onDeleted();
    } catch (e) {
      toast.error('Could not list the folder contents', describeError(e));
    }
    return undefined;
  };
  return (
    <MutationDialog
      target={targets}
      onClose={onClose}
      mutation={useDeleteObjects(bucket)}
      variables={keysOf}
      onSuccess={(_, deleted) => {
        toast.success('Deleted', plural(deleted.length, 'object'));
        onDeleted();
      }}
      size="md"
      title={`Delete ${plural((targets ?? []).length, 'item')}?`}
      confirmLabel="Delete"
      confirmIcon={<TrashIcon />}
      errorTitle="Could not delete everything"
    >
      <p>This cannot be undone. Share links to these objects stop working.</p>
      {folders.length ? (
        <Alert tone="warning" title="Folders are deleted with everything inside them">
          {folders.map((f) => f.key).join(', ')}
        </Alert>
      ) : null}
      <ul className="max-h-48 list-disc overflow-y-auto pl-5 font-mono text-xs">
        {(targets ?? []).map((t) => (
          <li key={t.key} className="break-all">
            {t.key}
          </li>
        ))}
      </ul>
    </MutationDialog>
  );
}

// ---------------------------------------------------------------- the page

function SortHeader({
  label,
  col,
  sort,
  onSort,
  className,
}: {
  label: string;
  col: SortKey;
  sort: { key: SortKey; dir: 1 | -1 };
  onSort: (k: SortKey) => void;
  className?: string;
}) {
  const active = sort.key === col;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
      className={cx('h-10 border-b border-line px-4 whitespace-nowrap', className)}
    >
      <button
        type="button"
        onClick={() => onSort(col)}
        className="inline-flex items-center gap-1 uppercase hover:text-fg focus-visible:outline-2 focus-visible:outline-ring"
      >
        {label}
        <span aria-hidden className={cx('text-[10px]', !active && 'opacity-0')}>
          {sort.dir === 1 ? '▲' : '▼'}
        </span>
      </button>
    </th>
  );
}

export default function BucketPage() {
  const params = useParams();
  const bucket = params.bucket ?? '';
  const prefix = params['*'] ?? '';
  const { can } = useSession();
  const toast = useToast();
  const canWrite = can(BP.objectsWrite);
  const canDelete = can(BP.objectsDelete);

  // Cursor stack of the pages seen so far, for this folder only (another folder starts at page 1).
  const here = `${bucket}\n${prefix}`;
  const [paging, setPaging] = useState<{ at: string; stack: (string | null)[] }>({ at: here, stack: [null] });
  const cursors = paging.at === here ? paging.stack : [null];
  const setCursors = (f: (c: (string | null)[]) => (string | null)[]) =>
    setPaging({ at: here, stack: f(cursors) });
  const cursor = cursors[cursors.length - 1] ?? null;
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'name', dir: 1 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [details, setDetails] = useState<string | null>(null);
  const [sharing, setSharing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Row[] | null>(null);
  const [folderOpen, setFolderOpen] = useState(false);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploads = useUploads();

  // A new folder starts at its first page with nothing selected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the location changes
  useEffect(() => {
    setSelected(new Set());
  }, [bucket, prefix]);

  const info = useQuery(bucketQuery(bucket));
  const list = useQuery(objectsQuery(bucket, prefix, cursor));

  const rows: Row[] = useMemo(() => {
    const data = list.data;
    if (!data) return [];
    const folders: Row[] = data.prefixes.map((p) => ({ kind: 'folder', key: p }));
    // The folder's own marker object (`prefix/`) is not listed inside it.
    const objects: Row[] = data.items.filter((o) => o.key !== prefix).map((o) => ({ kind: 'object', ...o }));
    const cmp = (a: Row, b: Row): number => {
      const s = sort.dir;
      if (sort.key === 'name') return a.key < b.key ? -s : a.key > b.key ? s : 0;
      if (a.kind === 'folder' || b.kind === 'folder') return a.key < b.key ? -1 : 1;
      if (sort.key === 'size') return (a.size - b.size) * s || (a.key < b.key ? -1 : 1);
      if (sort.key === 'type')
        return a.contentType.localeCompare(b.contentType) * s || (a.key < b.key ? -1 : 1);
      return (a.lastModified < b.lastModified ? -1 : a.lastModified > b.lastModified ? 1 : 0) * s;
    };
    return [...folders.sort(cmp), ...objects.sort(cmp)];
  }, [list.data, prefix, sort]);

  const onSort = (key: SortKey) =>
    setSort((s) =>
      s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'modified' ? -1 : 1 },
    );

  const toggle = (key: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.key));
  const selectedRows = rows.filter((r) => selected.has(r.key));

  const addFiles = (files: FileList | File[] | null) => {
    if (!files || !canWrite) return;
    const list = [...files];
    if (list.length) uploads.add(bucket, prefix, list);
  };

  const onDrop = (e: DragEvent) => {
    if (!canWrite) return;
    e.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    addFiles(e.dataTransfer?.files ?? null);
  };
  const dropHandlers = canWrite
    ? {
        onDragEnter: (e: DragEvent) => {
          if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
          e.preventDefault();
          dragDepth.current++;
          setDragging(true);
        },
        onDragOver: (e: DragEvent) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        },
        onDragLeave: () => {
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        },
        onDrop,
      }
    : {};

  const refresh = () => {
    setSelected(new Set());
    void list.refetch();
    void info.refetch();
  };

  const download = (key: string) =>
    downloadObject(bucket, key).catch((e) => toast.error('Download failed', describeError(e)));

  const notFound = info.error && 'status' in info.error && (info.error as { status: number }).status === 404;
  const place = prefix ? `/${prefix}` : 'the top level';
  const hasMore = list.data?.isTruncated ?? false;

  const headerDescription = info.data
    ? `${prefix ? 'Whole bucket: ' : ''}${plural(info.data.objectCount, 'object')} · ${formatBytes(info.data.sizeBytes)}${info.data.storage === 'zfs' ? ' · ZFS dataset' : ''}`
    : '\u00a0';

  if (notFound)
    return (
      <EmptyState
        icon={<FolderIcon />}
        title="Bucket not found"
        action={
          <Link className="text-primary hover:underline" to="/storage/buckets">
            Back to buckets
          </Link>
        }
      >
        There is no bucket named “{bucket}” that you can see. It may have been deleted, or it belongs to
        another user.
      </EmptyState>
    );

  return (
    <div {...dropHandlers} className="relative">
      <Breadcrumbs bucket={bucket} prefix={prefix} />
      <PageHeader
        eyebrow="Storage · Bucket"
        title={prefix ? `${bucket}/${prefix}` : bucket}
        description={headerDescription}
        actions={
          <>
            {canWrite ? (
              <>
                <Button variant="primary" icon={<UploadIcon />} onClick={() => fileInput.current?.click()}>
                  Upload files
                </Button>
                <Button icon={<PlusIcon />} onClick={() => setFolderOpen(true)}>
                  Create folder
                </Button>
              </>
            ) : null}
            {canDelete && selectedRows.length > 0 ? (
              <Button
                variant="danger"
                icon={<TrashIcon />}
                disabled={selectedRows.length === 0}
                onClick={() => setDeleting(selectedRows)}
              >
                Delete{selectedRows.length ? ` (${selectedRows.length})` : ''}
              </Button>
            ) : null}
          </>
        }
      />
      {canWrite ? (
        <input
          ref={fileInput}
          type="file"
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-label="Files to upload"
          data-testid="upload-input"
          onChange={(e) => {
            addFiles(e.target.files);
            e.target.value = '';
          }}
        />
      ) : null}

      <UploadsPanel items={uploads.items} onCancel={uploads.cancel} onClear={uploads.clearFinished} />

      {list.error ? (
        <Alert title="Could not list objects" className="mb-4">
          {describeError(list.error)}
        </Alert>
      ) : null}

      <div
        className={cx(
          'relative overflow-x-auto rounded-lg border bg-panel shadow-sm',
          dragging ? 'border-primary ring-2 ring-primary/40' : 'border-line',
        )}
      >
        <table className="w-full border-collapse text-left text-sm" aria-busy={list.isFetching || undefined}>
          <caption className="sr-only">
            Objects in {bucket} {prefix ? `under ${prefix}` : ''}, sorted by {sort.key}
          </caption>
          <thead className="bg-panel-muted text-xs font-semibold tracking-wide text-muted uppercase">
            <tr>
              {canDelete ? (
                <th scope="col" className="h-10 w-10 border-b border-line pl-4">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={allSelected}
                    disabled={rows.length === 0}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.key)))}
                    className="size-4 accent-[var(--pc-primary)]"
                  />
                </th>
              ) : null}
              <SortHeader label="Name" col="name" sort={sort} onSort={onSort} />
              <SortHeader label="Size" col="size" sort={sort} onSort={onSort} className="text-right" />
              <SortHeader
                label="Modified"
                col="modified"
                sort={sort}
                onSort={onSort}
                className="hidden sm:table-cell"
              />
              <SortHeader
                label="Type"
                col="type"
                sort={sort}
                onSort={onSort}
                className="hidden md:table-cell"
              />
              <th scope="col" className="h-10 w-px border-b border-line px-4">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {list.isPending
              ? Array.from({ length: 5 }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows
                  <tr key={i} className="h-12">
                    <td colSpan={6} className="px-4">
                      <span className="block h-3.5 w-1/2 animate-pulse rounded bg-panel-muted" />
                    </td>
                  </tr>
                ))
              : rows.map((r) => {
                  const name = baseName(r.key, prefix);
                  return (
                    <tr
                      key={r.key}
                      className={cx('h-12 hover:bg-panel-muted/50', selected.has(r.key) && 'bg-primary/5')}
                    >
                      {canDelete ? (
                        <td className="w-10 pl-4">
                          <input
                            type="checkbox"
                            aria-label={`Select ${name}`}
                            checked={selected.has(r.key)}
                            onChange={() => toggle(r.key)}
                            className="size-4 accent-[var(--pc-primary)]"
                          />
                        </td>
                      ) : null}
                      <td className="max-w-[28rem] px-4 py-2">
                        {r.kind === 'folder' ? (
                          <Link
                            to={folderPath(bucket, r.key)}
                            className="inline-flex max-w-full items-center gap-2 font-medium text-primary hover:underline"
                          >
                            <FolderIcon className="shrink-0 text-lg" />
                            <span className="truncate">{name}</span>
                          </Link>
                        ) : (
                          <button
                            type="button"
                            onClick={() => setDetails(r.key)}
                            className="inline-flex max-w-full items-center gap-2 text-left hover:underline"
                            title={r.key}
                          >
                            <FileIcon className="shrink-0 text-lg text-muted" />
                            <span className="truncate">{name}</span>
                          </button>
                        )}
                      </td>
                      <td className="px-4 text-right whitespace-nowrap tabular-nums">
                        {r.kind === 'object' ? formatBytes(r.size) : <span className="text-muted">—</span>}
                      </td>
                      <td className="hidden px-4 whitespace-nowrap text-muted sm:table-cell">
                        {r.kind === 'object' ? (
                          <span title={formatDateTime(r.lastModified)}>{formatRelative(r.lastModified)}</span>
                        ) : null}
                      </td>
                      <td className="hidden max-w-48 truncate px-4 text-muted md:table-cell">
                        {r.kind === 'object' ? r.contentType : <Badge>Folder</Badge>}
                      </td>
                      <td className="px-4 text-right">
                        {r.kind === 'object' ? (
                          <Menu
                            label={`Actions for ${name}`}
                            trigger="Actions"
                            actions={[
                              { label: 'Details', onSelect: () => setDetails(r.key) },
                              { label: 'Download', onSelect: () => void download(r.key) },
                              { label: 'Share link', onSelect: () => setSharing(r.key) },
                              {
                                label: 'Delete',
                                danger: true,
                                hidden: !canDelete,
                                onSelect: () => setDeleting([r]),
                              },
                            ]}
                          />
                        ) : canDelete ? (
                          <Menu
                            label={`Actions for folder ${name}`}
                            trigger="Actions"
                            actions={[
                              { label: 'Delete folder', danger: true, onSelect: () => setDeleting([r]) },
                            ]}
                          />
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
            {!list.isPending && rows.length === 0 && !list.error ? (
              <tr>
                <td colSpan={6} className="px-4 py-2">
                  <EmptyState
                    icon={canWrite ? <UploadIcon /> : <FolderIcon />}
                    title={prefix ? 'This folder is empty' : 'This bucket is empty'}
                    action={
                      canWrite ? (
                        <Button
                          variant="primary"
                          icon={<UploadIcon />}
                          onClick={() => fileInput.current?.click()}
                        >
                          Choose files
                        </Button>
                      ) : null
                    }
                  >
                    {canWrite ? (
                      <>
                        Drag files from your computer anywhere onto this page, or choose them. They are stored
                        in {place}. Large files go up in parts, so big uploads can be cancelled and do not
                        start over. From a terminal:
                        <code className="mt-2 block font-mono text-xs break-all">
                          proxicloud s3 cp ./dir s3://{bucket}/{prefix} --recursive
                        </code>
                      </>
                    ) : (
                      'Nothing has been stored here yet. Your role can browse and download, but not upload.'
                    )}
                  </EmptyState>
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {dragging ? (
          <div
            aria-hidden
            className="pointer-events-none absolute inset-0 flex items-center justify-center bg-primary/10 text-base font-semibold text-primary"
          >
            Drop files to upload to {place}
          </div>
        ) : null}
      </div>

      <nav
        aria-label="Object pages"
        className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm text-muted"
      >
        <p className="tabular-nums" aria-live="polite">
          {list.data
            ? `Page ${cursors.length} · ${plural(list.data.prefixes.length, 'folder')}, ${plural(rows.filter((r) => r.kind === 'object').length, 'object')}${hasMore ? ` (${PAGE_SIZE} per page)` : ''}`
            : '\u00a0'}
        </p>
        <div className="flex items-center gap-2">
          <Button size="sm" onClick={refresh}>
            Refresh
          </Button>
          <Button
            size="sm"
            icon={<ChevronLeftIcon />}
            aria-label="Previous page"
            disabled={cursors.length <= 1}
            onClick={() => {
              setSelected(new Set());
              setCursors((c) => c.slice(0, -1));
            }}
          />
          <Button
            size="sm"
            icon={<ChevronRightIcon />}
            aria-label="Next page"
            disabled={!hasMore || !list.data?.nextCursor}
            onClick={() => {
              setSelected(new Set());
              setCursors((c) => [...c, list.data?.nextCursor ?? null]);
            }}
          />
        </div>
      </nav>

      <DetailsDialog
        bucket={bucket}
        objectKey={details}
        onClose={() => setDetails(null)}
        onShare={(key) => {
          setDetails(null);
          setSharing(key);
        }}
      />
      <ShareDialog key={sharing ?? ''} bucket={bucket} objectKey={sharing} onClose={() => setSharing(null)} />
      <CreateFolderDialog
        bucket={bucket}
        prefix={prefix}
        open={folderOpen}
        onClose={() => setFolderOpen(false)}
        onCreated={refresh}
      />
      <DeleteDialog
        bucket={bucket}
        targets={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setSelected(new Set());
          void list.refetch();
          void info.refetch();
        }}
      />
    </div>
  );
}
