import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  Button,
  CopyableId,
  FormDialog,
  Input,
  MutationDialog,
  Select,
  useToast,
} from '../../components/index.ts';
import { ApiError } from '../../lib/api/errors.ts';
import { plural } from '../../lib/format.ts';
import { generatePassword, passwordProblem, usernameProblem } from '../../lib/password.ts';
import {
  type Role,
  roleHelp,
  roleOptions,
  type User,
  useCreateUser,
  useDeleteUser,
  useResetPassword,
  usersQuery,
  useUpdateUser,
} from './api.ts';

/** Password field with a "Generate" button; a generated password is shown so it can be handed over. */
function NewPasswordField({
  value,
  onChange,
  error,
  label = 'Password',
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string | null;
  label?: string;
}) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-end gap-2">
        <Input
          className="flex-1"
          label={label}
          type={visible ? 'text' : 'password'}
          autoComplete="new-password"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          error={error}
          hint="At least 10 characters."
        />
        <Button
          className={error ? 'mb-6' : 'mb-5'}
          onClick={() => {
            onChange(generatePassword());
            setVisible(true);
          }}
        >
          Generate
        </Button>
      </div>
      {visible && value ? (
        <div className="rounded-md bg-panel-muted px-3 py-2 text-sm">
          <CopyableId value={value} label="password" />
        </div>
      ) : null}
    </div>
  );
}

export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const toast = useToast();
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [fullName, setFullName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);

  const reset = () => {
    setUsername('');
    setFullName('');
    setRole('operator');
    setPassword('');
    setTouched(false);
    create.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  const usernameErr = touched ? usernameProblem(username) : null;
  const passwordErr = touched ? passwordProblem(password) : null;
  const conflict = create.error instanceof ApiError && create.error.status === 409;

  const submit = () => {
    setTouched(true);
    if (usernameProblem(username) || passwordProblem(password)) return;
    create.mutate(
      { username, password, role, ...(fullName.trim() ? { fullName: fullName.trim() } : {}) },
      {
        onSuccess: (u) => {
          toast.success(`User ${u.username} created`, 'They can sign in now with the password you set.');
          close();
        },
      },
    );
  };

  return (
    <FormDialog
      open={open}
      onClose={close}
      mutation={create}
      errorTitle="Could not create the user"
      showError={!conflict}
      submitLabel="Create user"
      title="Create user"
      description="The user signs in with this username and password and can change the password later."
      onSubmit={submit}
    >
      <Input
        label="Username"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        value={username}
        onChange={(e) => setUsername(e.target.value.toLowerCase())}
        error={conflict ? `The username ${username} is taken.` : usernameErr}
        hint="Lower-case letters, digits, dot, dash or underscore; 3–32 characters."
      />
      <Input label="Full name (optional)" value={fullName} onChange={(e) => setFullName(e.target.value)} />
      <Select
        label="Role"
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        options={roleOptions}
        hint={roleHelp[role]}
      />
      <NewPasswordField value={password} onChange={setPassword} error={passwordErr} />
    </FormDialog>
  );
}

export function EditUserDialog({
  user,
  isSelf,
  onClose,
}: {
  user: User | null;
  isSelf: boolean;
  onClose: () => void;
}) {
  const toast = useToast();
  const update = useUpdateUser();
  const [fullName, setFullName] = useState(user?.fullName ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'operator');

  const close = () => {
    update.reset();
    onClose();
  };
  const submit = () => {
    if (!user) return;
    const body: { id: string; fullName?: string; role?: Role } = { id: user.id };
    if (fullName.trim() !== user.fullName) body.fullName = fullName.trim();
    if (!isSelf && role !== user.role) body.role = role;
    if (Object.keys(body).length === 1) return close();
    update.mutate(body, {
      onSuccess: (u) => {
        toast.success(`User ${u.username} updated`);
        close();
      },
    });
  };

  return (
    <FormDialog
      open={user !== null}
      onClose={close}
      mutation={update}
      errorTitle="Could not save"
      submitLabel="Save changes"
      title={`Edit ${user?.username ?? ''}`}
      onSubmit={submit}
    >
      <Input label="Full name" value={fullName} autoFocus onChange={(e) => setFullName(e.target.value)} />
      <Select
        label="Role"
        value={role}
        disabled={isSelf}
        onChange={(e) => setRole(e.target.value as Role)}
        options={roleOptions}
        hint={isSelf ? 'You cannot change your own role; another admin can.' : roleHelp[role]}
      />
    </FormDialog>
  );
}

export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const toast = useToast();
  const resetPw = useResetPassword();
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const close = () => {
    setPassword('');
    setTouched(false);
    resetPw.reset();
    onClose();
  };
  const err = touched ? passwordProblem(password) : null;
  const submit = () => {
    setTouched(true);
    if (!user || passwordProblem(password)) return;
    resetPw.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          toast.success(
            `Password of ${user.username} reset`,
            'Their sessions were signed out and any lockout lifted.',
          );
          close();
        },
      },
    );
  };
  return (
    <FormDialog
      open={user !== null}
      onClose={close}
      mutation={resetPw}
      errorTitle="Could not reset the password"
      submitLabel="Reset password"
      title={`Reset password of ${user?.username ?? ''}`}
      description="Signs the user out everywhere and lifts a sign-in lockout. Give them the new password in person or over a safe channel."
      onSubmit={submit}
    >
      <NewPasswordField label="New password" value={password} onChange={setPassword} error={err} />
    </FormDialog>
  );
}

function OwnedResources({ counts }: { counts: Record<string, unknown> }) {
  const entries = Object.entries(counts).filter(([, n]) => typeof n === 'number' && n > 0) as Array<
    [string, number]
  >;
  if (entries.length === 0) return null;
  return (
    <ul className="mt-1 list-inside list-disc">
      {entries.map(([type, n]) => (
        <li key={type}>{plural(n, type.replace(/_/g, ' ').replace(/s$/, ''))}</li>
      ))}
    </ul>
  );
}

export function DeleteUserDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const toast = useToast();
  const del = useDeleteUser();
  const [reassignTo, setReassignTo] = useState('');
  const owns = del.error instanceof ApiError && del.error.code === 'user_owns_resources' ? del.error : null;
  // Candidates to take over the resources: other active users (first 1000 is plenty for a homelab).
  const candidates = useQuery({
    ...usersQuery({ status: 'active', limit: 1000, offset: 0 }),
    enabled: owns !== null,
  });
  const counts = (owns?.details?.counts ?? owns?.details ?? {}) as Record<string, unknown>;
  const others = (candidates.data?.items ?? []).filter((u) => u.id !== user?.id);

  return (
    <MutationDialog
      target={user}
      onClose={onClose}
      mutation={del}
      variables={(u) =>
        owns && !reassignTo ? undefined : { id: u.id, ...(owns && reassignTo ? { reassignTo } : {}) }
      }
      onSuccess={(u) => toast.success(`User ${u.username} deleted`)}
      onReset={() => setReassignTo('')}
      title={`Delete user ${user?.username ?? ''}?`}
      confirmLabel={owns ? `Reassign and delete ${user?.username ?? ''}` : `Delete ${user?.username ?? ''}`}
      confirmDisabled={owns !== null && !reassignTo}
      error={owns ? null : undefined}
      errorTitle="Could not delete the user"
    >
      <p>
        <strong className="font-semibold">{user?.username}</strong>
        {user?.fullName ? ` (${user.fullName})` : ''} will no longer be able to sign in. Their access keys
        stop working. This cannot be undone; to block sign-in temporarily, disable the user instead.
      </p>
      {owns ? (
        <>
          <Alert tone="warning" title={`${user?.username} still owns resources`}>
            <OwnedResources counts={counts} />
            <p className="mt-1">
              Choose who gets them; they move to that user, then {user?.username} is deleted.
            </p>
          </Alert>
          <Select
            label="Give their resources to"
            value={reassignTo}
            onChange={(e) => setReassignTo(e.target.value)}
            disabled={candidates.isPending}
            options={[
              { value: '', label: candidates.isPending ? 'Loading users…' : 'Choose a user' },
              ...others.map((u) => ({
                value: u.id,
                label: `${u.username}${u.fullName ? ` — ${u.fullName}` : ''}`,
              })),
            ]}
          />
        </>
      ) : null}
    </MutationDialog>
  );
}
