import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Button, Card, Input, Select } from '../../components/index.ts';
import { api } from '../../lib/api/client.ts';
import { call, describeError } from '../../lib/api/errors.ts';
import { useSession } from '../auth/session.tsx';
import { instancesKey } from '../instances/api.ts';
import { networksQuery, securityGroupsQuery } from './api.ts';

interface InstanceLike {
  id: string;
  status: string;
  nics: { networkId: string; mac: string; ip: string; ip6?: string; sourceDestCheck?: boolean }[];
  securityGroupIds: string[];
}

/** The instance page's NIC and security-group panels: attach/detach a NIC, choose the groups. */
export function InstanceNetworkingCard({ instance }: { instance: InstanceLike }) {
  const { can } = useSession();
  const qc = useQueryClient();
  const nets = useQuery(networksQuery());
  const groups = useQuery(securityGroupsQuery());
  const [networkId, setNetworkId] = useState('');
  const [ip, setIp] = useState('');
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const editable = can('instances:update') && ['running', 'stopped'].includes(instance.status);
  const netName = (id: string) => nets.data?.items.find((n) => n.id === id)?.name ?? id;
  const refresh = () => qc.invalidateQueries({ queryKey: instancesKey });
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const free = (nets.data?.items ?? []).filter(
    (n) => n.status === 'available' && !instance.nics.some((x) => x.networkId === n.id),
  );
  const selected = chosen ?? instance.securityGroupIds;
  return (
    <>
      <Card title="Network interfaces">
        {error ? <Alert title="Could not change the networking">{describeError(error)}</Alert> : null}
        {instance.nics.length ? (
          <ul className="flex flex-col gap-2 text-sm">
            {instance.nics.map((n, i) => (
              <li key={n.networkId} className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-xs text-muted">net{i}</span>
                <span className="font-medium">{netName(n.networkId)}</span>
                <span className="font-mono">{n.ip}</span>
                {n.ip6 ? <span className="font-mono break-all">{n.ip6}</span> : null}
                <span className="font-mono text-xs text-muted">{n.mac}</span>
                <label
                  className="flex items-center gap-1 text-xs"
                  title="PVE's ipfilter drops what this NIC sends from an address it was not given. Turn it off on a router or NAT instance that route tables send traffic to."
                >
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={n.sourceDestCheck !== false}
                    disabled={!editable || busy}
                    aria-label={`Source/destination check on ${netName(n.networkId)}`}
                    onChange={(e) => {
                      const sourceDestCheck = e.target.checked;
                      void act(() =>
                        call(() =>
                          api.PATCH('/api/v1/instances/{id}/nics/{networkId}', {
                            params: { path: { id: instance.id, networkId: n.networkId } },
                            body: { sourceDestCheck },
                          }),
                        ),
                      );
                    }}
                  />
                  Source/dest. check
                </label>
                {editable ? (
                  <Button
                    size="sm"
                    disabled={busy}
                    aria-label={`Detach from ${netName(n.networkId)}`}
                    onClick={() =>
                      act(() =>
                        call(() =>
                          api.DELETE('/api/v1/instances/{id}/nics/{networkId}', {
                            params: { path: { id: instance.id, networkId: n.networkId } },
                          }),
                        ),
                      )
                    }
                  >
                    Detach
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">No NICs on ProxiCloud networks (the instance uses its bridge).</p>
        )}
        {editable && free.length ? (
          <div className="mt-3 flex flex-wrap items-end gap-2">
            <Select
              label="Attach to network"
              value={networkId}
              onChange={(e) => setNetworkId(e.target.value)}
              options={[
                { value: '', label: 'Choose…' },
                ...free.map((n) => ({ value: n.id, label: `${n.name} (${n.cidr})` })),
              ]}
            />
            <Input
              label="Fixed IP (optional)"
              className="w-40"
              value={ip}
              onChange={(e) => setIp(e.target.value)}
            />
            <Button
              size="sm"
              disabled={!networkId || busy}
              onClick={() =>
                act(async () => {
                  await call(() =>
                    api.POST('/api/v1/instances/{id}/nics', {
                      params: { path: { id: instance.id } },
                      body: { networkId, ...(ip.trim() ? { ip: ip.trim() } : {}) },
                    }),
                  );
                  setNetworkId('');
                  setIp('');
                })
              }
            >
              Attach
            </Button>
          </div>
        ) : null}
      </Card>
      <Card title="Security groups">
        {groups.data?.items.length ? (
          <ul className="flex flex-col gap-1 text-sm">
            {groups.data.items.map((g) => (
              <li key={g.id}>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    disabled={!editable || busy}
                    checked={selected.includes(g.id)}
                    onChange={(e) =>
                      setChosen(e.target.checked ? [...selected, g.id] : selected.filter((x) => x !== g.id))
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
        {editable && chosen ? (
          <Button
            size="sm"
            className="mt-2"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await call(() =>
                  api.PUT('/api/v1/instances/{id}/security-groups', {
                    params: { path: { id: instance.id } },
                    body: { securityGroupIds: chosen },
                  }),
                );
                setChosen(null);
              })
            }
          >
            Apply security groups
          </Button>
        ) : null}
      </Card>
    </>
  );
}
