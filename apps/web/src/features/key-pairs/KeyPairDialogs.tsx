import { useState } from 'react';
import {
  CopyableId,
  FormDialog,
  Input,
  MutationDialog,
  SecretOnceDialog,
  Select,
  useToast,
} from '../../components/index.ts';
import {
  type CreatedKeyPair,
  downloadPrivateKey,
  KEY_PAIR_NAME,
  type KeyPair,
  useCreateKeyPair,
  useDeleteKeyPair,
  useImportKeyPair,
} from './api.ts';

/**
 * Generates a key pair. The private key downloads immediately (once: the server keeps only the public
 * key); `onCreated` hands the new key pair to the caller (the launch wizard selects it).
 */
export function CreateKeyPairDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated?: (k: KeyPair) => void;
}) {
  const create = useCreateKeyPair();
  const [name, setName] = useState('');
  const [algorithm, setAlgorithm] = useState<'ed25519' | 'rsa'>('ed25519');
  const [touched, setTouched] = useState(false);
  const [created, setCreated] = useState<CreatedKeyPair | null>(null);
  const nameError =
    touched && !KEY_PAIR_NAME.test(name) ? 'Letters, digits, dots, hyphens, underscores (1–64).' : null;
  const close = () => {
    setName('');
    setTouched(false);
    setCreated(null);
    create.reset();
    onClose();
  };
  if (created) {
    return (
      <SecretOnceDialog
        open={open}
        onClose={close}
        title={`Key pair ${created.keyPair.name} created`}
        download={{ label: 'Download again', onClick: () => downloadPrivateKey(created) }}
        warning={{
          title: 'The private key was downloaded: this is the only copy',
          body: (
            <>
              ProxiCloud never stores it. Keep the file safe (e.g. <code className="font-mono">~/.ssh/</code>,
              mode 600). Once you close this dialog it cannot be shown again.
            </>
          ),
        }}
        className="gap-3 text-sm"
      >
        <p className="text-muted">Fingerprint</p>
        <CopyableId value={created.keyPair.fingerprint} label="fingerprint" />
      </SecretOnceDialog>
    );
  }
  return (
    <FormDialog
      open={open}
      onClose={close}
      mutation={create}
      errorTitle="Could not create the key pair"
      submitLabel="Create and download"
      title="Create key pair"
      description="ProxiCloud generates the pair, puts the public key on your instances and gives you the private key once."
      onSubmit={() => {
        setTouched(true);
        if (!KEY_PAIR_NAME.test(name)) return;
        create.mutate(
          { name, algorithm },
          {
            onSuccess: (c) => {
              downloadPrivateKey(c);
              setCreated(c);
              onCreated?.(c.keyPair);
            },
          },
        );
      }}
    >
      <Input
        label="Key pair name"
        autoFocus
        value={name}
        error={nameError}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => setTouched(true)}
        placeholder="e.g. laptop"
      />
      <Select
        label="Algorithm"
        value={algorithm}
        onChange={(e) => setAlgorithm(e.target.value as 'ed25519' | 'rsa')}
        options={[
          { value: 'ed25519', label: 'ED25519 (recommended)' },
          { value: 'rsa', label: 'RSA 4096' },
        ]}
      />
    </FormDialog>
  );
}

export function ImportKeyPairDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const imp = useImportKeyPair();
  const toast = useToast();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [touched, setTouched] = useState(false);
  const close = () => {
    setName('');
    setPublicKey('');
    setTouched(false);
    imp.reset();
    onClose();
  };
  const nameError =
    touched && !KEY_PAIR_NAME.test(name) ? 'Letters, digits, dots, hyphens, underscores (1–64).' : null;
  const keyError =
    touched && !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+/.test(publicKey.trim())
      ? 'Paste one OpenSSH public key line (ssh-ed25519 …, ssh-rsa … or ecdsa-sha2-… ).'
      : null;
  return (
    <FormDialog
      open={open}
      onClose={close}
      mutation={imp}
      errorTitle="Could not import the key"
      submitLabel="Import key pair"
      size="lg"
      title="Import key pair"
      description="Use a key you already have: paste its public half (e.g. the contents of ~/.ssh/id_ed25519.pub)."
      onSubmit={() => {
        setTouched(true);
        if (!KEY_PAIR_NAME.test(name) || !publicKey.trim()) return;
        imp.mutate(
          { name, publicKey: publicKey.trim() },
          {
            onSuccess: (k) => {
              toast.success('Key pair imported', `${k.name} · ${k.fingerprint}`);
              close();
            },
          },
        );
      }}
    >
      <Input
        label="Key pair name"
        autoFocus
        value={name}
        error={nameError}
        onChange={(e) => setName(e.target.value)}
      />
      <div className="flex flex-col gap-1.5">
        <label htmlFor="import-public-key" className="text-sm font-medium">
          Public key
        </label>
        <textarea
          id="import-public-key"
          rows={5}
          value={publicKey}
          onChange={(e) => setPublicKey(e.target.value)}
          aria-invalid={keyError ? true : undefined}
          aria-describedby={keyError ? 'import-public-key-error' : undefined}
          className="block w-full rounded-md border border-line-strong bg-panel px-3 py-2 font-mono text-xs text-fg shadow-sm focus-visible:outline-2 focus-visible:outline-ring"
          placeholder="ssh-ed25519 AAAAC3Nza… you@laptop"
        />
        {keyError ? (
          <p id="import-public-key-error" className="text-sm text-red-700 dark:text-red-400">
            {keyError}
          </p>
        ) : null}
      </div>
    </FormDialog>
  );
}

export function DeleteKeyPairDialog({ keyPair, onClose }: { keyPair: KeyPair | null; onClose: () => void }) {
  const toast = useToast();
  return (
    <MutationDialog
      target={keyPair}
      onClose={onClose}
      mutation={useDeleteKeyPair()}
      variables={(k) => k.id}
      onSuccess={(k) => toast.success('Key pair deleted', k.name)}
      title={`Delete key pair ${keyPair?.name ?? ''}?`}
      confirmLabel="Delete key pair"
      errorTitle="Could not delete the key pair"
    >
      <p>
        New instances can no longer use it. Instances that already trust it keep the public key in their{' '}
        <code className="font-mono">authorized_keys</code>.
      </p>
    </MutationDialog>
  );
}
