/**
 * Helpers for the compute test files (imported by *.test.ts only): a test context whose app talks
 * to a real simulator over HTTPS and SSH, and small waiting/launch helpers over the HTTP API.
 */
import { type Simulator, type SimulatorOptions, startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, beforeAll, expect } from 'vitest';
import { connectSimulator } from '../platform/proxmox.ts';
import { type ComputeServices, computeOf } from './compute-of.ts';

export { type ComputeServices, computeOf };

import { createTestContext, type TestClient, type TestContext, type TestContextOptions } from './test-kit.ts';

export interface ComputeTestContext {
  ctx: TestContext;
  sim: Simulator;
  compute: ComputeServices;
  close(): Promise<void>;
}

export async function createComputeContext(
  options: { sim?: SimulatorOptions; test?: TestContextOptions; simulator?: Simulator } = {},
): Promise<ComputeTestContext> {
  const sim = options.simulator ?? (await startSimulator({ port: 0, taskDurationMs: 0, ...options.sim }));
  const proxmox = connectSimulator(sim, { ownSimulator: !options.simulator });
  const ctx = await createTestContext({ ...options.test, proxmox });
  const compute = computeOf(ctx.app);
  return {
    ctx,
    sim,
    compute,
    async close() {
      await ctx.close();
      await proxmox.close();
    },
  };
}

export interface Op {
  id: string;
  status: string;
  progress: number;
  steps: { name: string; status: string; detail: string | null }[];
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
}

export interface Inst {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  vmid: number | null;
  node: string | null;
  type: 'vm' | 'lxc';
  ipAddresses: string[];
  activeOperationId: string | null;
  usage: { cpu: number; memoryMaxBytes: number } | null;
  [k: string]: unknown;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Poll an operation until it finishes (no sleeps beyond short polls). */
export async function waitOp(client: TestClient, id: string, timeoutMs = 30_000): Promise<Op> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get<Op>(`/api/v1/operations/${id}`);
    expect(res.status, res.text).toBe(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline)
      throw new Error(`operation ${id} still ${res.body.status}: ${JSON.stringify(res.body.steps)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const VM_IMAGE = 'local:import/debian-12-genericcloud-amd64.qcow2';
export const LXC_TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';

/** POST a launch (a t.nano VM from VM_IMAGE unless `body` says otherwise); asserts 202, does not wait. */
export async function launchAccepted(
  client: TestClient,
  body: Record<string, unknown>,
): Promise<{ instance: Inst; operation: Op } & ErrorBody> {
  const res = await client.post<{ instance: Inst; operation: Op } & ErrorBody>('/api/v1/instances', {
    type: 'vm',
    template: VM_IMAGE,
    instanceType: 't.nano',
    ...body,
  });
  expect(res.status, res.text).toBe(202);
  return res.body;
}

/**
 * One compute context for all the tests of a file: created before them (then `setup` runs, e.g. to
 * create users and fixtures) and closed after them, even when `setup` fails.
 */
export function useComputeContext(
  options: Parameters<typeof createComputeContext>[0],
  setup: (t: ComputeTestContext) => Promise<void>,
): void {
  let t: ComputeTestContext | undefined;
  beforeAll(async () => {
    t = await createComputeContext(options);
    await setup(t);
  });
  afterAll(async () => {
    await t?.close();
  });
}

/** Poll an operation until its step `step` runs (failing the test if the operation fails first). */
export async function waitStepRunning(client: TestClient, opId: string, step: string): Promise<void> {
  for (;;) {
    const op = (await client.get<Op>(`/api/v1/operations/${opId}`)).body;
    if (op.steps.find((s) => s.name === step)?.status === 'running') return;
    expect(op.status).not.toBe('failed');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Launch and wait; asserts success and returns the instance as GET shows it. */
export async function launch(
  client: TestClient,
  body: Record<string, unknown>,
): Promise<{ instance: Inst; op: Op }> {
  const accepted = await launchAccepted(client, body);
  const op = await waitOp(client, accepted.operation.id);
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  const got = await client.get<Inst>(`/api/v1/instances/${accepted.instance.id}`);
  return { instance: got.body, op };
}
