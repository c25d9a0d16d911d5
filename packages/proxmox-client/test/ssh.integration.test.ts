/** The host agent over SSH against the simulator's SSH endpoint (host key pinned). */
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ExecutorError,
  HostAgentCommandError,
  ProxmoxClient,
  SnippetAgent,
  SshExecutor,
  ZfsAgent,
} from '../src/index.ts';
import type { Sim } from './helpers.ts';

let sim: Sim;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, ssh: true });
});
afterAll(() => sim?.close());

describe('SSH host agent', () => {
  it('runs the ZFS operations against the simulator', async () => {
    if (!sim.ssh) throw new Error('the simulator did not start its SSH endpoint');
    const ex = new SshExecutor({ ...sim.ssh });
    const zfs = new ZfsAgent(ex);
    try {
      const pools = await zfs.list({ depth: 0 });
      expect(pools.length).toBeGreaterThan(0);
      const root = pools[0]!.name;
      const ds = `${root}/pc-it/bucket-1`;
      await zfs.create(ds, { parents: true, compression: 'lz4', properties: { quota: '1G' } });
      expect((await zfs.get(ds, ['compression'])).compression?.value).toBe('lz4');
      await zfs.snapshot(ds, 's1');
      await zfs.clone(`${ds}@s1`, `${root}/pc-it/bucket-1-clone`);
      const all = await zfs.list({ root: `${root}/pc-it`, recursive: true, type: 'all' });
      expect(all.map((d) => d.name)).toEqual(
        expect.arrayContaining([ds, `${ds}@s1`, `${root}/pc-it/bucket-1-clone`]),
      );
      expect(all.find((d) => d.name === `${root}/pc-it/bucket-1-clone`)?.origin).toBe(`${ds}@s1`);
      await zfs.rollback(`${ds}@s1`);
      await zfs.set(ds, { quota: '2G' });
      await zfs.promote(`${root}/pc-it/bucket-1-clone`);
      const err = await zfs.snapshot(`${root}/does-not-exist`, 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostAgentCommandError);
      expect((err as HostAgentCommandError).exitCode).not.toBe(0);
      await zfs.destroy(`${root}/pc-it`, { recursive: true });
      expect(
        (await zfs.list({ root, recursive: true })).some((d) => d.name.startsWith(`${root}/pc-it`)),
      ).toBe(false);
    } finally {
      await ex.close();
    }
  });

  it('writes and removes a cloud-init snippet that PVE then lists as storage content', async () => {
    if (!sim.ssh) throw new Error('the simulator did not start its SSH endpoint');
    const ex = new SshExecutor({ ...sim.ssh });
    const pve = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
      tls: { fingerprint: sim.fingerprint },
    });
    try {
      const cfg = (await pve.storage.config('local')) as { path?: string; content?: string };
      expect(cfg.content?.split(',')).toContain('snippets');
      const file = `${cfg.path}/snippets/pc-it-user.yaml`;
      const agent = new SnippetAgent(ex);
      await agent.write(file, '#cloud-config\nhostname: x\n');
      const listed = await pve.node('pve1').storageOf('local').content({ content: 'snippets' });
      expect(listed.map((v) => v.volid)).toEqual(['local:snippets/pc-it-user.yaml']);
      await agent.remove(file);
      await agent.remove(file);
      expect(await pve.node('pve1').storageOf('local').content({ content: 'snippets' })).toEqual([]);
      const outside = await agent.write('/root/snippets/x.yaml', 'x').catch((e: unknown) => e);
      expect(outside).toBeInstanceOf(HostAgentCommandError);
    } finally {
      await ex.close();
      await pve.close();
    }
  });

  it('refuses a wrong host key', async () => {
    if (!sim.ssh) throw new Error('the simulator did not start its SSH endpoint');
    const ex = new SshExecutor({ ...sim.ssh, hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` });
    await expect(ex.exec(['zfs', 'list'])).rejects.toBeInstanceOf(ExecutorError);
    await ex.close();
  });
});
