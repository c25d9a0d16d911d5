/** Task lifecycle against the simulator: success, failure with log, timeout, node offline mid-task. */
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProxmoxClient,
  ProxmoxTaskError,
  ProxmoxTimeoutError,
  type TaskProgress,
} from '../src/index.ts';
import { type Sim, type ValidatedClient, validatingClient } from './helpers.ts';

let sim: Sim;
let v: ValidatedClient;
let pve: ProxmoxClient;
let node: string;

beforeAll(async () => {
  // Tasks take real time here so that progress, timeouts and offline nodes can be observed.
  sim = await startSimulator({ port: 0, nodes: 3, taskDurationMs: 600 });
  v = validatingClient(sim);
  pve = v.client;
  node = (await pve.nodes.list()).map((n) => n.node).sort()[1]!;
});
afterAll(async () => {
  await pve?.close();
  await sim?.close();
});
afterEach(() => {
  sim.faults.reset();
  expect(v.violations).toEqual([]);
});

async function newVm(name: string): Promise<number> {
  const vmid = await pve.cluster.nextId();
  await pve.tasks.wait(
    node,
    await pve.node(node).qemu.create({ vmid, name, memory: 512, scsi0: 'local-lvm:1' }),
  );
  return vmid;
}

describe('tasks.wait', () => {
  it('succeeds, reporting progress with growing poll intervals', async () => {
    const vmid = await newVm('task-ok');
    const progress: TaskProgress[] = [];
    const upid = await pve.node(node).vm(vmid).start();
    const started = Date.now();
    const res = await pve.tasks.wait(node, upid, { onProgress: (p) => progress.push(p), followLog: true });
    expect(res).toMatchObject({ status: 'stopped', exitstatus: 'OK', upid, node, warnings: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)?.status?.status).toBe('stopped');
    expect(progress.some((p) => p.status?.status === 'running')).toBe(true);
    expect(progress.flatMap((p) => p.newLogLines)).toContain('TASK OK');
    // polls: 100 ms, 150, 225, … (backoff) — never more often than the first interval
    const statusPolls = v.requests.filter(
      (r) => r.path.endsWith('/status') && r.path.includes(encodeURIComponent(upid)),
    );
    expect(statusPolls.length).toBe(progress.length);
    expect(statusPolls.length).toBeLessThan(12);
  });

  it('throws ProxmoxTaskError with the exit status and the log tail when the task fails', async () => {
    const vmid = await newVm('task-fail');
    sim.faults.failTask({ type: 'qmstart', vmid, message: 'start failed: QEMU exited with code 1' });
    const upid = await pve.node(node).vm(vmid).start();
    const err = (await pve.tasks.wait(node, upid).catch((e: unknown) => e)) as ProxmoxTaskError;
    expect(err).toBeInstanceOf(ProxmoxTaskError);
    expect(err.node).toBe(node);
    expect(err.upid).toBe(upid);
    expect(err.exitstatus).toBe('start failed: QEMU exited with code 1');
    expect(err.logTail.at(-1)).toBe('TASK ERROR: start failed: QEMU exited with code 1');
    expect(err.message).toContain('TASK ERROR');
    expect((await pve.node(node).vm(vmid).status()).status).toBe('stopped');
  });

  it('times out with ProxmoxTimeoutError saying the task may still run', async () => {
    const vmid = await newVm('task-slow');
    const upid = await pve.node(node).vm(vmid).start();
    const err = (await pve.tasks
      .wait(node, upid, { timeoutMs: 150 })
      .catch((e: unknown) => e)) as ProxmoxTimeoutError;
    expect(err).toBeInstanceOf(ProxmoxTimeoutError);
    expect(err.upid).toBe(upid);
    expect(err.message).toMatch(/may still be running/);
    // it did keep running and finishes on its own
    await expect(pve.tasks.wait(node, upid)).resolves.toMatchObject({ exitstatus: 'OK' });
  });

  it('keeps polling while the node is offline; a task killed by the outage fails with its log', async () => {
    const vmid = await newVm('task-offline');
    const upid = await pve.node(node).vm(vmid).start();
    const progress: TaskProgress[] = [];
    const waiting = pve.tasks.wait(node, upid, { onProgress: (p) => progress.push(p), timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 150));
    sim.faults.nodeOffline(node, true);
    await new Promise((r) => setTimeout(r, 700));
    sim.faults.nodeOffline(node, false);
    const err = await waiting.catch((e: unknown) => e);
    expect(progress.some((p) => p.lastError !== undefined)).toBe(true);
    expect(err).toBeInstanceOf(ProxmoxTaskError);
    expect((err as ProxmoxTaskError).node).toBe(node);
  });

  it('gives up at the deadline when the node stays offline, naming the last error', async () => {
    const vmid = await newVm('task-offline-2');
    const upid = await pve.node(node).vm(vmid).start();
    sim.faults.nodeOffline(node, true);
    const err = (await pve.tasks
      .wait(node, upid, { timeoutMs: 500 })
      .catch((e: unknown) => e)) as ProxmoxTimeoutError;
    expect(err).toBeInstanceOf(ProxmoxTimeoutError);
    expect(err.message).toMatch(/last poll failed/);
  });

  it('refuses a UPID of another node (the node is always explicit)', async () => {
    const vmid = await newVm('task-node');
    const upid = await pve.node(node).vm(vmid).stop();
    await expect(pve.tasks.wait('elsewhere', upid)).rejects.toThrow(/belongs to node/);
    await pve.tasks.wait(node, upid);
  });

  it('can be aborted', async () => {
    const vmid = await newVm('task-abort');
    const upid = await pve.node(node).vm(vmid).start();
    const c = new AbortController();
    setTimeout(() => c.abort(new Error('user cancelled')), 100);
    await expect(pve.tasks.wait(node, upid, { signal: c.signal })).rejects.toThrow('user cancelled');
    await pve.tasks.wait(node, upid);
  });
});
