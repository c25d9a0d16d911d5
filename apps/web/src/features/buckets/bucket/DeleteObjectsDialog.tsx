import { Alert, MutationDialog, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { plural } from '../../../lib/format.ts';
import { listAllKeys, useDeleteObjects } from '../api.ts';
import { TrashIcon } from '../shared.tsx';
import type { Row } from './types.ts';

export function DeleteDialog({
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
