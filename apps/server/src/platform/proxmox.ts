/**
 * The Proxmox connection: a real PVE host when PROXMOX_URL is set, otherwise DEMO MODE (the PVE
 * simulator started in-process as one node `pve-demo`). Services only see `ProxmoxConnection`:
 * the typed client, the SSH host agent (per-node ZFS commands) and what kind of host it is.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppSetupAgent,
  type Executor,
  ExecutorError,
  GuestRouteAgent,
  HostAgentCommandError,
  ImageLinkAgent,
  ProxmoxApiError,
  ProxmoxClient,
  type ProxmoxClientOptions,
  SecretFileAgent,
  SnippetAgent,
  SshExecutor,
  type SshExecutorOptions,
  ZfsAgent,
} from '@proxicloud/proxmox-client';
import type { Simulator } from '@proxicloud/proxmox-sim';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { networkChecks } from './proxmox-network-checks.ts';

export const DEMO_NODE = 'pve-demo';
export const DEMO_BANNER = `DEMO MODE: simulated Proxmox node ${DEMO_NODE} — no real VMs are created`;

/** The host agent cannot reach that node (no SSH configured, or SSH reaches another node). */
export class HostAgentUnavailableError extends Error {
  override name = 'HostAgentUnavailableError';
}

/**
 * SSH host agent: the few operations the PVE API lacks (per-volume ZFS snapshots, rollback,
 * clones) as a fixed set of validated commands (see @proxicloud/proxmox-client ZfsAgent).
 */
export interface HostAgent {
  /** `user@host:port` for messages (no secrets). */
  readonly target: string;
  /** ZFS commands on `node`. Throws HostAgentUnavailableError when no SSH route leads there. */
  zfs(node: string): Promise<ZfsAgent>;
  /** Cloud-init snippet files on `node` (write/remove). Throws HostAgentUnavailableError like zfs(). */
  snippets(node: string): Promise<SnippetAgent>;
  /** Hard-links cloud images from ISO storage into the import directory on `node`. */
  images(node: string): Promise<ImageLinkAgent>;
  /** Root-only files carrying secret values (0600 snippets, `pct push`) on `node`. */
  secretFiles?(node: string): Promise<SecretFileAgent>;
  /** App setup in containers (`pct push` + `pct exec` of the setup script) on `node` (apps module). */
  appSetup?(node: string): Promise<AppSetupAgent>;
  /** Routes inside running containers (`pct exec <vmid> -- ip -force -batch -`) on `node` (route tables). */
  guestRoutes?(node: string): Promise<GuestRouteAgent>;
  /** Connects and checks which node answers (`hostname`). */
  ping(node: string): Promise<string>;
  close(): Promise<void>;
}

export interface ProxmoxConnection {
  readonly mode: 'demo' | 'proxmox';
  /** Human label for logs and the console header, e.g. "DEMO (simulated node pve-demo)". */
  readonly label: string;
  readonly client: ProxmoxClient;
  /** null when PROXMOX_SSH_* is not configured (volume snapshots are then unavailable). */
  readonly hostAgent: HostAgent | null;
  /** Demo mode (and tests): the in-process simulator. */
  readonly simulator?: Simulator;
  /** Node names of the cluster (from /nodes). */
  listNodes(): Promise<string[]>;
  close(): Promise<void>;
}

/** Default deadline of the Proxmox work a request waits for (launch validation, usage, adoption). */
export const PVE_REQUEST_DEADLINE_MS = 3000;

/** What `withinDeadline` answers when the deadline passed first. */
export const DEADLINE_PASSED: unique symbol = Symbol('deadline passed');

/**
 * Wait for Proxmox work at most `ms` (a request must not hang on a slow or hung PVE: its calls have
 * 30 s timeouts and retries). The work is not cancelled when the deadline passes — it may be
 * shared with other callers (single-flight caches) — and its late failure is ignored here.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof DEADLINE_PASSED> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof DEADLINE_PASSED>((resolve) => {
    timer = setTimeout(() => resolve(DEADLINE_PASSED), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/* ------------------------------------------------------------------ host agent */

class SshHostAgent implements HostAgent {
  private readonly executors = new Map<string, Executor>();
  private hostname: Promise<string> | undefined;

  /**
   * `perNode`: the simulator's SSH endpoint acts on node X for user `root@X`; a real host answers
   * for itself only (its `hostname` must equal the node name).
   */
  constructor(
    private readonly ssh: SshExecutorOptions,
    private readonly perNode: boolean,
  ) {}

  get target(): string {
    return `${this.ssh.username}@${this.ssh.host}:${this.ssh.port ?? 22}`;
  }

  private executor(node: string): Executor {
    const key = this.perNode ? node : '';
    let ex = this.executors.get(key);
    if (!ex) {
      ex = new SshExecutor(
        this.perNode ? { ...this.ssh, username: `${this.ssh.username}@${node}` } : this.ssh,
      );
      this.executors.set(key, ex);
    }
    return ex;
  }

  private async remoteHostname(node: string): Promise<string> {
    const res = await this.executor(node).exec(['hostname'], { timeoutMs: 20_000 });
    if (res.exitCode !== 0) throw new HostAgentCommandError('hostname', res.exitCode, res.stderr);
    return res.stdout.trim().split('.')[0] ?? '';
  }

  async ping(node: string): Promise<string> {
    if (this.perNode) return this.remoteHostname(node);
    this.hostname ??= this.remoteHostname(node).catch((e: unknown) => {
      this.hostname = undefined;
      throw e;
    });
    return this.hostname;
  }

  private async reaches(node: string, what: string): Promise<void> {
    if (this.perNode) return;
    const host = await this.ping(node);
    if (host !== node) {
      throw new HostAgentUnavailableError(
        `The SSH host agent (${this.target}) reaches node '${host}', not '${node}'; ${what} ` +
          `are only available on '${host}'`,
      );
    }
  }

  async zfs(node: string): Promise<ZfsAgent> {
    await this.reaches(node, 'ZFS volume operations');
    return new ZfsAgent(this.executor(node), { timeoutMs: 120_000 });
  }

  async snippets(node: string): Promise<SnippetAgent> {
    await this.reaches(node, 'cloud-init user-data snippets');
    return new SnippetAgent(this.executor(node), { timeoutMs: 60_000 });
  }

  async secretFiles(node: string): Promise<SecretFileAgent> {
    await this.reaches(node, 'secret env files');
    return new SecretFileAgent(this.executor(node), { timeoutMs: 60_000 });
  }

  async appSetup(node: string): Promise<AppSetupAgent> {
    await this.reaches(node, 'app setup in containers');
    return new AppSetupAgent(this.executor(node), { timeoutMs: 60_000 });
  }

  async guestRoutes(node: string): Promise<GuestRouteAgent> {
    await this.reaches(node, 'routes in containers');
    return new GuestRouteAgent(this.executor(node), { timeoutMs: 60_000 });
  }

  async images(node: string): Promise<ImageLinkAgent> {
    await this.reaches(node, 'cloud images in ISO storage');
    return new ImageLinkAgent(this.executor(node), { timeoutMs: 60_000 });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.executors.values()].map((e) => e.close()));
    this.executors.clear();
  }
}

/* ------------------------------------------------------------------ connections */

function logAdapter(logger: Logger): ProxmoxClientOptions['logger'] {
  return {
    debug: (obj, msg) => logger.debug({ pve: obj }, msg ?? 'proxmox'),
    warn: (obj, msg) => logger.warn({ pve: obj }, msg ?? 'proxmox'),
  };
}

function nodesOf(client: ProxmoxClient): () => Promise<string[]> {
  return async () => (await client.nodes.list()).map((n) => n.node).sort();
}

/** A connection to a running simulator (demo mode and tests). Does not own the simulator unless `ownSimulator`. */
export function connectSimulator(
  sim: Simulator,
  options: {
    logger?: Logger;
    ownSimulator?: boolean;
    label?: string;
    client?: Partial<ProxmoxClientOptions>;
  } = {},
): ProxmoxConnection {
  const client = new ProxmoxClient({
    baseUrl: sim.url,
    auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
    tls: { fingerprint: sim.fingerprint },
    ...(options.logger ? { logger: logAdapter(options.logger) } : {}),
    ...options.client,
  });
  const hostAgent = sim.ssh
    ? new SshHostAgent(
        {
          host: sim.ssh.host,
          port: sim.ssh.port,
          username: 'root',
          password: sim.ssh.password,
          hostKeyFingerprint: sim.ssh.hostKeyFingerprint,
        },
        true,
      )
    : null;
  let closed = false;
  return {
    mode: 'demo',
    label: options.label ?? `DEMO (simulated node${sim.nodes.length > 1 ? 's' : ''} ${sim.nodes.join(', ')})`,
    client,
    hostAgent,
    simulator: sim,
    listNodes: nodesOf(client),
    async close() {
      if (closed) return;
      closed = true;
      await hostAgent?.close();
      await client.close();
      if (options.ownSimulator) await sim.close();
    },
  };
}

/** Real host from the validated config (config.proxmox must be set). */
export function connectReal(config: Config, logger?: Logger): ProxmoxConnection {
  const pve = config.proxmox;
  if (!pve) throw new Error('connectReal: PROXMOX_URL is not configured');
  const { baseUrl, auth, tls, ssh } = pve.connection;
  const client = new ProxmoxClient({
    baseUrl,
    auth,
    ...(tls ? { tls } : {}),
    ...(logger ? { logger: logAdapter(logger) } : {}),
  });
  const hostAgent = ssh ? new SshHostAgent(ssh, false) : null;
  return {
    mode: 'proxmox',
    label: new URL(baseUrl).host,
    client,
    hostAgent,
    listNodes: nodesOf(client),
    async close() {
      await hostAgent?.close();
      await client.close();
    },
  };
}

export interface DemoOptions {
  /** Task durations (ms); default: the simulator's realistic per-type durations. */
  taskDurationMs?: number | Partial<Record<string, number>>;
}

/**
 * Start the simulator in-process as one node `pve-demo` on 127.0.0.1 (ephemeral port), state in
 * `<dataDir>/pve-demo/state.json`, SSH endpoint on, and connect to it (pinned fingerprints).
 */
export async function startDemo(
  config: Config,
  logger: Logger,
  options: DemoOptions = {},
): Promise<ProxmoxConnection> {
  const { startSimulator } = await import('@proxicloud/proxmox-sim');
  const dir = join(config.dataDir, 'pve-demo');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    nodes: [DEMO_NODE],
    stateFile: join(dir, 'state.json'),
    ssh: true,
    ...(options.taskDurationMs !== undefined ? { taskDurationMs: options.taskDurationMs } : {}),
    logger: (line) => logger.debug({ component: 'pve-demo' }, line),
  });
  logger.warn({ url: sim.url, node: DEMO_NODE }, DEMO_BANNER);
  return connectSimulator(sim, { logger, ownSimulator: true, label: `DEMO (simulated node ${DEMO_NODE})` });
}

/** The connection the server runs with: real when PROXMOX_URL is set, else demo mode. */
export async function connectProxmox(config: Config, logger: Logger): Promise<ProxmoxConnection> {
  if (config.proxmox) {
    const conn = connectReal(config, logger);
    logger.info({ proxmox: conn.label, hostAgent: conn.hostAgent?.target ?? null }, 'using Proxmox VE host');
    return conn;
  }
  return startDemo(config, logger);
}

/* ------------------------------------------------------------------ doctor */

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  message: string;
  /** What to do about a warn/fail. */
  fix?: string;
}

export interface ProxmoxCheckReport {
  ok: boolean;
  mode: 'demo' | 'proxmox';
  label: string;
  checks: CheckResult[];
}

/** Privileges each ProxiCloud service needs (see docs/proxmox.md for the pveum recipe). */
export const REQUIRED_PRIVILEGES: Record<string, { privs: string[]; paths: string[] }> = {
  instances: {
    privs: [
      'VM.Allocate',
      'VM.Audit',
      'VM.Config.Disk',
      'VM.Config.CDROM',
      'VM.Config.CPU',
      'VM.Config.Memory',
      'VM.Config.Network',
      'VM.Config.Options',
      'VM.Config.Cloudinit',
      'VM.PowerMgmt',
      'Datastore.AllocateSpace',
      'Datastore.Audit',
      'SDN.Use',
    ],
    paths: ['/', '/vms', '/storage', '/sdn', '/sdn/zones', '/sdn/zones/localnetwork'],
  },
  volumes: {
    privs: ['Datastore.Allocate', 'Datastore.AllocateSpace', 'VM.Config.Disk'],
    paths: ['/', '/vms', '/storage'],
  },
  catalog: { privs: ['Datastore.Audit'], paths: ['/', '/storage'] },
  monitoring: { privs: ['Sys.Audit'], paths: ['/', '/nodes'] },
  // vncproxy, termproxy and vncwebsocket on guests (Sys.Console is only for node shells, unused)
  consoles: { privs: ['VM.Console'], paths: ['/', '/vms'] },
  // SDN zones/VNets/subnets/IPAM and their apply; cluster security groups, IP sets, guest firewalls
  networks: {
    privs: ['SDN.Allocate', 'SDN.Use', 'SDN.Audit', 'Sys.Modify'],
    paths: ['/', '/sdn', '/sdn/zones'],
  },
};

const MIN_MAJOR = 8;

function errText(e: unknown): string {
  if (e instanceof ProxmoxApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

const contentOf = (s: { content?: unknown }) => String(s.content ?? '').split(',');

/**
 * Per node: a storage with `snippets` content (cloud-init user-data is written there); with a host
 * agent, cloud images sitting in ISO storage need the same storage's `import` content type (the
 * launch hard-links them into its import directory). Both warn: launches without them still work.
 */
async function contentChecks(
  conn: ProxmoxConnection,
  node: string,
  storages: { storage: string; content?: unknown }[],
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const snippets = storages.filter((s) => contentOf(s).includes('snippets')).map((s) => s.storage);
  out.push(
    snippets.length
      ? {
          name: `snippets:${node}`,
          status: 'ok',
          message: `cloud-init user-data snippets go to ${snippets[0]}`,
        }
      : {
          name: `snippets:${node}`,
          status: 'warn',
          message:
            'no storage with the Snippets content type: launches with user-data fail (no_snippets_storage)',
          fix: "Enable the Snippets content type on 'local' (Datacenter → Storage → local → Edit → Content: Snippets, or `pvesm set local --content <current>,snippets`)",
        },
  );
  if (!conn.hostAgent) return out;
  const isoOnly = storages.filter((s) => contentOf(s).includes('iso') && !contentOf(s).includes('import'));
  const stranded: string[] = [];
  const names: string[] = [];
  for (const s of isoOnly) {
    try {
      const items = await conn.client.node(node).storageOf(s.storage).content({ content: 'iso' });
      const images = items.map((i) => i.volid).filter((v) => /\.(qcow2|img|raw)$/i.test(v));
      if (images.length) names.push(s.storage);
      stranded.push(...images);
    } catch (e) {
      out.push({
        name: `import:${node}`,
        status: 'warn',
        message: `cannot list ISO storage ${s.storage}: ${errText(e)}`,
        fix: 'Grant Datastore.Audit on /storage',
      });
      return out;
    }
  }
  if (stranded.length) {
    out.push({
      name: `import:${node}`,
      status: 'warn',
      message: `${stranded.length} cloud image${stranded.length === 1 ? '' : 's'} in ISO storage cannot be launched (${stranded.slice(0, 3).join(', ')}${stranded.length > 3 ? ', …' : ''}): ${names.join(', ')} lack${names.length === 1 ? 's' : ''} the Import content type`,
      fix: `Enable the Import content type on ${names.join(', ')} (Datacenter → Storage → Edit → Content: Import; PVE 8.4+); ProxiCloud then hard-links the images into its import directory over the host agent`,
    });
  } else {
    const importing = storages.filter((s) => contentOf(s).includes('import')).map((s) => s.storage);
    out.push({
      name: `import:${node}`,
      status: 'ok',
      message: `no cloud image in ISO storage lacks an import directory${importing.length ? ` (Import content: ${importing.join(', ')})` : ''}`,
    });
  }
  return out;
}

/** Checks a connection the way `proxicloud doctor` reports it. Never throws. */
export async function checkProxmox(conn: ProxmoxConnection): Promise<ProxmoxCheckReport> {
  const checks: CheckResult[] = [];
  const add = (c: CheckResult) => checks.push(c);
  const { client } = conn;

  // 1. version
  let reachable = false;
  try {
    const v = await client.version({ timeoutMs: 15_000, retries: 0 });
    reachable = true;
    const major = Number(String(v.release ?? v.version).split('.')[0]);
    if (Number.isFinite(major) && major >= MIN_MAJOR) {
      add({ name: 'version', status: 'ok', message: `Proxmox VE ${v.version} at ${conn.label}` });
    } else {
      add({
        name: 'version',
        status: 'fail',
        message: `Proxmox VE ${v.version} is not supported (need ${MIN_MAJOR}.x or newer)`,
        fix: 'Upgrade the node(s) to Proxmox VE 8 or 9',
      });
    }
  } catch (e) {
    add({
      name: 'version',
      status: 'fail',
      message: `Cannot reach the Proxmox API at ${conn.label}: ${errText(e)}`,
      fix: 'Check PROXMOX_URL, the network path to port 8006, PROXMOX_TOKEN and PROXMOX_FINGERPRINT / PROXMOX_CA_FILE',
    });
  }
  if (!reachable) return { ok: false, mode: conn.mode, label: conn.label, checks };

  // 2. nodes
  let nodes: string[] = [];
  try {
    const list = await client.nodes.list();
    nodes = list.filter((n) => n.status === 'online').map((n) => n.node);
    const offline = list.filter((n) => n.status !== 'online').map((n) => n.node);
    add({
      name: 'nodes',
      status: nodes.length === 0 ? 'fail' : offline.length ? 'warn' : 'ok',
      message: `${nodes.length} online (${nodes.join(', ') || 'none'})${offline.length ? `; offline: ${offline.join(', ')}` : ''}`,
      ...(offline.length || nodes.length === 0
        ? { fix: 'Bring the offline nodes back or remove them from the cluster' }
        : {}),
    });
  } catch (e) {
    add({
      name: 'nodes',
      status: 'fail',
      message: `GET /nodes failed: ${errText(e)}`,
      fix: 'Grant Sys.Audit on /',
    });
  }

  // 3. token privileges per service
  try {
    const perms = (await client.access.permissions()) as Record<string, Record<string, number>>;
    for (const [service, need] of Object.entries(REQUIRED_PRIVILEGES)) {
      const have = new Set<string>();
      for (const p of need.paths)
        for (const [priv, v] of Object.entries(perms[p] ?? {})) if (v) have.add(priv);
      const missing = need.privs.filter((p) => !have.has(p));
      add(
        missing.length === 0
          ? {
              name: `privileges:${service}`,
              status: 'ok',
              message: `token has ${need.privs.length} privileges ${service} needs`,
            }
          : {
              name: `privileges:${service}`,
              status: 'fail',
              message: `token lacks ${missing.join(', ')} (needed by ${service})`,
              fix: `Add them to the token's role on / (see docs/proxmox.md: pveum role modify ProxiCloud -append 1 -privs "${missing.join(' ')}")`,
            },
      );
    }
  } catch (e) {
    const notImplemented = e instanceof ProxmoxApiError && e.status === 501;
    add({
      name: 'privileges',
      status: 'warn',
      message: notImplemented
        ? 'privileges not checked: this host does not implement GET /access/permissions (simulator)'
        : `GET /access/permissions failed: ${errText(e)}`,
      ...(notImplemented ? {} : { fix: 'Check the token (privilege-separated tokens need their own ACLs)' }),
    });
  }

  // 4. storages and 5. bridges, per online node
  for (const node of nodes) {
    try {
      const storages = await client.node(node).storage.list();
      const has = (c: string) => storages.filter((s) => contentOf(s).includes(c)).map((s) => s.storage);
      const images = has('images');
      const rootdir = has('rootdir');
      const templates = [...new Set([...has('vztmpl'), ...has('import'), ...has('iso')])];
      const gib = (n: unknown) => `${Math.floor(Number(n ?? 0) / 1024 ** 3)} GiB`;
      const missing: string[] = [];
      if (images.length === 0) missing.push('VM disks (content "images")');
      if (rootdir.length === 0) missing.push('container volumes (content "rootdir")');
      if (templates.length === 0)
        missing.push('templates/cloud images/ISOs (content "vztmpl", "import" or "iso")');
      add({
        name: `storage:${node}`,
        status: missing.length ? 'fail' : 'ok',
        message:
          `${storages.length} storages: ` +
          storages.map((s) => `${s.storage} (${s.type}, ${gib(s.avail)} free)`).join(', ') +
          (missing.length ? `; nothing for ${missing.join(', ')}` : ''),
        ...(missing.length
          ? { fix: 'Enable the missing content types on a storage (Datacenter → Storage → Edit → Content)' }
          : {}),
      });
      checks.push(...(await contentChecks(conn, node, storages)));
    } catch (e) {
      add({
        name: `storage:${node}`,
        status: 'fail',
        message: `cannot list storages: ${errText(e)}`,
        fix: 'Grant Datastore.Audit on /storage',
      });
    }
    try {
      const bridges = (await client.node(node).network({ type: 'any_bridge' })).map((i) => i.iface);
      add({
        name: `bridges:${node}`,
        status: bridges.length ? 'ok' : 'fail',
        message: bridges.length ? `bridges: ${bridges.join(', ')}` : 'no Linux bridge or VNet',
        ...(bridges.length ? {} : { fix: 'Create a bridge such as vmbr0 (System → Network)' }),
      });
    } catch (e) {
      add({
        name: `bridges:${node}`,
        status: 'fail',
        message: `cannot list bridges: ${errText(e)}`,
        fix: 'Grant Sys.Audit on /nodes',
      });
    }
  }

  checks.push(...(await networkChecks(client, nodes)));

  // 6. SSH host agent
  if (!conn.hostAgent) {
    add({
      name: 'host-agent',
      status: 'warn',
      message:
        'no SSH host agent configured: volume snapshots, restores and clones, cloud-init user-data snippets and launching cloud images from ISO storage are unavailable',
      fix: 'Set PROXMOX_SSH_HOST, PROXMOX_SSH_HOST_KEY_FINGERPRINT and PROXMOX_SSH_KEY_FILE (see docs/configuration.md)',
    });
  } else {
    for (const node of nodes.length ? nodes : []) {
      try {
        const host = await conn.hostAgent.ping(node);
        if (conn.mode === 'proxmox' && host !== node) {
          add({
            name: `host-agent:${node}`,
            status: 'warn',
            message: `${conn.hostAgent.target} answers as '${host}': ZFS volume operations on '${node}' are unavailable`,
            fix: 'Run ProxiCloud volumes on the node the host agent reaches, or point PROXMOX_SSH_HOST at that node',
          });
          continue;
        }
        const pools = (await (await conn.hostAgent.zfs(node)).list({ depth: 0 })).map((d) => d.name);
        add({
          name: `host-agent:${node}`,
          status: 'ok',
          message: `SSH ${conn.hostAgent.target} reaches ${host}; ZFS pools: ${pools.join(', ') || 'none'}`,
        });
      } catch (e) {
        const auth = e instanceof ExecutorError;
        add({
          name: `host-agent:${node}`,
          status: 'fail',
          message: `SSH host agent ${conn.hostAgent.target}: ${errText(e)}`,
          fix: auth
            ? 'Check PROXMOX_SSH_HOST/PORT/USER, the key or password, and PROXMOX_SSH_HOST_KEY_FINGERPRINT (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)'
            : 'Make sure the SSH user may run zfs (root, or `zfs allow` on the datasets)',
        });
      }
    }
  }
  return { ok: checks.every((c) => c.status !== 'fail'), mode: conn.mode, label: conn.label, checks };
}
