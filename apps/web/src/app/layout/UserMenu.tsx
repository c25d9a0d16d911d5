import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ChevronDownIcon, KeyIcon, LockIcon, LogoutIcon, UserIcon } from '../../components/icons.tsx';
import { cx, useToast } from '../../components/index.ts';
import { roleLabels, useSession } from '../../features/auth/session.tsx';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { type ThemePreference, useTheme } from '../theme.ts';

const themeOptions: Array<{ value: ThemePreference; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  return useMutation({
    mutationFn: () => call(() => api.POST('/api/v1/auth/logout', { body: {} })),
    onSuccess: () => {
      queryClient.clear();
      navigate('/login', { replace: true, state: { notice: 'You have signed out.' } });
    },
    onError: (e) => toast.error('Could not sign out', describeError(e)),
  });
}

/** Header menu: who is signed in, profile, password, access keys, theme, sign out. */
export function UserMenu() {
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const { preference, setPreference } = useTheme();
  const logout = useLogout();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!panelRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const close = () => setOpen(false);
  const item =
    'flex w-full items-center gap-2.5 rounded-md px-2.5 py-2 text-left text-sm text-fg hover:bg-panel-muted';

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Account menu for ${user.username}`}
        onClick={() => setOpen((o) => !o)}
        className="flex h-9 items-center gap-2 rounded-md px-2 text-sm hover:bg-panel-muted"
      >
        <span
          aria-hidden="true"
          className="flex size-7 items-center justify-center rounded-full bg-primary/15 text-xs font-semibold text-nav-active-fg uppercase"
        >
          {user.username.slice(0, 2)}
        </span>
        <span className="hidden max-w-32 truncate font-medium sm:block">{user.username}</span>
        <ChevronDownIcon className="text-muted" />
      </button>
      <div
        ref={panelRef}
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-40 mt-1 w-64 rounded-lg border border-line bg-panel p-1.5 shadow-xl"
      >
        <div className="border-b border-line px-2.5 pt-1.5 pb-2.5">
          <p className="truncate text-sm font-semibold">{user.fullName || user.username}</p>
          <p className="truncate text-xs text-muted">
            {user.username} · {roleLabels[user.role]}
          </p>
        </div>
        <nav aria-label="Account" className="flex flex-col py-1">
          <Link to="/profile" className={item} onClick={close}>
            <UserIcon className="text-muted" /> Profile
          </Link>
          <Link to="/profile#password" className={item} onClick={close}>
            <LockIcon className="text-muted" /> Change password
          </Link>
          <Link to="/iam/access-keys" className={item} onClick={close}>
            <KeyIcon className="text-muted" /> Access keys
          </Link>
        </nav>
        <fieldset className="border-t border-line px-2.5 py-2.5">
          <legend className="sr-only">Theme</legend>
          <p aria-hidden="true" className="mb-1.5 text-xs font-medium text-muted">
            Theme
          </p>
          <div className="grid grid-cols-3 gap-1 rounded-md bg-panel-muted p-0.5">
            {themeOptions.map((o) => (
              <label
                key={o.value}
                className={cx(
                  'relative flex h-7 items-center justify-center rounded text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
                  preference === o.value ? 'bg-panel text-fg shadow-sm' : 'text-muted hover:text-fg',
                )}
              >
                <input
                  type="radio"
                  name="theme"
                  value={o.value}
                  checked={preference === o.value}
                  onChange={() => setPreference(o.value)}
                  className="absolute inset-0 cursor-pointer appearance-none rounded opacity-0"
                />
                {o.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="border-t border-line pt-1">
          <button type="button" className={item} onClick={() => logout.mutate()} disabled={logout.isPending}>
            <LogoutIcon className="text-muted" /> Sign out
          </button>
        </div>
      </div>
    </div>
  );
}
