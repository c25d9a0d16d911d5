import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0, seed: 3, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

describe('fault injection', () => {
  it('fails the next matching task with the message and a log', async () => {
    sim.faults.failTask({ type: 'qmcreate', message: 'unable to create VM 400 - injected failure' });
    const r = await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 400, scsi0: 'local-zfs:4' });
    const t = await api.waitTask('pve1', r.body.data);
    expect(t.exitstatus).toBe('unable to create VM 400 - injected failure');
    const log = await api.call<{ t: string }[]>(
      'GET',
      `/nodes/pve1/tasks/${encodeURIComponent(r.body.data)}/log`,
    );
    expect(log.body.data.map((l) => l.t)).toContain('TASK ERROR: unable to create VM 400 - injected failure');
    // a failed create leaves nothing behind
    expect((await api.call('GET', '/nodes/pve1/qemu/400/config')).status).toBe(500);
    expect(sim.inspect().storageContent.pve1!['local-zfs']!.some((v) => v.vmid === 400)).toBe(false);
    // the fault was consumed
    const again = await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 400, scsi0: 'local-zfs:4' });
    expect((await api.waitTask('pve1', again.body.data)).exitstatus).toBe('OK');
  });

  it('answers injected HTTP errors a limited number of times', async () => {
    sim.faults.httpError({ method: 'GET', pathPattern: '^/cluster/resources$', status: 503, count: 2 });
    expect((await api.call('GET', '/cluster/resources')).status).toBe(503);
    const second = await api.call('GET', '/cluster/resources');
    expect(second.status).toBe(503);
    expect(second.body).toEqual({ data: null, message: 'Service Unavailable\n' });
    expect((await api.call('GET', '/cluster/resources')).status).toBe(200);
  });

  it('hangs requests until the client times out, and drops connections', async () => {
    sim.faults.hang({ pathPattern: '^/version$', count: 1 });
    await expect(api.call('GET', '/version', undefined, { timeoutMs: 300 })).rejects.toThrow(
      'request timed out',
    );
    expect((await api.call('GET', '/version')).status).toBe(200);
    sim.faults.dropConnection({ pathPattern: '^/nodes$', count: 1 });
    await expect(api.call('GET', '/nodes')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await api.call('GET', '/nodes')).status).toBe(200);
  });

  it('applies the latencyMs option to every response', async () => {
    const slow = await startSimulator({ port: 0, latencyMs: 120, ssh: false });
    try {
      const t0 = Date.now();
      expect((await client(slow).call('GET', '/version')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.close();
    }
  });

  it('adds latency', async () => {
    sim.faults.latency(150);
    const t0 = Date.now();
    await api.call('GET', '/version');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sim.faults.latency(0);
  });

  it('takes a node offline: 595 for its requests, running tasks fail, resources show it', async () => {
    const slow = await startSimulator({ port: 0, nodes: 2, taskDurationMs: { qmcreate: 5000 }, ssh: false });
    try {
      const c = client(slow);
      const r = await c.call<string>('POST', '/nodes/pve2/qemu', { vmid: 500, scsi0: 'local-zfs:4' });
      slow.faults.nodeOffline('pve2', true);
      const denied = await c.call('GET', '/nodes/pve2/qemu');
      expect(denied.status).toBe(595);
      expect(denied.body.message).toBe('No route to host\n');
      const nodes = await c.call<{ node: string; status: string }[]>('GET', '/nodes');
      expect(nodes.body.data.find((n) => n.node === 'pve2')!.status).toBe('offline');
      slow.faults.nodeOffline('pve2', false);
      const t = await c.waitTask('pve2', r.body.data);
      expect(t.exitstatus).toBe("node 'pve2' went offline - connection lost");
    } finally {
      await slow.close();
    }
  });

  it('is controllable over the /_sim HTTP test API with the same auth', async () => {
    const unauth = await api.raw('POST', '/_sim/faults', JSON.stringify({ latency: 1 }), {
      'content-type': 'application/json',
    });
    expect(unauth.status).toBe(401);
    const auth = { authorization: `PVEAPIToken=${sim.token}`, 'content-type': 'application/json' };
    const set = await api.raw(
      'POST',
      '/_sim/faults',
      JSON.stringify({
        httpError: { pathPattern: '^/version$', status: 500, message: 'boom', count: 1 },
        storageFull: { storage: 'tank' },
      }),
      auth,
    );
    expect(set.status).toBe(200);
    expect((set.body.data as { fullStorages: string[] }).fullStorages).toEqual(['tank']);
    const v = await api.call('GET', '/version');
    expect(v.status).toBe(500);
    expect(v.body.message).toBe('boom\n');
    const bad = await api.raw('POST', '/_sim/faults', JSON.stringify({ nope: 1 }), auth);
    expect(bad.status).toBe(400);
    const reset = await api.raw('DELETE', '/_sim/faults', undefined, auth);
    expect((reset.body.data as { fullStorages: string[] }).fullStorages).toEqual([]);
    const state = await api.raw('GET', '/_sim/state', undefined, auth);
    expect((state.body.data as { nodes: unknown[] }).nodes).toHaveLength(2);
    const seeded = await api.raw('POST', '/_sim/seed', JSON.stringify({ count: 5 }), auth);
    expect(seeded.body.data).toHaveLength(5);
  });

  it('withholds a privilege from the token: permissions leave it out, console calls answer 403', async () => {
    const auth = { authorization: `PVEAPIToken=${sim.token}`, 'content-type': 'application/json' };
    const r = await api.call<string>('POST', '/nodes/pve1/qemu', { vmid: 410, scsi0: 'local-zfs:4' });
    expect((await api.waitTask('pve1', r.body.data)).exitstatus).toBe('OK');
    const s = await api.call<string>('POST', '/nodes/pve1/qemu/410/status/start');
    expect((await api.waitTask('pve1', s.body.data)).exitstatus).toBe('OK');
    const set = await api.raw(
      'POST',
      '/_sim/faults',
      JSON.stringify({ withholdPrivilege: { privilege: 'VM.Console' } }),
      auth,
    );
    expect((set.body.data as { withheldPrivileges: string[] }).withheldPrivileges).toEqual(['VM.Console']);
    const perms = await api.call<Record<string, Record<string, number>>>('GET', '/access/permissions');
    expect(perms.body.data['/']!['VM.Console']).toBeUndefined();
    expect(perms.body.data['/']!['VM.PowerMgmt']).toBe(1);
    for (const path of ['/nodes/pve1/qemu/410/vncproxy', '/nodes/pve1/qemu/410/termproxy']) {
      const denied = await api.call('POST', path);
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain('Permission check failed (/vms/410, VM.Console)');
    }
    await api.raw('DELETE', '/_sim/faults', undefined, auth);
    expect((await api.call('POST', '/nodes/pve1/qemu/410/vncproxy', { websocket: 1 })).status).toBe(200);
    expect(() => sim.faults.withholdPrivilege('not a privilege', true)).toThrow(/invalid privilege/);
  });
});
