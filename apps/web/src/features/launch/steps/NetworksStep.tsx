import { useQuery } from '@tanstack/react-query';
import { networksQuery, securityGroupsQuery } from '../../networking/api.ts';
import { Section } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

function toggle(list: string[], id: string, on: boolean): string[] {
  return on ? [...list, id] : list.filter((x) => x !== id);
}

/** Networks (one NIC each, in the order ticked: the first is primary) and security groups. */
export function NetworksStep({ f }: { f: LaunchForm }) {
  const nets = useQuery(networksQuery());
  const groups = useQuery(securityGroupsQuery());
  const available = (nets.data?.items ?? []).filter((n) => n.status === 'available');
  return (
    <Section
      n={6}
      title="Networks and security groups"
      hint="Pick networks for private NICs (none: the bridge above). Inbound traffic from other networks needs a security group rule."
    >
      <fieldset className="min-w-0">
        <legend className="text-sm font-medium">Networks</legend>
        {available.length ? (
          <ul className="flex flex-col gap-1">
            {available.map((n) => (
              <li key={n.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={f.networkIds.includes(n.id)}
                    onChange={(e) => f.setNetworkIds(toggle(f.networkIds, n.id, e.target.checked))}
                  />
                  <span className="font-medium">{n.name}</span>
                  <span className="font-mono text-xs text-muted">{n.cidr}</span>
                  {f.networkIds[0] === n.id ? (
                    <span className="text-xs text-muted">(primary, net0)</span>
                  ) : null}
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">No networks yet: the instance goes on the bridge.</p>
        )}
      </fieldset>
      <fieldset className="min-w-0">
        <legend className="text-sm font-medium">Security groups</legend>
        {groups.data?.items.length ? (
          <ul className="flex flex-col gap-1">
            {groups.data.items.map((g) => (
              <li key={g.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={f.securityGroupIds.includes(g.id)}
                    onChange={(e) =>
                      f.setSecurityGroupIds(toggle(f.securityGroupIds, g.id, e.target.checked))
                    }
                  />
                  <span className="font-medium">{g.name}</span>
                  <span className="text-xs text-muted">{g.rules.length} rules</span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">No security groups: only same-network traffic gets in.</p>
        )}
      </fieldset>
    </Section>
  );
}
