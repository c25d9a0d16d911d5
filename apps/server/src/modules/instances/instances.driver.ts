/**
 * The PVE side of instances: the exact API calls that create, start, stop, reboot and destroy
 * guests, and read their addresses. Every value that reaches PVE comes from validated input and
 * goes through the client's property-string formatters (which refuse commas and newlines) or the
 * form encoder; nothing is concatenated into a shell or a config file.
 */
import {
  formatIpConfig,
  formatLxcNet,
  formatLxcRootfs,
  formatQemuDisk,
  formatQemuNet,
  type GuestApi,
  type LxcCreateParams,
  type ProxmoxClient,
  type QemuCreateParams,
  type TaskResult,
} from '@proxicloud/proxmox-client';
import { ComputeError, guestDescription, guestTags, isGone } from '../proxmox/index.ts';
import type { InstanceRow } from './instances.repository.ts';

export interface NetworkConfig {
  mode: 'dhcp' | 'static';
  /** IPv4 CIDR, e.g. 10.0.0.5/24 (static) */
  address?: string;
  gateway?: string;
}

export interface GuestSpec {
  instanceId: string;
  ownerId: string;
  type: 'vm' | 'lxc';
  node: string;
  vmid: number;
  name: string;
  template: string;
  vcpu: number;
  memoryMib: number;
  diskGb: number;
  storage: string;
  bridge: string;
  network: NetworkConfig;
  user: string | null;
  sshKeys: string[];
  /** `user=<storage>:snippets/<file>` (custom user-data snippet) */
  cicustom?: string;
  /** `iso`: boot an installer ISO from a CD-ROM onto an empty root disk (no cloud-init). */
  source?: 'iso';
  /** Containers: PVE `features` (default `nesting=1`; '' = none). */
  features?: string;
}

export type Progress = (line: string) => void | Promise<void>;

export const TASK_TIMEOUT_MS = 30 * 60_000;

/**
 * Wait for a PVE task, reporting new log lines; throws ProxmoxTaskError with the log tail on
 * failure. While the node cannot be reached the client keeps polling; after `unreachableMs` of
 * uninterrupted failures the wait gives up with the last connection error (the task's outcome is
 * then unknown and the caller rolls back or leaves the cleanup to the reconciler).
 */
export async function waitTask(
  client: ProxmoxClient,
  node: string,
  upid: string,
  signal: AbortSignal,
  progress?: Progress,
  timeoutMs = TASK_TIMEOUT_MS,
  unreachableMs = 120_000,
): Promise<TaskResult> {
  const local = new AbortController();
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let downSince: number | null = null;
  let lastError: Error | undefined;
  try {
    return await client.tasks.wait(node, upid, {
      signal: local.signal,
      timeoutMs,
      // quick first polls (short tasks finish in well under a second), then at most 1/s
      pollMs: 25,
      maxPollMs: 1000,
      followLog: progress !== undefined,
      onProgress: (p) => {
        const last = p.newLogLines.at(-1);
        if (last && progress) void progress(last);
        if (p.lastError) {
          lastError = p.lastError;
          downSince ??= Date.now();
          if (Date.now() - downSince > unreachableMs) local.abort(p.lastError);
        } else downSince = null;
      },
    });
  } catch (e) {
    if (!signal.aborted && local.signal.aborted && lastError) throw lastError;
    throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** What every ProxiCloud VM has: identity (name, our tag), size, virtio-scsi, a virtio NIC, the guest agent. */
function qemuBaseParams(spec: GuestSpec) {
  return {
    vmid: spec.vmid,
    name: spec.name,
    description: guestDescription(spec.instanceId, spec.ownerId),
    tags: guestTags(spec.instanceId),
    cores: spec.vcpu,
    sockets: 1,
    memory: String(spec.memoryMib),
    ostype: 'l26',
    scsihw: 'virtio-scsi-single',
    net0: formatQemuNet({ model: 'virtio', bridge: spec.bridge, firewall: true }),
    agent: 'enabled=1',
  } satisfies QemuCreateParams;
}

/** An installer ISO: empty root disk of `diskGb`, the ISO as CD-ROM on ide2, boot from it first. */
function isoCreateParams(spec: GuestSpec): QemuCreateParams {
  return {
    ...qemuBaseParams(spec),
    scsi0: formatQemuDisk({ file: `${spec.storage}:${spec.diskGb}`, iothread: true, discard: 'on' }),
    ide2: formatQemuDisk({ file: spec.template, media: 'cdrom' }),
    boot: 'order=ide2;scsi0',
  };
}

export function qemuCreateParams(spec: GuestSpec): QemuCreateParams {
  if (spec.source === 'iso') return isoCreateParams(spec);
  const params: QemuCreateParams = {
    ...qemuBaseParams(spec),
    scsi0: formatQemuDisk({
      file: `${spec.storage}:0`,
      'import-from': spec.template,
      iothread: true,
      discard: 'on',
    }),
    ide2: `${spec.storage}:cloudinit`,
    boot: 'order=scsi0',
    serial0: 'socket',
    vga: 'serial0',
    ipconfig0:
      spec.network.mode === 'static'
        ? formatIpConfig({
            ip: spec.network.address,
            ...(spec.network.gateway ? { gw: spec.network.gateway } : {}),
          })
        : formatIpConfig({ ip: 'dhcp' }),
  };
  if (spec.user) params.ciuser = spec.user;
  if (spec.cicustom) params.cicustom = spec.cicustom;
  // The client encodes sshkeys exactly once (PVE's "urlencoded" format: %20, keys joined by %0A).
  if (spec.sshKeys.length) (params as { sshkeys?: readonly string[] }).sshkeys = spec.sshKeys;
  return params;
}

export function lxcCreateParams(spec: GuestSpec): LxcCreateParams {
  const params: LxcCreateParams = {
    vmid: spec.vmid,
    hostname: spec.name,
    ostemplate: spec.template,
    description: guestDescription(spec.instanceId, spec.ownerId),
    tags: guestTags(spec.instanceId),
    cores: spec.vcpu,
    memory: spec.memoryMib,
    swap: Math.min(512, spec.memoryMib),
    rootfs: formatLxcRootfs({ volume: `${spec.storage}:${spec.diskGb}` }),
    net0: formatLxcNet({
      name: 'eth0',
      bridge: spec.bridge,
      firewall: true,
      ip: spec.network.mode === 'static' ? spec.network.address : 'dhcp',
      ...(spec.network.mode === 'static' && spec.network.gateway ? { gw: spec.network.gateway } : {}),
    }),
    unprivileged: true,
    onboot: false,
    start: false,
  };
  const features = spec.features ?? 'nesting=1';
  if (features) params.features = features;
  if (spec.sshKeys.length) params['ssh-public-keys'] = spec.sshKeys.join('\n');
  return params;
}

/** POST the create call; returns the UPID. */
export function createGuest(client: ProxmoxClient, spec: GuestSpec): Promise<string> {
  const node = client.node(spec.node);
  return spec.type === 'vm'
    ? node.qemu.create(qemuCreateParams(spec) as Parameters<typeof node.qemu.create>[0])
    : node.lxc.create(lxcCreateParams(spec));
}

export interface GuestRef {
  type: 'vm' | 'lxc';
  node: string;
  vmid: number;
}

export function refOf(row: InstanceRow): GuestRef {
  if (row.vmid === null || row.node === null)
    throw new ComputeError('no_guest', `instance ${row.id} has no Proxmox guest`);
  return { type: row.type, node: row.node, vmid: Number(row.vmid) };
}

function api(client: ProxmoxClient, g: GuestRef): GuestApi {
  return client.node(g.node).guest(g.type, g.vmid);
}

/** Current PVE status, or null when the guest does not exist. */
export async function guestStatus(
  client: ProxmoxClient,
  g: GuestRef,
): Promise<{ status: string; lock?: string; tags?: string } | null> {
  try {
    const s = (await api(client, g).status()) as { status: string; lock?: string; tags?: string };
    return s;
  } catch (e) {
    if (isGone(e)) return null;
    throw e;
  }
}

export async function growRootDisk(
  client: ProxmoxClient,
  g: GuestRef,
  sizeGb: number,
): Promise<string | null> {
  const disk = g.type === 'vm' ? 'scsi0' : 'rootfs';
  const cfg = (await api(client, g).config()) as Record<string, unknown>;
  const current = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT]?)/.exec(String(cfg[disk] ?? ''));
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 } as const;
  const bytes = current ? Number(current[1]) * mult[(current[2] ?? '') as keyof typeof mult] : 0;
  if (bytes >= sizeGb * 1024 ** 3) return null;
  return api(client, g).resize({ disk, size: `${sizeGb}G` });
}

/** Whether the root disk exists (its config entry carries the size PVE writes after allocating). */
export async function rootDiskAllocated(client: ProxmoxClient, g: GuestRef): Promise<boolean> {
  const cfg = (await api(client, g).config()) as Record<string, unknown>;
  return /(?:^|,)size=/.test(String(cfg[g.type === 'vm' ? 'scsi0' : 'rootfs'] ?? ''));
}

export function startGuest(client: ProxmoxClient, g: GuestRef): Promise<string> {
  return api(client, g).start({});
}

/** ACPI shutdown; PVE stops the guest hard when `timeoutSeconds` passes. */
export function shutdownGuest(client: ProxmoxClient, g: GuestRef, timeoutSeconds: number): Promise<string> {
  return api(client, g).shutdown({ timeout: timeoutSeconds, forceStop: true });
}

export function stopGuest(client: ProxmoxClient, g: GuestRef): Promise<string> {
  return api(client, g).stop({});
}

export function rebootGuest(client: ProxmoxClient, g: GuestRef): Promise<string> {
  return api(client, g).reboot({});
}

export function destroyGuest(client: ProxmoxClient, g: GuestRef): Promise<string> {
  return api(client, g).delete({ purge: true, 'destroy-unreferenced-disks': true });
}

/** Set the guest's tags (adoption). */
export async function setTags(client: ProxmoxClient, g: GuestRef, tags: string): Promise<void> {
  await api(client, g).updateConfig({ tags });
}

const SKIP_IP = (ip: string) =>
  ip === '127.0.0.1' || ip === '::1' || ip.startsWith('fe80:') || ip.startsWith('169.254.');

/** Guest IP addresses (QEMU guest agent / LXC interfaces); [] when not available yet. */
export async function guestIps(client: ProxmoxClient, g: GuestRef): Promise<string[]> {
  const out: string[] = [];
  try {
    if (g.type === 'vm') {
      const res = (await client
        .node(g.node)
        .vm(g.vmid)
        .agent.networkGetInterfaces({ retries: 0, timeoutMs: 10_000 })) as {
        result?: { name?: string; 'ip-addresses'?: { 'ip-address'?: string }[] }[];
      };
      for (const iface of res.result ?? []) {
        if (iface.name === 'lo') continue;
        for (const a of iface['ip-addresses'] ?? [])
          if (a['ip-address'] && !SKIP_IP(a['ip-address'])) out.push(a['ip-address']);
      }
    } else {
      const res = await client.node(g.node).ct(g.vmid).interfaces({ retries: 0, timeoutMs: 10_000 });
      for (const iface of res) {
        if (iface.name === 'lo') continue;
        const addrs = [
          ...(iface['ip-addresses'] ?? []).map((a) => a['ip-address']),
          iface.inet?.split('/')[0],
          iface.inet6?.split('/')[0],
        ];
        for (const a of addrs) if (a && !SKIP_IP(a) && !out.includes(a)) out.push(a);
      }
    }
  } catch {
    return [];
  }
  return out;
}

export type { TaskResult };
