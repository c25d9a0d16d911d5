/**
 * ProxiCloud-managed containers: small unprivileged Debian LXCs that ProxiCloud itself creates on
 * a node and configures (the NAT VM of NAT gateways, the function runners). One helper for the
 * parts they share:
 *
 *  - placement: an online node (or the one asked for), its container storage with the most room,
 *    and the node's newest Debian template (or the configured one);
 *  - create + start (the vmid is reported through `onCreated` before anything can fail later, so
 *    a failed operation knows what to destroy);
 *  - setup through the SSH host agent's fixed app-setup commands (`pct push` of lib.sh/app.env/
 *    setup.sh, `pct exec … setup.sh <phase>`), the same ones the apps module uses;
 *  - state (running / stopped / missing), addresses, stop + destroy.
 *
 * Its own module (no routes): the proxmox module's index is imported by instances, which this needs.
 */
import { type AppSetupPhase, formatLxcRootfs } from '@proxicloud/proxmox-client';
import type { AppError } from '../../platform/errors.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import { guestIps, waitTask } from '../instances/index.ts';
import { isGone } from '../proxmox/index.ts';

export type ManagedCtState = 'running' | 'stopped' | 'missing';

export interface ManagedCtSpec {
  hostname: string;
  description: string;
  tags: string;
  cores: number;
  memoryMib: number;
  diskGib: number;
  /** `net0`, `net1`, … as formatted by formatLxcNet */
  nets: Record<string, string>;
  /** PVE `features` (nesting=1: user namespaces inside the unprivileged container) */
  features: string;
}

export interface ManagedCtOptions {
  /** what the container is, for messages ("NAT": "the NAT container", "the NAT setup script") */
  label: string;
  /** the setting that overrides the template, for the "no template" message */
  templateSetting: string;
  /** turns a known failure (code + message) into the caller's error type */
  error(code: string, message: string): AppError;
}

/** The files a setup pushes (lib.sh and app.env optional) and the phase it runs. */
export interface ManagedCtSetup {
  lib?: string;
  env?: string;
  script: string;
}

export class ManagedContainers {
  constructor(
    private readonly conn: () => ProxmoxConnection,
    private readonly opts: ManagedCtOptions,
  ) {}

  private get client() {
    return this.conn().client;
  }

  /** An online node (`only`: that one), its container storage with the most room, a Debian template. */
  async place(
    template: string | null,
    only?: string,
  ): Promise<{ node: string; storage: string; template: string }> {
    const reasons: string[] = [];
    const nodes = await this.conn().listNodes();
    if (only && !nodes.includes(only))
      throw this.opts.error('no_placement', `node '${only}' is not in the cluster (${nodes.join(', ')})`);
    for (const node of only ? [only] : nodes) {
      try {
        const api = this.client.node(node);
        const storages = (await api.storage.list({ enabled: true })) as {
          storage: string;
          content?: string;
          avail?: number;
          active?: number;
        }[];
        const holds = (s: (typeof storages)[number], c: string) =>
          String(s.content ?? '')
            .split(',')
            .includes(c) && s.active !== 0;
        const root = storages
          .filter((s) => holds(s, 'rootdir'))
          .sort((a, b) => (b.avail ?? 0) - (a.avail ?? 0))[0];
        if (!root) {
          reasons.push(`${node}: no storage holds containers`);
          continue;
        }
        let chosen = template;
        if (!chosen) {
          const found: string[] = [];
          for (const s of storages.filter((x) => holds(x, 'vztmpl'))) {
            const items = (await api.storageOf(s.storage).content({ content: 'vztmpl' })) as {
              volid: string;
            }[];
            found.push(...items.map((i) => i.volid).filter((v) => /\/debian-\d+/.test(v)));
          }
          chosen = found.sort().at(-1) ?? null;
        }
        if (!chosen) {
          reasons.push(
            `${node}: no Debian container template (download one, or set ${this.opts.templateSetting})`,
          );
          continue;
        }
        return { node, storage: root.storage, template: chosen };
      } catch (e) {
        reasons.push(`${node}: ${(e as Error).message}`);
      }
    }
    throw this.opts.error(
      'no_placement',
      `no node can hold the ${this.opts.label} container: ${reasons.join('; ')}`,
    );
  }

  /** Create and start an unprivileged container; `onCreated` records node/vmid first. */
  async create(
    spec: ManagedCtSpec,
    placement: { template: string | null; node?: string },
    signal: AbortSignal,
    onCreated: (node: string, vmid: number) => Promise<void>,
    detail: (t: string) => Promise<void>,
  ): Promise<{ node: string; vmid: number }> {
    const { node, storage, template } = await this.place(placement.template, placement.node);
    const vmid = await this.client.cluster.nextId();
    await onCreated(node, vmid);
    await detail(`creating container ${vmid} on ${node} from ${template}`);
    const upid = await this.client.node(node).lxc.create({
      vmid,
      hostname: spec.hostname,
      ostemplate: template,
      description: spec.description,
      tags: spec.tags,
      cores: spec.cores,
      memory: spec.memoryMib,
      swap: 0,
      rootfs: formatLxcRootfs({ volume: `${storage}:${spec.diskGib}` }),
      ...spec.nets,
      unprivileged: true,
      features: spec.features,
      onboot: true,
      start: false,
    } as Parameters<ReturnType<typeof this.client.node>['lxc']['create']>[0]);
    await waitTask(this.client, node, upid, signal);
    await detail(`starting container ${vmid}`);
    await waitTask(this.client, node, await this.client.node(node).guest('lxc', vmid).start({}), signal);
    return { node, vmid };
  }

  /**
   * Push the setup files and run one phase (exit ≠ 0 is a `setup_failed` error carrying the
   * script's last words). `onLine` gets the script's output as it runs.
   */
  async setup(
    node: string,
    vmid: number,
    files: ManagedCtSetup,
    phase: AppSetupPhase,
    onLine?: (stream: 'stdout' | 'stderr', line: string) => void,
  ): Promise<void> {
    const host = this.conn().hostAgent;
    if (!host?.appSetup)
      throw this.opts.error('host_agent_required', 'the SSH host agent (PROXMOX_SSH_*) is not configured');
    const agent = await host.appSetup(node);
    if (files.lib !== undefined) await agent.push(vmid, 'lib.sh', files.lib);
    if (files.env !== undefined) await agent.push(vmid, 'app.env', files.env);
    await agent.push(vmid, 'setup.sh', files.script);
    const res = await agent.runPhase(vmid, phase, {}, onLine);
    if (res.exitCode !== 0)
      throw this.opts.error(
        'setup_failed',
        `the ${this.opts.label} setup script exited with status ${res.exitCode}: ${res.stderr.trim().split('\n').at(-1) ?? ''}`,
      );
  }

  /** The container's IPv4 addresses (LXC interfaces); [] while it has none. */
  async ipv4(node: string, vmid: number): Promise<string[]> {
    const ips = await guestIps(this.client, { node, vmid, type: 'lxc' });
    return ips.filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  }

  async state(node: string, vmid: number): Promise<ManagedCtState> {
    try {
      const s = (await this.client.node(node).guest('lxc', vmid).status()) as { status?: string };
      return s.status === 'running' ? 'running' : 'stopped';
    } catch (e) {
      if (isGone(e)) return 'missing';
      throw e;
    }
  }

  /** Stop and destroy the container; a container already gone is fine. */
  async destroy(node: string, vmid: number, signal: AbortSignal): Promise<void> {
    const g = this.client.node(node).guest('lxc', vmid);
    const state = await this.state(node, vmid);
    if (state === 'missing') return;
    if (state === 'running') await waitTask(this.client, node, await g.stop({}), signal);
    try {
      await waitTask(
        this.client,
        node,
        await g.delete({ purge: true, 'destroy-unreferenced-disks': true }),
        signal,
      );
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  }
}
