import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import {
  Alert,
  Badge,
  Button,
  Card,
  CopyableId,
  Input,
  PageHeader,
  useToast,
} from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { ApiError, call, describeError } from '../../lib/api/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { passwordProblem } from '../../lib/password.ts';
import { meQuery, roleLabels, useSession } from '../auth/session.tsx';

function NameForm() {
  const { user } = useSession();
  const qc = useQueryClient();
  const toast = useToast();
  const [fullName, setFullName] = useState(user.fullName);
  const save = useMutation({
    mutationFn: () =>
      call(() =>
        api.PUT('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { fullName: fullName.trim() },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
      toast.success('Name saved');
    },
  });
  const unchanged = fullName.trim() === user.fullName;
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!unchanged) save.mutate();
      }}
    >
      {save.error ? <Alert title="Could not save">{describeError(save.error)}</Alert> : null}
      <Input
        label="Full name"
        value={fullName}
        maxLength={200}
        onChange={(e) => setFullName(e.target.value)}
      />
      <div>
        <Button type="submit" loading={save.isPending} disabled={unchanged}>
          Save name
        </Button>
      </div>
    </form>
  );
}

function PasswordForm() {
  const { user } = useSession();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const change = useMutation({
    mutationFn: () =>
      call(() => api.PUT('/api/v1/auth/password', { body: { currentPassword: current, newPassword: next } })),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      setTouched(false);
      toast.success('Password changed', 'Your other sessions were signed out; this one stays signed in.');
    },
  });
  const nextErr = touched ? passwordProblem(next) : null;
  const confirmErr = touched && !nextErr && confirm !== next ? 'The two new passwords differ.' : null;
  const currentErr =
    change.error instanceof ApiError &&
    (change.error.status === 401 || change.error.code === 'invalid_credentials')
      ? 'This is not your current password.'
      : touched && !current
        ? 'Enter your current password.'
        : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    change.reset();
    if (!current || passwordProblem(next) || confirm !== next) return;
    change.mutate();
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
      {change.error && !currentErr ? (
        <Alert title="Could not change the password">{describeError(change.error)}</Alert>
      ) : null}
      {/* Lets password managers tie the new password to this account. */}
      <input type="text" autoComplete="username" value={user.username} readOnly hidden />
      <Input
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={currentErr}
      />
      <Input
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={nextErr}
        hint="At least 10 characters. A long passphrase is easier to remember than symbols."
      />
      <Input
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={confirmErr}
      />
      <div>
        <Button type="submit" variant="primary" loading={change.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}

export default function ProfilePage() {
  const { user, permissions } = useSession();
  const location = useLocation();
  const passwordRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (location.hash === '#password') {
      passwordRef.current?.scrollIntoView({ block: 'start' });
      (passwordRef.current?.querySelector('input:not([hidden])') as HTMLInputElement | null)?.focus();
    }
  }, [location.hash]);

  return (
    <>
      <PageHeader
        title="Profile"
        description="Your account, your name as others see it, and your password."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Account">
          <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-3 text-sm">
            <dt className="text-muted">Username</dt>
            <dd className="font-medium">{user.username}</dd>
            <dt className="text-muted">User ID</dt>
            <dd>
              <CopyableId value={user.id} label="your user ID" />
            </dd>
            <dt className="text-muted">Role</dt>
            <dd>
              <Badge tone="blue">{roleLabels[user.role]}</Badge>
              <span className="ml-2 text-xs text-muted">{permissions.size} permissions</span>
            </dd>
            <dt className="text-muted">Member since</dt>
            <dd>{formatDateTime(user.createdAt)}</dd>
            <dt className="text-muted">Last sign-in</dt>
            <dd>{formatDateTime(user.lastLoginAt)}</dd>
          </dl>
          <div className="mt-6 border-t border-line pt-5">
            <NameForm />
          </div>
        </Card>
        <div id="password" ref={passwordRef} className="scroll-mt-20">
          <Card title="Change password">
            <PasswordForm />
          </Card>
        </div>
      </div>
    </>
  );
}
