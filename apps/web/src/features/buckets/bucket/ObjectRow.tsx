import { Link } from 'react-router';
import { Badge, cx, Menu } from '../../../components/index.ts';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { baseName, folderPath, formatBytes } from '../api.ts';
import { FileIcon, FolderIcon } from '../shared.tsx';
import type { Row } from './types.ts';

/** One row of the object table: a folder (opens it) or an object (details, download, share, delete). */
export function ObjectRow({
  row,
  bucket,
  prefix,
  selected,
  canDelete,
  onToggle,
  onDetails,
  onDownload,
  onShare,
  onDelete,
}: {
  row: Row;
  bucket: string;
  prefix: string;
  selected: boolean;
  canDelete: boolean;
  onToggle: () => void;
  onDetails: () => void;
  onDownload: () => void;
  onShare: () => void;
  onDelete: () => void;
}) {
  const name = baseName(row.key, prefix);
  return (
    <tr className={cx('h-12 hover:bg-panel-muted/50', selected && 'bg-primary/5')}>
      {canDelete ? (
        <td className="w-10 pl-4">
          <input
            type="checkbox"
            aria-label={`Select ${name}`}
            checked={selected}
            onChange={onToggle}
            className="size-4 accent-[var(--pc-primary)]"
          />
        </td>
      ) : null}
      <td className="max-w-[28rem] px-4 py-2">
        {row.kind === 'folder' ? (
          <Link
            to={folderPath(bucket, row.key)}
            className="inline-flex max-w-full items-center gap-2 font-medium text-primary hover:underline"
          >
            <FolderIcon className="shrink-0 text-lg" />
            <span className="truncate">{name}</span>
          </Link>
        ) : (
          <button
            type="button"
            onClick={onDetails}
            className="inline-flex max-w-full items-center gap-2 text-left hover:underline"
            title={row.key}
          >
            <FileIcon className="shrink-0 text-lg text-muted" />
            <span className="truncate">{name}</span>
          </button>
        )}
      </td>
      <td className="px-4 text-right whitespace-nowrap tabular-nums">
        {row.kind === 'object' ? formatBytes(row.size) : <span className="text-muted">—</span>}
      </td>
      <td className="hidden px-4 whitespace-nowrap text-muted sm:table-cell">
        {row.kind === 'object' ? (
          <span title={formatDateTime(row.lastModified)}>{formatRelative(row.lastModified)}</span>
        ) : null}
      </td>
      <td className="hidden max-w-48 truncate px-4 text-muted md:table-cell">
        {row.kind === 'object' ? row.contentType : <Badge>Folder</Badge>}
      </td>
      <td className="px-4 text-right">
        {row.kind === 'object' ? (
          <Menu
            label={`Actions for ${name}`}
            trigger="Actions"
            actions={[
              { label: 'Details', onSelect: onDetails },
              { label: 'Download', onSelect: onDownload },
              { label: 'Share link', onSelect: onShare },
              {
                label: 'Delete',
                danger: true,
                hidden: !canDelete,
                onSelect: onDelete,
              },
            ]}
          />
        ) : canDelete ? (
          <Menu
            label={`Actions for folder ${name}`}
            trigger="Actions"
            actions={[{ label: 'Delete folder', danger: true, onSelect: onDelete }]}
          />
        ) : null}
      </td>
    </tr>
  );
}
