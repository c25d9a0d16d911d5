import { useEffect, useRef, useState } from 'react';
import { Link, Outlet, useLocation, useNavigation } from 'react-router';
import { CloseIcon, CloudIcon, MenuIcon, MoonIcon, SunIcon } from '../../components/icons.tsx';
import { useSystemInfo } from '../../features/auth/session.tsx';
import { useTheme } from '../theme.ts';
import { ModeBadge } from './ModeBadge.tsx';
import { NavList } from './Sidebar.tsx';
import { UserMenu } from './UserMenu.tsx';

function ThemeToggle() {
  const { setPreference } = useTheme();
  const [dark, setDark] = useState(() => document.documentElement.classList.contains('dark'));
  useEffect(() => {
    const obs = new MutationObserver(() => setDark(document.documentElement.classList.contains('dark')));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => obs.disconnect();
  }, []);
  return (
    <button
      type="button"
      onClick={() => setPreference(dark ? 'light' : 'dark')}
      aria-label={dark ? 'Switch to light mode' : 'Switch to dark mode'}
      title={dark ? 'Switch to light mode' : 'Switch to dark mode'}
      className="flex size-9 items-center justify-center rounded-md text-lg text-muted hover:bg-panel-muted hover:text-fg"
    >
      {dark ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}

/** Phone and tablet navigation: a modal drawer (focus stays inside, Escape closes). */
function MobileNav({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      id="mobile-nav"
      aria-label="Navigation"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      className="m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-line bg-nav p-0 text-fg backdrop:bg-black/50 lg:hidden"
    >
      {open ? (
        <div className="flex h-full flex-col">
          <div className="flex h-14 shrink-0 items-center justify-between border-b border-line px-4">
            <span className="font-semibold">Services</span>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close navigation"
              className="rounded p-1 text-xl text-muted hover:bg-panel-muted hover:text-fg"
            >
              <CloseIcon />
            </button>
          </div>
          <nav aria-label="Services" className="flex-1 overflow-y-auto p-3">
            <NavList onNavigate={onClose} />
          </nav>
        </div>
      ) : null}
    </dialog>
  );
}

export function AppLayout() {
  const [navOpen, setNavOpen] = useState(false);
  const info = useSystemInfo();
  const navigation = useNavigation();
  const location = useLocation();

  // Close the drawer on navigation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every route change
  useEffect(() => setNavOpen(false), [location.pathname]);

  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-panel px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to main content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-line bg-panel/95 px-3 backdrop-blur sm:px-4">
        <button
          type="button"
          className="flex size-9 items-center justify-center rounded-md text-xl text-muted hover:bg-panel-muted hover:text-fg lg:hidden"
          aria-label="Open navigation"
          aria-expanded={navOpen}
          aria-controls="mobile-nav"
          onClick={() => setNavOpen(true)}
        >
          <MenuIcon />
        </button>
        <Link to="/" className="flex items-center gap-2 rounded-md px-1 font-semibold tracking-tight">
          <span className="flex size-7 items-center justify-center rounded-md bg-primary text-lg text-primary-fg">
            <CloudIcon />
          </span>
          <span className="hidden sm:inline">ProxiCloud</span>
        </Link>
        <div className="ml-2 hidden min-w-0 md:block">
          {info.data ? <ModeBadge info={info.data} /> : null}
        </div>
        <div className="ml-auto flex items-center gap-1">
          <div className="md:hidden">{info.data?.mode === 'demo' ? <ModeBadgeCompact /> : null}</div>
          <ThemeToggle />
          <UserMenu />
        </div>
        {navigation.state === 'loading' ? (
          <div
            role="progressbar"
            aria-label="Loading page"
            className="absolute inset-x-0 bottom-0 h-0.5 animate-pulse bg-primary"
          />
        ) : null}
      </header>
      <MobileNav open={navOpen} onClose={() => setNavOpen(false)} />
      <div className="flex">
        {/* The column (background, border) runs the full page height; the navigation inside stays put. */}
        <div className="hidden w-60 shrink-0 border-r border-line bg-nav lg:block">
          <aside className="sticky top-14 h-[calc(100dvh-3.5rem)] overflow-y-auto">
            <nav aria-label="Services" className="p-3">
              <NavList />
            </nav>
          </aside>
        </div>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8">
          <div className="mx-auto max-w-6xl">
            <Outlet />
          </div>
        </main>
      </div>
    </div>
  );
}

function ModeBadgeCompact() {
  return (
    <span
      title="Demo mode: resources run on a simulated Proxmox node"
      className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300 ring-inset dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-700"
    >
      DEMO
    </span>
  );
}
