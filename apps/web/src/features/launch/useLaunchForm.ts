import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../lib/api/client.ts';
import { call } from '../../lib/api/errors.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { useSession, useSystemInfo } from '../auth/session.tsx';
import { instancesKey, operationsKey, patchInstance } from '../instances/api.ts';
import { keyPairsQuery } from '../key-pairs/api.ts';
import { networkSettingsQuery } from '../networking/api.ts';
import { myQuotaQuery, quotasKey } from '../quotas/api.ts';
import { catalogQuery, instanceTypesQuery, isoCatalogQuery, nodeOptionsQuery } from './api.ts';
import { CIDR, GATEWAY, placementChoices } from './placement.ts';
import { parseTags } from './tags.ts';
import { isUserDataError, userDataProblem } from './userData.ts';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The launch wizard's state, reads, validation and submit; the steps render slices of it. */
export function useLaunchForm() {
  const { user } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const info = useSystemInfo();
  const [name, setName] = useState('');
  const [type, setType] = useState<'lxc' | 'vm'>('lxc');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [template, setTemplate] = useState<string>('');
  const [preset, setPreset] = useState('t.small');
  const [vcpu, setVcpu] = useState(1);
  const [memory, setMemory] = useState(1024);
  const [disk, setDisk] = useState<number | ''>('');
  /** '' = the node's default (vmbr0, else its first bridge) */
  const [bridge, setBridge] = useState('');
  /** '' = automatic (the storage with the most free space) */
  const [storage, setStorage] = useState('');
  const [node, setNode] = useState('');
  const [ipMode, setIpMode] = useState<'dhcp' | 'static'>('dhcp');
  const [address, setAddress] = useState('');
  const [gateway, setGateway] = useState('');
  const [keys, setKeys] = useState<string[]>([]);
  const [networkIds, setNetworkIds] = useState<string[]>([]);
  const [securityGroupIds, setSecurityGroupIds] = useState<string[]>([]);
  const [userData, setUserData] = useState('');
  const [secretEnv, setSecretEnv] = useState<Record<string, string>>({});
  const [tagText, setTagText] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);

  const catalog = useQuery(catalogQuery(type, q));
  const isos = useQuery({ ...isoCatalogQuery(q), enabled: type === 'vm' });
  const types = useQuery(instanceTypesQuery);
  const keyList = useQuery(keyPairsQuery(1000, 0));
  // Admins can list everyone's key pairs, but an instance trusts only its owner's keys: offer yours.
  const myKeys = (keyList.data?.items ?? []).filter((k) => k.ownerId === user.id);
  const quota = useQuery(myQuotaQuery);

  const nodes = info.data?.proxmox?.nodes ?? [];
  // The chosen node's storages and bridges; with automatic placement, every node's.
  const nodeOptions = useQueries({
    queries: (node ? [node] : nodes).map((n) => nodeOptionsQuery(n)),
  });
  const placementLoading = nodeOptions.some((o) => o.isPending);
  const placementError = nodeOptions.find((o) => o.error)?.error ?? null;
  const choices = placementChoices(
    nodeOptions.flatMap((o) => (o.data ? [o.data] : [])),
    type,
  );
  const effBridge = bridge || choices.defaultBridge || 'vmbr0';
  const netSettings = useQuery(networkSettingsQuery);
  /** plain bridges (vmbr0, the LAN) are admin-only unless PROXICLOUD_BRIDGE_LAUNCH=all */
  const bridgeAllowed = netSettings.data?.mayLaunchOnBridge ?? user.role === 'admin';
  const defaultNetwork = netSettings.data?.defaultNetwork ?? true;
  /** net0 on a Proxmox bridge: no network picked and a bridge/static address asked for (or no default network) */
  const onBridge =
    !networkIds.length && (!defaultNetwork || (bridgeAllowed && (bridge !== '' || ipMode === 'static')));

  const presetInfo = types.data?.items.find((t) => t.name === preset);
  const eff = {
    vcpu: preset === 'custom' ? vcpu : (presetInfo?.vcpu ?? vcpu),
    memory: preset === 'custom' ? memory : (presetInfo?.memory ?? memory),
    sizeGib: disk === '' ? (presetInfo?.sizeGib ?? 8) : disk,
  };
  const image = catalog.data?.items.find((c) => c.id === template);
  // ISOs the image list above does not already offer (the same file can sit on several storages or
  // content types, hence the volume id on every card).
  const otherIsos = (isos.data?.items ?? []).filter(
    (i) => !i.launchable && !catalog.data?.items.some((c) => c.id === i.id),
  );
  const tags = parseTags(tagText);
  const chosenStorage = choices.storages.find((s) => s.storage === storage);

  const errors = {
    name: !NAME.test(name)
      ? 'Lowercase letters, digits and hyphens; starts and ends with a letter or digit (at most 63).'
      : null,
    template: !image ? 'Choose an image to launch.' : null,
    vcpu: eff.vcpu < 1 || eff.vcpu > 128 ? '1 to 128 vCPUs.' : null,
    memory: eff.memory < 128 || eff.memory > 1_048_576 ? '128 MiB to 1 TiB.' : null,
    disk: eff.sizeGib < 1 || eff.sizeGib > 16_384 ? '1 to 16,384 GiB.' : null,
    // A pick that the node (or guest type) does not offer after a change of node or type.
    storage:
      storage && !placementLoading && !placementError && !chosenStorage
        ? `Storage ${storage} does not hold ${type === 'vm' ? 'VM disks' : 'containers'} on ${node || 'every node'}.`
        : null,
    bridge:
      bridge && !placementLoading && !placementError && !choices.bridges.includes(bridge)
        ? `Bridge ${bridge} is not on ${node || 'every node'}.`
        : null,
    address:
      onBridge && ipMode === 'static' && !CIDR.test(address.trim())
        ? 'An IPv4 address with its prefix length, e.g. 192.168.1.50/24.'
        : null,
    gateway:
      onBridge && ipMode === 'static' && gateway.trim() && !GATEWAY.test(gateway.trim())
        ? 'An IPv4 address, e.g. 192.168.1.1.'
        : null,
    tags: tags.error,
    userData: type === 'vm' ? userDataProblem(userData) : null,
  };

  // Real-time quota check: what this launch adds to what you already use.
  const quotaProblems = useMemo(() => {
    const d = quota.data;
    if (!d) return [];
    const out: string[] = [];
    const check = (label: string, used: number, add: number, limit: number | null, unit = '') => {
      if (limit !== null && used + add > limit)
        out.push(`${label}: ${used}${unit} used + ${add}${unit} > quota ${limit}${unit}`);
    };
    check('Instances', d.usage.instances, 1, d.limits.instances);
    check('vCPUs', d.usage.vcpu, eff.vcpu, d.limits.vcpu);
    check('Memory', d.usage.memory, eff.memory, d.limits.memory, ' MiB');
    check('Disk', d.usage.diskGib, eff.sizeGib, d.limits.diskGib, ' GiB');
    return out;
  }, [quota.data, eff.vcpu, eff.memory, eff.sizeGib]);

  const invalid = Object.values(errors).some(Boolean) || quotaProblems.length > 0;
  // The API checks user-data too (422 user_data_*, host_agent_*, no_snippets_storage): its
  // message goes under the field as well as in the review.
  const userDataApiError = isUserDataError(submitError) ? submitError.message : null;
  const show = (e: string | null) => (touched ? e : null);

  const launch = async () => {
    setTouched(true);
    if (invalid || !image) return;
    setSubmitting(true);
    setSubmitError(null);
    try {
      const res = await call(() =>
        api.POST('/api/v1/instances', {
          body: {
            name,
            type,
            template: image.id,
            ...(preset !== 'custom' ? { instanceType: preset } : { vcpu: eff.vcpu, memory: eff.memory }),
            sizeGib: eff.sizeGib,
            // no bridge sent: net0 goes on the picked networks, else on your default network
            ...(onBridge ? { bridge: effBridge } : {}),
            ...(storage ? { storage } : {}),
            ...(node ? { node } : {}),
            ...(onBridge && ipMode === 'static'
              ? {
                  network: {
                    mode: 'static' as const,
                    address: address.trim(),
                    ...(gateway.trim() ? { gateway: gateway.trim() } : {}),
                  },
                }
              : {}),
            ...(keys.length ? { keyPairIds: keys } : {}),
            ...(networkIds.length ? { networkIds } : {}),
            ...(securityGroupIds.length ? { securityGroupIds } : {}),
            ...(type === 'vm' && userData.trim() ? { userData } : {}),
            ...(Object.keys(secretEnv).length ? { secretEnv } : {}),
            ...(Object.keys(tags.tags).length ? { tags: tags.tags } : {}),
          },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      );
      patchInstance(qc, res.instance);
      qc.setQueryData([...instancesKey, 'one', res.instance.id], res.instance);
      qc.setQueryData([...operationsKey, 'one', res.operation.id], res.operation);
      void qc.invalidateQueries({ queryKey: instancesKey });
      void qc.invalidateQueries({ queryKey: quotasKey });
      await navigate(`/compute/instances/${res.instance.id}`);
    } catch (e) {
      setSubmitError(e);
      setSubmitting(false);
    }
  };

  return {
    name,
    setName,
    type,
    setType: (t: 'lxc' | 'vm') => {
      setType(t);
      setTemplate('');
    },
    search,
    setSearch,
    q,
    template,
    setTemplate,
    preset,
    setPreset,
    vcpu,
    setVcpu,
    memory,
    setMemory,
    disk,
    setDisk,
    bridge,
    setBridge,
    effBridge,
    bridgeAllowed,
    defaultNetwork,
    onBridge,
    storage,
    setStorage,
    node,
    setNode,
    ipMode,
    setIpMode,
    address,
    setAddress,
    gateway,
    setGateway,
    keys,
    setKeys,
    networkIds,
    setNetworkIds,
    securityGroupIds,
    setSecurityGroupIds,
    userData,
    setUserData,
    secretEnv,
    setSecretEnv,
    tagText,
    setTagText,
    touched,
    submitting,
    submitError,
    catalog,
    types,
    keyList,
    myKeys,
    quota,
    nodes,
    choices,
    placementLoading,
    placementError,
    presetInfo,
    eff,
    image,
    otherIsos,
    errors,
    quotaProblems,
    invalid,
    userDataApiError,
    show,
    launch,
  };
}

export type LaunchForm = ReturnType<typeof useLaunchForm>;
