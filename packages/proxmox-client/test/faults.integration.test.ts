/** Client behaviour under injected faults: 5xx, slow answers, hangs, dropped and refused connections. */
import { createServer } from 'node:net';
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProxmoxApiError, ProxmoxClient, ProxmoxConnectionError, ProxmoxTimeoutError } from '../src/index.ts';
import { count, type Sim, type ValidatedClient, validatingClient } from './helpers.ts';

let sim: Sim;
let v: ValidatedClient;
let pve: ProxmoxClient;
let node: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0 });
  v = validatingClient(sim, { retries: 2, timeoutMs: 2_000 });
  pve = v.client;
  node = (await pve.nodes.list())[0]!.node;
});
afterAll(async () => {
  await pve?.close();
  await sim?.close();
});
afterEach(() => {
  sim.faults.reset();
  v.requests.length = 0;
  expect(v.violations).toEqual([]);
});

describe('HTTP 5xx', () => {
  it('retries an idempotent GET and succeeds', async () => {
    sim.faults.httpError({ method: 'GET', pathPattern: '^/cluster/resources$', status: 500, count: 2 });
    const res = await pve.cluster.resources();
    expect(res.length).toBeGreaterThan(0);
    expect(count(v.requests, 'GET', /^\/cluster\/resources$/)).toBe(3);
  });

  it('gives up after the configured retries with PVE’s message', async () => {
    sim.faults.httpError({
      method: 'GET',
      pathPattern: '^/version$',
      status: 503,
      count: 10,
      message: 'service busy',
    });
    const err = (await pve.version().catch((e: unknown) => e)) as ProxmoxApiError;
    expect(err).toBeInstanceOf(ProxmoxApiError);
    expect(err.status).toBe(503);
    expect(err.pveMessage).toMatch(/service busy/);
    expect(count(v.requests, 'GET', /^\/version$/)).toBe(3);
  });

  it('never repeats a POST that got a 500 (a create is not retried)', async () => {
    const vmid = await pve.cluster.nextId();
    sim.faults.httpError({ method: 'POST', pathPattern: '/qemu$', status: 500, count: 1 });
    const err = await pve
      .node(node)
      .qemu.create({ vmid, name: 'once', memory: 512 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxmoxApiError);
    expect(count(v.requests, 'POST', /\/qemu$/)).toBe(1);
  });

  it('does not retry 4xx', async () => {
    sim.faults.httpError({
      method: 'GET',
      pathPattern: '^/cluster/status$',
      status: 403,
      count: 1,
      message: 'Permission check failed',
    });
    const err = (await pve.cluster.status().catch((e: unknown) => e)) as ProxmoxApiError;
    expect(err.status).toBe(403);
    expect(count(v.requests, 'GET', /^\/cluster\/status$/)).toBe(1);
  });

  it('does not retry PVE’s deterministic 500s ("… does not exist")', async () => {
    const err = (await pve
      .node(node)
      .vm(999_999)
      .config()
      .catch((e: unknown) => e)) as ProxmoxApiError;
    expect(err).toBeInstanceOf(ProxmoxApiError);
    expect(err.status).toBe(500);
    expect(err.pveMessage).toMatch(/does not exist/);
    expect(count(v.requests, 'GET', /\/qemu\/999999\/config$/)).toBe(1);
  });
});

describe('slow answers and hangs', () => {
  it('a slow answer beyond timeoutMs fails with ProxmoxTimeoutError (not retried)', async () => {
    sim.faults.latency(600);
    const err = (await pve.version({ timeoutMs: 200 }).catch((e: unknown) => e)) as ProxmoxTimeoutError;
    expect(err).toBeInstanceOf(ProxmoxTimeoutError);
    expect(err.timeoutMs).toBe(200);
    expect(err.path).toBe('/version');
    expect(count(v.requests, 'GET', /^\/version$/)).toBe(1);
    await expect(pve.version({ timeoutMs: 2_000 })).resolves.toHaveProperty('version');
  });

  it('a hanging POST times out and says the operation may have happened', async () => {
    sim.faults.hang({ pathPattern: '/status/start$' });
    const vmid = await pve.cluster.nextId();
    await pve.tasks.wait(node, await pve.node(node).qemu.create({ vmid, name: 'hang', memory: 512 }));
    const err = (await pve
      .node(node)
      .vm(vmid)
      .start({}, { timeoutMs: 300 })
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ProxmoxTimeoutError);
    expect(err.message).toMatch(/may still have been carried out/);
  });
});

describe('dropped and refused connections', () => {
  it('a GET whose connection is dropped is retried', async () => {
    sim.faults.dropConnection({ pathPattern: '^/nodes$', count: 1 });
    expect((await pve.nodes.list()).length).toBe(1);
    expect(count(v.requests, 'GET', /^\/nodes$/)).toBe(2);
  });

  it('a POST whose connection is dropped after sending is NOT retried', async () => {
    sim.faults.dropConnection({ pathPattern: '/qemu$', method: 'POST', count: 1 });
    const vmid = await pve.cluster.nextId();
    const err = (await pve
      .node(node)
      .qemu.create({ vmid, name: 'dropped', memory: 512 })
      .catch((e: unknown) => e)) as ProxmoxConnectionError;
    expect(err).toBeInstanceOf(ProxmoxConnectionError);
    expect(err.beforeSend).toBe(false);
    expect(count(v.requests, 'POST', /\/qemu$/)).toBe(1);
  });

  it('a refused connection fails before sending; even a POST is retried then', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const requests: string[] = [];
    const dead = new ProxmoxClient({
      baseUrl: `https://127.0.0.1:${port}`,
      auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
      tls: { fingerprint: sim.fingerprint },
      retries: 2,
      retryBaseMs: 10,
      hooks: { onRequest: (i) => requests.push(`${i.method} ${i.path}`) },
    });
    const err = (await dead.cluster.backup
      .create({ id: 'x', schedule: 'daily', all: true })
      .catch((e: unknown) => e)) as ProxmoxConnectionError;
    expect(err).toBeInstanceOf(ProxmoxConnectionError);
    expect(err.beforeSend).toBe(true);
    expect(err.code).toBe('ECONNREFUSED');
    expect(requests).toHaveLength(3);
    await dead.close();
  });
});
