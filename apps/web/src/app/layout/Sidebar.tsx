import { NavLink } from 'react-router';
import { cx } from '../../components/index.ts';
import { useSession } from '../../features/auth/session.tsx';
import { type NavGroup, navGroups } from '../nav.ts';

function visibleGroups(can: (p: string) => boolean): NavGroup[] {
  return navGroups
    .map((g) => ({ ...g, items: g.items.filter((i) => !i.permission || can(i.permission)) }))
    .filter((g) => g.items.length > 0);
}

const linkBase =
  'flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm transition-colors hover:bg-panel-muted hover:text-fg';

function linkClass({ isActive }: { isActive: boolean }) {
  return cx(linkBase, isActive ? 'bg-nav-active font-semibold text-nav-active-fg' : 'text-fg/85');
}

/** The service navigation; the same list is used by the desktop sidebar and the phone drawer. */
export function NavList({ onNavigate }: { onNavigate?: () => void }) {
  const { can } = useSession();
  return (
    <ul className="flex flex-col gap-0.5 text-sm">
      {visibleGroups(can).map((g) => {
        const Icon = g.icon;
        if (g.single) {
          const item = g.items[0]!;
          return (
            <li key={g.label}>
              <NavLink to={item.to} end={item.to === '/'} className={linkClass} onClick={onNavigate}>
                <Icon className="shrink-0 text-base text-muted" />
                <span className="flex-1 truncate">{item.label}</span>
                {item.soon ? <SoonDot /> : null}
              </NavLink>
            </li>
          );
        }
        const headingId = `nav-${g.label.toLowerCase()}`;
        return (
          <li key={g.label} className="mt-3 first:mt-0">
            <p
              id={headingId}
              className="flex h-7 items-center gap-2.5 px-2.5 text-xs font-semibold tracking-wide text-muted uppercase"
            >
              <Icon className="shrink-0 text-base" />
              {g.label}
            </p>
            <ul aria-labelledby={headingId} className="flex flex-col gap-0.5">
              {g.items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} className={(s) => cx(linkClass(s), 'pl-9')} onClick={onNavigate}>
                    <span className="flex-1 truncate">{item.label}</span>
                    {item.soon ? <SoonDot /> : null}
                  </NavLink>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}

function SoonDot() {
  return (
    <span className="rounded bg-panel-muted px-1.5 py-px text-[10px] font-medium tracking-wide text-muted uppercase">
      soon
    </span>
  );
}
