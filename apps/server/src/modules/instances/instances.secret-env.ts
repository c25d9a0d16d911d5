/**
 * Secrets as environment variables in instances (`secretEnv: {ENV_NAME: 'secret-name'}`; the
 * references are kept by the secrets module, never values). At launch and at every start the
 * current values are written to a root-only file in the guest, GUEST_ENV_FILE, usable as systemd's
 * `EnvironmentFile=` or with `set -a; . /etc/proxicloud/secrets.env`:
 *
 *  - VMs: a vendor-data snippet (`cicustom: vendor=<storage>:snippets/proxicloud-<id>-secrets.yaml`,
 *    created 0600 over the host agent) whose `bootcmd` (cloud-init runs it at every boot, unlike
 *    the once-per-instance `write_files`) writes the file with umask 077. qemu-server copies the
 *    snippet into the VM's cloud-init drive when the VM starts; right after the start ProxiCloud
 *    removes `vendor=` from `cicustom` and deletes the snippet, so no file with values stays in the
 *    node's snippet storage. (The cloud-init drive itself, next to the VM's disk, keeps the values
 *    until the next start — see docs/secrets.md.)
 *  - Containers: after the start, `pct exec <vmid> -- mkdir -p -m 0700 /etc/proxicloud` and
 *    `pct push <vmid> /dev/stdin /etc/proxicloud/secrets.env --perms 0600 --user 0 --group 0`
 *    (values on stdin only).
 *
 * Values never enter operation params, step results, details or logs: only variable names,
 * secret names and versions do.
 */

import { systemActor } from '../../platform/db/repository.ts';
import { UnprocessableError } from '../../platform/errors.ts';
import { type CallContext, systemContext } from '../../platform/http/context.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import type { OperationContext } from '../operations/index.ts';
import { ComputeError } from '../proxmox/index.ts';
import type { InjectedSecret, SecretEnvRef, SecretsPort } from '../secrets/index.ts';
import type { InstanceRow } from './instances.repository.ts';
import { snippetDir } from './instances.userdata.ts';

export const GUEST_ENV_FILE = '/etc/proxicloud/secrets.env';

/** `KEY="value"` lines: double quotes with `\`, `"`, `$` and backquote escaped (systemd and sh agree). */
export function renderEnvFile(env: Record<string, string>, instanceId: string): string {
  const lines = [
    `# ProxiCloud secrets of instance ${instanceId} (root-only). systemd: EnvironmentFile=${GUEST_ENV_FILE}`,
  ];
  for (const [k, v] of Object.entries(env)) lines.push(`${k}="${v.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`);
  return `${lines.join('\n')}\n`;
}

/** Vendor-data whose bootcmd writes the env file (the content travels base64-encoded as `$0`). */
export function renderVendorData(envFile: string): string {
  const script =
    'umask 077 && mkdir -p /etc/proxicloud && printf %s "$0" | base64 -d > /etc/proxicloud/secrets.env.tmp ' +
    '&& mv /etc/proxicloud/secrets.env.tmp /etc/proxicloud/secrets.env';
  const cmd = ['sh', '-c', script, Buffer.from(envFile, 'utf8').toString('base64')];
  return [
    '#cloud-config',
    '# ProxiCloud: writes /etc/proxicloud/secrets.env (0600) at every boot; removed from the node after start',
    'bootcmd:',
    `  - [${cmd.map((c) => JSON.stringify(c)).join(', ')}]`,
    '',
  ].join('\n');
}

export function secretsSnippetName(instanceId: string): string {
  return `proxicloud-${instanceId}-secrets.yaml`;
}

/** `cicustom` with our vendor snippet set (`volid`) or removed (null). */
export function withVendor(cicustom: string | undefined, volid: string | null): string {
  const parts = (cicustom ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('vendor='));
  if (volid) parts.push(`vendor=${volid}`);
  return parts.join(',');
}

export class InstanceSecretEnv {
  constructor(
    private readonly deps: { secrets: SecretsPort; proxmox: () => ProxmoxConnection; logger: Logger },
  ) {}

  private consumer(row: InstanceRow) {
    return { kind: 'instance' as const, id: row.id, ownerId: row.owner_id };
  }

  private async agent(node: string) {
    const agent = this.deps.proxmox().hostAgent;
    if (!agent?.secretFiles)
      throw new ComputeError(
        'host_agent_error',
        'secretEnv needs the SSH host agent (PROXMOX_SSH_HOST) to place the env file in the guest',
      );
    return agent.secretFiles(node);
  }

  private async resolve(row: InstanceRow, ctx: OperationContext) {
    const refs = await this.deps.secrets.envOf(this.consumer(row));
    if (Object.keys(refs).length === 0) return null;
    return this.deps.secrets.resolveEnv(this.consumer(row), refs, systemContext(systemActor, `op-${ctx.id}`));
  }

  private async snippet(row: InstanceRow): Promise<{ path: string; volid: string }> {
    const client = this.deps.proxmox().client;
    const list = await client.node(row.node!).storage.list({ content: 'snippets', enabled: true });
    const ids = list
      .map((s) => String(s.storage))
      .sort((a, b) => (a === 'local' ? -1 : b === 'local' ? 1 : a.localeCompare(b)));
    for (const storage of ids) {
      const dir = await snippetDir(client, storage);
      if (dir) {
        const file = secretsSnippetName(row.id);
        return { path: `${dir}/${file}`, volid: `${storage}:snippets/${file}` };
      }
    }
    throw new ComputeError(
      'no_snippets_storage',
      `node ${row.node} has no directory storage with the 'snippets' content type for the secrets vendor-data`,
    );
  }

  /** Before a VM starts: write the vendor snippet (0600) and point `cicustom` at it. */
  async beforeStart(row: InstanceRow, ctx: OperationContext): Promise<void> {
    if (row.type !== 'vm') return;
    const resolved = await this.resolve(row, ctx);
    if (!resolved) return;
    await ctx.step('secret-env', async () => {
      const target = await this.snippet(row);
      const content = renderVendorData(renderEnvFile(resolved.env, row.id));
      await (await this.agent(row.node!)).writeSnippet(target.path, content, { signal: ctx.signal });
      const guest = this.deps.proxmox().client.node(row.node!).guest('qemu', Number(row.vmid));
      const cfg = (await guest.config()) as { cicustom?: string };
      await guest.updateConfig({ cicustom: withVendor(cfg.cicustom, target.volid) });
      await ctx.detail(
        `${resolved.injected.map((i) => `${i.envName} ← ${i.name} v${i.version}`).join(', ')} (vendor-data ${target.volid})`,
      );
      return { volid: target.volid };
    });
  }

  /** After the start: VMs drop the snippet and `vendor=`; containers get the file pushed. */
  async afterStart(row: InstanceRow, ctx: OperationContext): Promise<void> {
    if (row.type === 'vm') {
      if (!(await this.hasRefs(row))) return;
      await ctx.step('secret-env-cleanup', async () => {
        await this.cleanup(row);
        await ctx.detail('vendor-data snippet removed from the node');
      });
      return;
    }
    const resolved = await this.resolve(row, ctx);
    if (!resolved) return;
    await ctx.step('secret-env', async () => {
      await (await this.agent(row.node!)).pushToContainer(
        Number(row.vmid),
        GUEST_ENV_FILE,
        renderEnvFile(resolved.env, row.id),
        {
          signal: ctx.signal,
        },
      );
      await ctx.detail(
        `${GUEST_ENV_FILE}: ${resolved.injected.map((i) => `${i.envName} ← ${i.name} v${i.version}`).join(', ')}`,
      );
    });
  }

  /**
   * Re-inject now into a running container (`POST …/secret-env/refresh`): the current versions,
   * read past the cache and audited as `secrets.inject` with the caller as actor.
   */
  async pushNow(row: InstanceRow, ctx: CallContext): Promise<InjectedSecret[]> {
    const refs = await this.deps.secrets.envOf(this.consumer(row));
    const resolved = await this.deps.secrets.resolveEnv(this.consumer(row), refs, ctx, { fresh: true });
    await (await this.agent(row.node!)).pushToContainer(
      Number(row.vmid),
      GUEST_ENV_FILE,
      renderEnvFile(resolved.env, row.id),
    );
    return resolved.injected;
  }

  describe(row: InstanceRow): Promise<SecretEnvRef[]> {
    return this.deps.secrets.describeEnv(this.consumer(row));
  }

  async hasRefs(row: InstanceRow): Promise<boolean> {
    return Object.keys(await this.deps.secrets.envOf(this.consumer(row))).length > 0;
  }

  /** Remove our vendor snippet and `vendor=` (after a start, or when a launch/start failed). Best effort. */
  async cleanup(row: InstanceRow): Promise<void> {
    if (row.type !== 'vm' || !row.node) return;
    try {
      if (row.vmid !== null) {
        const guest = this.deps.proxmox().client.node(row.node).guest('qemu', Number(row.vmid));
        const cfg = (await guest.config().catch(() => null)) as { cicustom?: string } | null;
        if (cfg?.cicustom?.includes('vendor=')) {
          const next = withVendor(cfg.cicustom, null);
          await guest.updateConfig(next ? { cicustom: next } : { delete: 'cicustom' });
        }
      }
      const target = await this.snippet(row);
      await (await this.agent(row.node)).removeSnippet(target.path);
    } catch (e) {
      this.deps.logger.warn(
        { err: e, instance: row.id },
        'could not remove the secrets vendor-data snippet; delete proxicloud-<id>-secrets.yaml on the node by hand',
      );
    }
  }

  async forget(row: InstanceRow): Promise<void> {
    await this.deps.secrets.forget(this.consumer(row));
  }
}

/** Launch: check `secretEnv` (names, secrets usable by the owner, host agent) and store the references. */
export async function storeLaunchSecretEnv(
  secrets: SecretsPort | undefined,
  hasHostAgent: boolean,
  consumer: { id: string; ownerId: string },
  secretEnv: Record<string, string> | undefined,
): Promise<void> {
  if (!secretEnv || Object.keys(secretEnv).length === 0) return;
  if (!secrets)
    throw new UnprocessableError('secretEnv is not available on this server', { field: 'secretEnv' });
  if (!hasHostAgent)
    throw new UnprocessableError(
      'secretEnv needs the SSH host agent: configure PROXMOX_SSH_HOST so ProxiCloud can place the env file in the guest',
      { field: 'secretEnv' },
      'host_agent_required',
    );
  const c = { kind: 'instance' as const, ...consumer };
  await secrets.validateEnv(c, secretEnv);
  await secrets.setEnv(c, secretEnv);
}
