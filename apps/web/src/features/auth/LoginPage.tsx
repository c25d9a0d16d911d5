import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { ModeBadge } from '../../app/layout/ModeBadge.tsx';
import { CloudIcon } from '../../components/icons.tsx';
import { Alert, Button, Input } from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { ApiError, call, describeError, formatDuration } from '../../lib/api/errors.ts';
import { meQuery, safeNext, useSystemInfo } from './session.tsx';

function loginErrorMessage(e: unknown): { title: string; body?: string } {
  if (e instanceof ApiError) {
    if (e.code === 'invalid_credentials' || e.status === 401) {
      return {
        title: 'Incorrect username or password.',
        body: 'Check both and try again. Usernames are lower case.',
      };
    }
    if (e.status === 429) {
      const wait = e.retryAfter ?? Number(e.details?.retryAfterSeconds ?? Number.NaN);
      if (Number.isFinite(wait) && wait > 0) {
        const at = new Date(Date.now() + wait * 1000).toLocaleTimeString([], {
          hour: '2-digit',
          minute: '2-digit',
        });
        return {
          title: 'Too many failed sign-in attempts.',
          body: `Sign-in is locked for this account or address. Try again in ${formatDuration(wait)} (at ${at}), or ask an admin to reset your password.`,
        };
      }
      return { title: 'Too many failed sign-in attempts.', body: 'Wait a few minutes and try again.' };
    }
    if (e.code === 'validation_error') return { title: 'Enter your username and password.', body: e.message };
  }
  return { title: 'Could not sign in.', body: describeError(e) };
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const next = safeNext(params.get('next'));
  const notice =
    (location.state as { notice?: string } | null)?.notice ??
    (params.get('expired') ? 'Your session ended. Sign in again to continue.' : null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; password?: string }>({});
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const info = useSystemInfo();

  useEffect(() => {
    document.title = 'Sign in · ProxiCloud';
  }, []);

  const login = useMutation({
    mutationFn: async (body: { username: string; password: string }) => {
      await call(() => api.POST('/api/v1/auth/login', { body }));
      await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
    },
    onSuccess: () => navigate(next, { replace: true }),
    onError: () => {
      setPassword('');
      passwordRef.current?.focus();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The last attempt's error is about that attempt, not this one.
    login.reset();
    const errs: typeof fieldErrors = {};
    if (!username.trim()) errs.username = 'Enter your username.';
    if (!password) errs.password = 'Enter your password.';
    setFieldErrors(errs);
    if (errs.username) return usernameRef.current?.focus();
    if (errs.password) return passwordRef.current?.focus();
    login.mutate({ username: username.trim(), password });
  };

  const err = login.error ? loginErrorMessage(login.error) : null;

  return (
    <main id="main" className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <span className="flex size-12 items-center justify-center rounded-xl bg-primary text-3xl text-primary-fg shadow-sm">
            <CloudIcon />
          </span>
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to ProxiCloud</h1>
          <div className="h-6">{info.data ? <ModeBadge info={info.data} /> : null}</div>
        </div>
        <form
          onSubmit={submit}
          noValidate
          className="flex flex-col gap-4 rounded-lg border border-line bg-panel p-6 shadow-sm"
          aria-describedby={err ? 'login-error' : undefined}
        >
          {notice && !err ? <Alert tone="info">{notice}</Alert> : null}
          {err ? (
            <div id="login-error">
              <Alert tone="error" title={err.title}>
                {err.body}
              </Alert>
            </div>
          ) : null}
          <Input
            ref={usernameRef}
            label="Username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            value={username}
            onChange={(e) => {
              setUsername(e.target.value);
              if (fieldErrors.username) setFieldErrors({ ...fieldErrors, username: undefined });
            }}
            error={fieldErrors.username}
          />
          <Input
            ref={passwordRef}
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              if (fieldErrors.password) setFieldErrors({ ...fieldErrors, password: undefined });
            }}
            error={fieldErrors.password}
          />
          <Button type="submit" variant="primary" loading={login.isPending} className="mt-1 w-full">
            Sign in
          </Button>
        </form>
        <p className="mt-6 text-center text-xs text-muted">
          Forgot your password? An admin can reset it in IAM → Users.
          {info.data ? <span className="block mt-1">ProxiCloud {info.data.version}</span> : null}
        </p>
      </div>
    </main>
  );
}
