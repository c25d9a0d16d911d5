import { useState } from 'react';
import { Dialog, DialogActions, Input } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { createFolder } from '../api.ts';

export function CreateFolderDialog({
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
