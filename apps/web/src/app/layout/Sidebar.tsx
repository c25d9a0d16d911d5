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
  'flex h-[30px] items-center gap-2.5 rounded-md px-2.5 text-sm transition-colors hover:bg-panel-muted hover:text-fg';

function linkClass({ isActive }: { isActive: boolean }) {
  return cx(linkBase, isActive ? 'bg-nav-active font-semibold text-nav-active-fg' : 'text-fg/85');
}

/** The service navigation; the same list is used by the desktop sidebar and the phone drawer. */
export function NavList({ onNavigate }: { onNavigate?: () => void }) {
  const { can } = useSession();
  return (
    <ul className="flex flex-col gap-0.5 text-sm">
      {visibleGroups(can).map((g, i, all) => {
        const Icon = g.icon;
        if (g.single) {
          const item = g.items[0]!;
          // A run of top-level links after a section gets the same gap as a new section.
          const afterSection = i > 0 && !all[i - 1]!.single;
          return (
            <li key={g.label} className={afterSection ? 'mt-2 border-t border-line pt-2' : undefined}>
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
          <li
            key={g.label}
            className={
              i > 0 && all[i - 1]!.single && i > 1 ? 'mt-2 border-t border-line pt-2' : 'mt-2 first:mt-0'
            }
          >
            <p
              id={headingId}
              className="flex h-6 items-center gap-2.5 px-2.5 text-xs font-semibold tracking-wide text-muted uppercase"
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
