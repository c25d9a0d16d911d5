import { Alert, Input, Select } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { formatBytes } from '../../../lib/format.ts';
import { Section } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

/** Node, storage and bridge pickers filled from what the node has; DHCP or a static IPv4. */
export function PlacementStep({ f }: { f: LaunchForm }) {
  const { choices } = f;
  const where = f.node ? f.node : 'every node';
  const loading = f.placementLoading;
  // A pick no longer offered (another node or type) stays visible so the error under it makes sense.
  const keep = (value: string, offered: boolean) => (value && !offered ? [{ value, label: value }] : []);
  return (
    <Section n={4} title="Placement and network">
      {f.placementError ? (
        <Alert tone="warning" title="Could not read the node's storages and bridges">
          {describeError(f.placementError)} The server's defaults are used.
        </Alert>
      ) : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Select
          label="Node"
          className="sm:col-span-2"
          value={f.node}
          onChange={(e) => f.setNode(e.target.value)}
          options={[
            { value: '', label: 'Automatic (most free)' },
            ...f.nodes.map((n) => ({ value: n, label: n })),
          ]}
        />
        <Select
          label="Storage pool"
          value={f.storage}
          onChange={(e) => f.setStorage(e.target.value)}
          disabled={loading}
          error={f.errors.storage}
          hint={
            loading
              ? 'Reading the storages…'
              : `Storages on ${where} that hold ${f.type === 'vm' ? 'VM disks' : 'containers'}.`
          }
          options={[
            { value: '', label: 'Automatic (most free space)' },
            ...keep(
              f.storage,
              choices.storages.some((s) => s.storage === f.storage),
            ),
            ...choices.storages.map((s) => ({
              value: s.storage,
              label: `${s.storage} · ${formatBytes(s.availBytes)} free`,
            })),
          ]}
        />
        <Select
          label="Network bridge"
          value={f.networkIds.length ? '' : f.bridge}
          onChange={(e) => f.setBridge(e.target.value)}
          disabled={loading || f.networkIds.length > 0 || !f.bridgeAllowed}
          error={f.errors.bridge}
          hint={
            f.networkIds.length
              ? 'net0 goes on the first network picked under "Networks and security groups".'
              : !f.bridgeAllowed
                ? 'Proxmox bridges (the LAN) are for admins here: your instances use your networks.'
                : loading
                  ? 'Reading the bridges…'
                  : `Bridges on ${where}; ProxiCloud networks are picked by name below.`
          }
          options={[
            {
              value: '',
              label: f.defaultNetwork
                ? 'Default network (private)'
                : choices.defaultBridge
                  ? `Default (${choices.defaultBridge})`
                  : 'Default',
            },
            ...(f.bridgeAllowed
              ? [
                  ...keep(f.bridge, choices.bridges.includes(f.bridge)),
                  ...choices.bridges.map((b) => ({ value: b, label: b })),
                ]
              : []),
          ]}
        />
        {f.bridgeAllowed && !f.networkIds.length ? (
          <Select
            label="IPv4 address"
            value={f.ipMode}
            onChange={(e) => f.setIpMode(e.target.value as 'dhcp' | 'static')}
            options={[
              { value: 'dhcp', label: 'DHCP' },
              { value: 'static', label: 'Static' },
            ]}
            hint={
              f.ipMode === 'dhcp'
                ? f.onBridge
                  ? `From a DHCP server on ${f.effBridge}.`
                  : 'From your default network (reserved in Proxmox IPAM).'
                : `A fixed address on ${f.effBridge}.`
            }
          />
        ) : null}
        {f.ipMode === 'static' && f.onBridge ? (
          <>
            <Input
              label="Address (CIDR)"
              className="sm:col-start-1"
              value={f.address}
              onChange={(e) => f.setAddress(e.target.value)}
              placeholder="192.168.1.50/24"
              error={f.show(f.errors.address) ?? (f.address && f.errors.address ? f.errors.address : null)}
              hint="IPv4 address with prefix length."
              spellCheck={false}
            />
            <Input
              label="Gateway (optional)"
              value={f.gateway}
              onChange={(e) => f.setGateway(e.target.value)}
              placeholder="192.168.1.1"
              error={f.errors.gateway}
              spellCheck={false}
            />
          </>
        ) : null}
      </div>
    </Section>
  );
}
