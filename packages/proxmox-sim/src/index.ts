/**
 * @proxicloud/proxmox-sim — a Proxmox VE 9.2 simulator: HTTPS API (validated against the
 * official schema), async tasks with UPIDs, guest state machines and locks, storages with
 * capacity, ZFS datasets, consoles (RFB / termproxy over websocket), an SSH host-agent endpoint,
 * fault injection and optional persistence. `startSimulator()` is the whole public API.
 */

import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';
import { Auth } from './auth.ts';
import { attachConsoles } from './console.ts';
import type { SimContext } from './context.ts';
import { type FaultController, Faults } from './faults.ts';
import {
  closeGuestApps,
  type GuestAppControl,
  guestEndpoint,
  setGuestApp,
  setGuestAppDefaults,
} from './guest-apps.ts';
import { closeGuestRunners, guestRunnerPid } from './guest-runners.ts';
import { createHttpServer } from './http-server.ts';
import { setGuestAgent, storageSnapshot } from './inspect.ts';
import { setGuestLoad } from './load.ts';
import { Rng } from './random.ts';
import { createWorld, nodeNames, seedGuests } from './seed.ts';
import { createSimApi } from './sim-api.ts';
import { type SshEndpoint, startSshServer } from './ssh.ts';
import { type SerializedState, World } from './state.ts';
import { DEFAULT_TASK_MS, TaskManager } from './tasks.ts';

export type { FaultController, FaultSnapshot, HttpErrorFault, PathFault, TaskFailFault } from './faults.ts';
export type { GuestAppControl } from './guest-apps.ts';
export {
  buildPacketWorld,
  guestNamespace,
  guestRuleset,
  hostNatRuleset,
  type PacketUplink,
  PUBLIC_NS,
  packetGuests,
  packetTierUnavailable,
} from './packet-model.ts';
export type { Dataset, Guest, NodeState, StorageDef, Task, Volume } from './state.ts';
export { DEFAULT_TASK_MS, formatUpid, parseUpid } from './tasks.ts';

export interface SimulatorOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 8006; 0 = ephemeral */
  port?: number;
  /** default 1; n → 'pve1'..'pveN'; or explicit names such as ['pve-demo'] */
  nodes?: number | string[];
  /** 'root@pam!ci=SECRET'; generated (and returned) if absent */
  token?: string;
  /** root@pam password for ticket auth; generated if absent */
  password?: string;
  /** per task type (qmcreate, vzstart, …) or one number for all; 0 = finish on the next tick */
  taskDurationMs?: number | Partial<Record<string, number>>;
  /** added to every HTTP response */
  latencyMs?: number;
  /** JSON persistence: loaded at start, saved on change (debounced) and on close */
  stateFile?: string;
  /** deterministic randomness for metrics/ids */
  seed?: number;
  /** SSH endpoint for host-agent commands (default on, ephemeral port) */
  ssh?: boolean | { port?: number };
  /** else a self-signed certificate is generated (and cached next to stateFile, if any) */
  tls?: { certPem: string; keyPem: string };
  logger?: (line: string) => void;
  /** bulk-create this many guests at start (benchmarks); skipped when a state file was loaded */
  seedGuests?: number;
}

export interface SimSshInfo {
  host: string;
  port: number;
  username: string;
  password: string;
  hostKeyFingerprint: string;
}

export interface SimState extends SerializedState {
  /** content of every storage per node, as the API lists it */
  storageContent: Record<
    string,
    Record<
      string,
      { volid: string; content: string; size: number; vmid?: number; data?: string; mode?: string }[]
    >
  >;
}

/** What the simulated QEMU guest agent of a VM reports (`sim.guestAgent`, `POST /_sim/guest-agent`). */
export interface GuestAgentControl {
  /** false: the agent is configured but does not answer ("QEMU guest agent is not running") */
  available?: boolean;
  /** disk key → mountpoint; replaces the previous map (`{}` = nothing but `/` mounted) */
  mounts?: Record<string, string>;
}

export interface Simulator {
  /** 'https://127.0.0.1:PORT' (API under /api2/json, like PVE) */
  url: string;
  port: number;
  /** SHA-256 of the DER certificate, uppercase hex with colons, as PVE shows it */
  fingerprint: string;
  certPem: string;
  token: string;
  tokenId: string;
  tokenSecret: string;
  password: string;
  nodes: string[];
  ssh: SimSshInfo | null;
  faults: FaultController;
  /** read-only snapshot for assertions */
  inspect(): SimState;
  /** bulk-create guests (benchmarks); returns the vmids */
  seedGuests(n: number, opts?: { runningRatio?: number }): number[];
  /** Set what VM `vmid`'s guest agent reports (mounted disks, availability). */
  guestAgent(vmid: number, control: GuestAgentControl): void;
  /** Force a guest's CPU load (0–1 of its vCPUs); null returns it to the simulated noise. */
  setLoad(vmid: number, cpu: number | null): void;
  /** Control the app in container `vmid` (setup script failures, the health answer): guest-apps.ts. */
  guestApp(vmid: number, control: GuestAppControl): void;
  /** The control every guest's app starts with (e.g. `hold` a phase before the container exists). */
  guestAppDefaults(control: GuestAppControl): void;
  /** Where `ip:port` of a guest is reachable (a local stand-in listener), or null when nothing listens. */
  guestEndpoint(ip: string, port: number): Promise<{ host: string; port: number } | null>;
  /** The pid of the real function runner process of container `vmid` (guest-runners.ts), or null. */
  guestRunnerPid(vmid: number): number | null;
  close(): Promise<void>;
}

function parseToken(token: string): { tokenId: string; tokenSecret: string } {
  const m = /^([^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+)=(\S+)$/.exec(token);
  if (!m) throw new Error("token must look like 'user@realm!tokenid=SECRET'");
  return { tokenId: m[1]!, tokenSecret: m[2]! };
}

async function loadTls(
  opts: SimulatorOptions,
  log: (l: string) => void,
): Promise<{ certPem: string; keyPem: string }> {
  if (opts.tls) return opts.tls;
  const cacheDir = opts.stateFile ? dirname(opts.stateFile) : undefined;
  const certFile = cacheDir ? join(cacheDir, 'pve-sim-cert.pem') : undefined;
  const keyFile = cacheDir ? join(cacheDir, 'pve-sim-key.pem') : undefined;
  if (certFile && keyFile) {
    try {
      const certPem = readFileSync(certFile, 'utf8');
      const keyPem = readFileSync(keyFile, 'utf8');
      new X509Certificate(certPem);
      return { certPem, keyPem };
    } catch {
      // not cached yet
    }
  }
  const pems = await generate([{ name: 'commonName', value: 'pve-sim.local' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 2 * 365 * 86400 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  } as never);
  const tls = { certPem: pems.cert, keyPem: pems.private };
  if (certFile && keyFile) {
    try {
      mkdirSync(cacheDir!, { recursive: true });
      writeFileSync(keyFile, tls.keyPem, { mode: 0o600 });
      writeFileSync(certFile, tls.certPem);
      log(`cached TLS certificate in ${certFile}`);
    } catch (e) {
      log(`could not cache the TLS certificate: ${(e as Error).message}`);
    }
  }
  return tls;
}

function durationFn(opt: SimulatorOptions['taskDurationMs']): (type: string) => number {
  if (typeof opt === 'number') {
    if (!(opt >= 0)) throw new Error('taskDurationMs must be >= 0');
    return () => opt;
  }
  const table = { ...DEFAULT_TASK_MS, ...(opt ?? {}) } as Record<string, number>;
  return (type) => table[type] ?? 500;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const log = opts.logger ?? (() => {});
  const seed = opts.seed ?? (randomBytes(4).readUInt32LE(0) || 1);
  const rng = new Rng(seed);
  const { tokenId, tokenSecret } = parseToken(opts.token ?? `root@pam!ci=${randomUUID()}`);
  const password = opts.password ?? randomBytes(12).toString('base64url');

  let world: World | undefined;
  let loadedFromFile = false;
  if (opts.stateFile) {
    try {
      const text = readFileSync(opts.stateFile, 'utf8');
      world = World.restore(JSON.parse(text) as SerializedState, rng);
      loadedFromFile = true;
      log(`loaded state from ${opts.stateFile}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`cannot load state file ${opts.stateFile}: ${(e as Error).message}`);
    }
  }
  world ??= createWorld(nodeNames(opts.nodes), rng);

  const tls = await loadTls(opts, log);
  const x509 = new X509Certificate(tls.certPem);
  const fingerprint = x509.fingerprint256.toUpperCase();

  const faults = new Faults();
  const sim: SimContext = {
    world,
    tasks: undefined as unknown as TaskManager,
    faults,
    rng,
    seed,
    log,
    consoleTickets: new Map(),
    consolePorts: new Map(),
    consoleTimers: new Map(),
    certPem: tls.certPem,
    certFingerprint: fingerprint,
  };
  sim.tasks = new TaskManager(world, faults, durationFn(opts.taskDurationMs));
  faults.knownNode = (n) => world!.nodes.has(n);
  faults.knownStorage = (s) => world!.storages.has(s);
  faults.onNodeOffline = (node, offline) => {
    world!.nodes.get(node)!.online = !offline;
    if (offline) sim.tasks.failNode(node, `node '${node}' went offline - connection lost`);
  };

  if (opts.seedGuests && !loadedFromFile) seedGuests(world, opts.seedGuests);

  const auth = new Auth({ tokenId, tokenSecret, password });
  const simApi = createSimApi(sim, () => inspect());
  const { server, hung } = createHttpServer({
    sim,
    auth,
    latencyMs: opts.latencyMs ?? 0,
    certPem: tls.certPem,
    keyPem: tls.keyPem,
    simApi,
  });
  const consoles = attachConsoles(server, sim, auth);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8006, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let ssh: SshEndpoint | null = null;
  const sshOpt = opts.ssh ?? true;
  if (sshOpt) {
    ssh = await startSshServer(sim, {
      host,
      port: typeof sshOpt === 'object' ? (sshOpt.port ?? 0) : 0,
      password,
    });
  }

  // persistence: debounced saves when the world changes
  let savedRevision = world.revision;
  const save = () => {
    if (!opts.stateFile) return;
    const text = JSON.stringify(world!.serialize());
    const tmp = `${opts.stateFile}.tmp`;
    mkdirSync(dirname(opts.stateFile), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, opts.stateFile);
    savedRevision = world!.revision;
  };
  const saveTimer = opts.stateFile
    ? setInterval(() => {
        if (world!.revision !== savedRevision) {
          try {
            save();
          } catch (e) {
            log(`saving state failed: ${(e as Error).message}`);
          }
        }
      }, 500)
    : undefined;
  saveTimer?.unref();

  function inspect(): SimState {
    const s = structuredClone(world!.serialize()) as SimState;
    s.tasks = structuredClone([...world!.tasks.values()]);
    s.storageContent = storageSnapshot(sim);
    return s;
  }

  let closed = false;
  log(`PVE simulator listening on https://${urlHost}:${port} (nodes: ${[...world.nodes.keys()].join(', ')})`);
  return {
    url: `https://${urlHost}:${port}`,
    port,
    fingerprint,
    certPem: tls.certPem,
    token: `${tokenId}=${tokenSecret}`,
    tokenId,
    tokenSecret,
    password,
    nodes: [...world.nodes.keys()],
    ssh: ssh ? ssh.info : null,
    faults,
    inspect,
    seedGuests: (n, o) => seedGuests(world!, n, o),
    guestAgent: (vmid, control) => setGuestAgent(sim, vmid, control),
    setLoad: (vmid, cpu) => void setGuestLoad(sim, vmid, cpu),
    guestApp: (vmid, control) => setGuestApp(sim, vmid, control),
    guestAppDefaults: (control) => setGuestAppDefaults(sim, control),
    guestEndpoint: (ip, p) => guestEndpoint(sim, ip, p),
    guestRunnerPid: (vmid) => guestRunnerPid(sim, vmid),
    async close() {
      if (closed) return;
      closed = true;
      if (saveTimer) clearInterval(saveTimer);
      sim.tasks.stopAll();
      for (const res of hung as Set<ServerResponse>) res.socket?.destroy();
      consoles.close();
      await closeGuestApps(sim);
      closeGuestRunners(sim);
      await ssh?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (opts.stateFile) save();
    },
  };
}
export * as consoleScreen from './console-screen.ts';
