/**
 * The Proxmox side of a managed function runner: an unprivileged Debian container (features
 * `nesting=1`: bubblewrap needs user namespaces inside the container) on the runner bridge with a
 * DHCP address, configured through the host agent's app-setup commands (function-runners.bundle.ts),
 * and reached over the runner protocol at `http://<ip>:8790` with its shared secret.
 */
import { readFileSync } from 'node:fs';
import { formatLxcNet } from '@proxicloud/proxmox-client';
import { AppError } from '../../platform/errors.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import { builtinDir } from '../apps/index.ts';
import type { RunnerStatus } from '../functions/index.ts';
import { ManagedContainers, type ManagedCtState } from '../managed-ct/index.ts';
import { type RunnerBundle, runnerEnv, runnerSetupScript } from './function-runners.bundle.ts';

/** A step of a runner that failed for a known reason (its code and message reach the operation). */
export class RunnerHostError extends AppError {
  readonly status = 422;
}

export interface RunnerHostSettings {
  /** PROXICLOUD_FUNCTION_RUNNER_BRIDGE (default vmbr0): the bridge the server reaches runners on */
  bridge: string;
  /** PROXICLOUD_FUNCTION_RUNNER_TEMPLATE: container template volid (default the node's newest Debian) */
  template: string | null;
  diskGib: number;
  /** how long a runner being upgraded or deleted waits for its invocations (PROXICLOUD_FUNCTION_RUNNER_DRAIN_SECONDS) */
  drainMs: number;
  /** how long the address and the health check may take */
  readyMs: number;
}

export function runnerHostSettingsFromEnv(env = process.env): RunnerHostSettings {
  return {
    bridge: env.PROXICLOUD_FUNCTION_RUNNER_BRIDGE || 'vmbr0',
    template: env.PROXICLOUD_FUNCTION_RUNNER_TEMPLATE || null,
    diskGib: 4,
    drainMs: (Number(env.PROXICLOUD_FUNCTION_RUNNER_DRAIN_SECONDS) || 60) * 1000,
    readyMs: 120_000,
  };
}

export interface RunnerPlan {
  id: string;
  name: string;
  node: string | null;
  memoryMib: number;
  cores: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

export class RunnerHost {
  readonly cts: ManagedContainers;
  constructor(
    conn: () => ProxmoxConnection,
    readonly settings: RunnerHostSettings,
  ) {
    this.cts = new ManagedContainers(conn, {
      label: 'function runner',
      templateSetting: 'PROXICLOUD_FUNCTION_RUNNER_TEMPLATE',
      error: (code, message) => new RunnerHostError(code, message),
    });
  }

  create(
    plan: RunnerPlan,
    signal: AbortSignal,
    onCreated: (node: string, vmid: number) => Promise<void>,
    detail: (t: string) => Promise<void>,
  ): Promise<{ node: string; vmid: number }> {
    return this.cts.create(
      {
        hostname: plan.name,
        description: `Managed by ProxiCloud. Function runner ${plan.id}. Changes made here are reverted.`,
        tags: 'proxicloud-function-runner',
        cores: plan.cores,
        memoryMib: plan.memoryMib,
        diskGib: this.settings.diskGib,
        nets: { net0: formatLxcNet({ name: 'eth0', bridge: this.settings.bridge, ip: 'dhcp' }) },
        features: 'nesting=1',
      },
      { template: this.settings.template, ...(plan.node ? { node: plan.node } : {}) },
      signal,
      onCreated,
      detail,
    );
  }

  /** The container's IPv4 address once it has one (DHCP). */
  async address(node: string, vmid: number, signal: AbortSignal): Promise<string> {
    const until = Date.now() + this.settings.readyMs;
    while (!signal.aborted) {
      const [ip] = await this.cts.ipv4(node, vmid);
      if (ip) return ip;
      if (Date.now() > until) break;
      await sleep(1000, signal);
    }
    throw new RunnerHostError(
      'no_address',
      `container ${vmid} got no IPv4 address on ${this.settings.bridge}`,
    );
  }

  /**
   * Push lib.sh, app.env (the secret) and setup.sh and run `install` (a new runner) or `update`
   * (an upgrade). The script's output goes to `line` (operation progress); the secret never does.
   */
  install(
    runnerId: string,
    node: string,
    vmid: number,
    secret: string,
    bundle: RunnerBundle,
    phase: 'install' | 'update',
    line: (text: string) => void,
  ): Promise<void> {
    return this.cts.setup(
      node,
      vmid,
      {
        lib: readFileSync(`${builtinDir()}lib.sh`, 'utf8'),
        env: runnerEnv(secret, bundle.version),
        script: runnerSetupScript(runnerId, bundle),
      },
      phase,
      (_stream, text) => {
        if (text.trim()) line(text.slice(0, 300));
      },
    );
  }

  /**
   * Wait until the runner answers `GET /v1/status` with the expected version (null: any).
   * `status` is one request through the runner client.
   */
  async waitHealthy(
    status: () => Promise<RunnerStatus>,
    version: string | null,
    signal: AbortSignal,
  ): Promise<RunnerStatus> {
    const until = Date.now() + this.settings.readyMs;
    let last = 'no answer yet';
    while (!signal.aborted && Date.now() < until) {
      try {
        const st = await status();
        if (version === null || st.version === version) return st;
        last = `it reports version ${st.version ?? 'none'}, expected ${version}`;
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(500, signal);
    }
    throw new RunnerHostError('runner_unhealthy', `the runner did not become healthy: ${last}`);
  }

  state(node: string, vmid: number): Promise<ManagedCtState> {
    return this.cts.state(node, vmid);
  }

  destroy(node: string, vmid: number, signal: AbortSignal): Promise<void> {
    return this.cts.destroy(node, vmid, signal);
  }
}
