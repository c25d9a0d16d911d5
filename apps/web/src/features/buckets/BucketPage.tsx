import { useQuery } from '@tanstack/react-query';
import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ChevronLeftIcon, ChevronRightIcon, PlusIcon } from '../../components/icons.tsx';
import { Alert, Button, cx, EmptyState, PageHeader, useToast } from '../../components/index.ts';
import { describeError } from '../../lib/api/errors.ts';
import { plural } from '../../lib/format.ts';
import { useSession } from '../auth/session.tsx';
import { bucketQuery, downloadObject, formatBytes, objectsQuery, PAGE_SIZE } from './api.ts';
import { AccessDialog } from './bucket/AccessDialog.tsx';
import { Breadcrumbs } from './bucket/Breadcrumbs.tsx';
import { CreateFolderDialog } from './bucket/CreateFolderDialog.tsx';
import { DeleteDialog } from './bucket/DeleteObjectsDialog.tsx';
import { DetailsDialog } from './bucket/DetailsDialog.tsx';
import { EncryptionControl } from './bucket/EncryptionControl.tsx';
import { LifecycleDialog } from './bucket/LifecycleDialog.tsx';
import { ObjectLockBadge } from './bucket/ObjectLockPanel.tsx';
import { ObjectRow } from './bucket/ObjectRow.tsx';
import { ShareDialog } from './bucket/ShareDialog.tsx';
import { SortHeader } from './bucket/SortHeader.tsx';
import { type Row, type SortKey, sortRows } from './bucket/types.ts';
import { UploadsPanel } from './bucket/UploadsPanel.tsx';
import { VersioningControl } from './bucket/VersioningControl.tsx';
import { BP, FolderIcon, TrashIcon, UploadIcon } from './shared.tsx';
import { useUploads } from './uploads.ts';

export default function BucketPage() {
  const params = useParams();
  const bucket = params.bucket ?? '';
  const prefix = params['*'] ?? '';
  const { can } = useSession();
  const toast = useToast();
  const canWrite = can(BP.objectsWrite);
  const canDelete = can(BP.objectsDelete);
  const canUpdateBucket = can(BP.bucketsUpdate);

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
  const [lifecycleOpen, setLifecycleOpen] = useState(false);
  const [accessOpen, setAccessOpen] = useState(false);
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
    return sortRows(folders, objects, sort);
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
      {info.data ? (
        <div className="mb-2 flex justify-end">
          <span className="inline-flex flex-wrap items-center justify-end gap-2">
            <Button size="sm" onClick={() => setAccessOpen(true)}>
              Access &amp; tags
            </Button>
            <Button size="sm" onClick={() => setLifecycleOpen(true)}>
              {info.data.lifecycleRules
                ? `Lifecycle (${info.data.lifecycleRules} rule${info.data.lifecycleRules === 1 ? '' : 's'})`
                : 'Lifecycle rules'}
            </Button>
            <VersioningControl bucket={bucket} status={info.data.versioning} canUpdate={canUpdateBucket} />
            <EncryptionControl bucket={bucket} canUpdate={canUpdateBucket} />
            {info.data.versioning === 'Enabled' ? (
              <ObjectLockBadge bucket={bucket} canUpdate={canUpdateBucket} />
            ) : null}
          </span>
          <AccessDialog
            bucket={bucket}
            open={accessOpen}
            onClose={() => setAccessOpen(false)}
            canUpdate={canUpdateBucket}
          />
          <LifecycleDialog
            bucket={bucket}
            open={lifecycleOpen}
            onClose={() => setLifecycleOpen(false)}
            canUpdate={canUpdateBucket}
            versioned={info.data.versioning !== null}
          />
        </div>
      ) : null}
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
              : rows.map((r) => (
                  <ObjectRow
                    key={r.key}
                    row={r}
                    bucket={bucket}
                    prefix={prefix}
                    selected={selected.has(r.key)}
                    canDelete={canDelete}
                    onToggle={() => toggle(r.key)}
                    onDetails={() => setDetails(r.key)}
                    onDownload={() => void download(r.key)}
                    onShare={() => setSharing(r.key)}
                    onDelete={() => setDeleting([r])}
                  />
                ))}
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
        versioned={(info.data?.versioning ?? null) !== null}
        canWrite={canWrite}
        canDelete={canDelete}
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
