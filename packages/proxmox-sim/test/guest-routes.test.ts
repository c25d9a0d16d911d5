import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipBatch } from '../src/guest-routes.ts';
import { type Simulator, startSimulator } from '../src/index.ts';
import type { Guest } from '../src/state.ts';
import { client } from './http.ts';

let sim: Simulator;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, seed: 11, ssh: false });
  api = client(sim);
});
afterAll(() => sim.close());

const ct = (): Guest =>
  ({
    vmid: 200,
    type: 'lxc',
    node: 'pve1',
    status: 'running',
    config: { net0: 'name=eth0,bridge=vnet1,ip=10.5.0.20/24,gw=10.5.0.1' },
    snapshots: {},
    firewall: { rules: [], options: {} },
  }) as Guest;

describe('routes inside guests (ip -force -batch -)', () => {
  it('replaces and deletes routes with iproute2 messages for what fails', () => {
    const g = ct();
    const ok = ipBatch(g, 'route replace 10.9.0.0/16 via 10.5.0.7 proto 250\n');
    expect(ok).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(g.guestRoutes).toEqual([{ dst: '10.9.0.0/16', via: '10.5.0.7', proto: '250' }]);
    const mixed = ipBatch(
      g,
      [
        'route replace 10.9.0.0/16 via 10.5.0.8 proto 250',
        'route replace 10.10.0.0/16 via 192.168.1.1 proto 250',
        'route del 10.11.0.0/16 proto 250',
      ].join('\n'),
    );
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toBe(
      'Error: Nexthop has invalid gateway.\nCommand failed -:2\nRTNETLINK answers: No such process\nCommand failed -:3\n',
    );
    // -force went on: the first line took effect
    expect(g.guestRoutes).toEqual([{ dst: '10.9.0.0/16', via: '10.5.0.8', proto: '250' }]);
    expect(ipBatch(g, 'route del 10.9.0.0/16 proto 250\n').code).toBe(0);
    expect(g.guestRoutes).toEqual([]);
  });

  it('runs through the QEMU guest agent: exec with input-data, then exec-status', async () => {
    const create = await api.call<string>('POST', '/nodes/pve1/qemu', {
      vmid: 130,
      name: 'rt',
      memory: '512',
      net0: 'virtio,bridge=vmbr0,firewall=1',
      ipconfig0: 'ip=10.6.0.10/24,gw=10.6.0.1',
      agent: '1',
    });
    await api.waitTask('pve1', create.body.data);
    const start = await api.call<string>('POST', '/nodes/pve1/qemu/130/status/start');
    await api.waitTask('pve1', start.body.data);
    const exec = await api.call<{ pid: number }>(
      'POST',
      '/nodes/pve1/qemu/130/agent/exec',
      {
        command: ['ip', '-force', '-batch', '-'],
        'input-data': 'route replace 10.7.0.0/16 via 10.6.0.5 proto 250\n',
      },
      { json: true },
    );
    expect(exec.status, exec.raw).toBe(200);
    const st = await api.call<Record<string, unknown>>(
      'GET',
      `/nodes/pve1/qemu/130/agent/exec-status?pid=${exec.body.data.pid}`,
    );
    expect(st.body.data).toEqual({ exited: 1, exitcode: 0 });
    const other = await api.call<{ pid: number }>(
      'POST',
      '/nodes/pve1/qemu/130/agent/exec',
      { command: ['rm', '-rf', '/'] },
      { json: true },
    );
    const st2 = await api.call<Record<string, unknown>>(
      'GET',
      `/nodes/pve1/qemu/130/agent/exec-status?pid=${other.body.data.pid}`,
    );
    expect(st2.body.data).toMatchObject({ exited: 1, exitcode: 127 });
    expect(sim.inspect().guests.find((x) => x.vmid === 130)?.guestRoutes).toEqual([
      { dst: '10.7.0.0/16', via: '10.6.0.5', proto: '250' },
    ]);
    // a stop empties the guest's routing table (routes set at run time live in its kernel)
    const stop = await api.call<string>('POST', '/nodes/pve1/qemu/130/status/stop');
    await api.waitTask('pve1', stop.body.data);
    const down = await api.call<unknown>(
      'POST',
      '/nodes/pve1/qemu/130/agent/exec',
      { command: ['ip'] },
      { json: true },
    );
    expect(down.status).toBe(500);
    expect(down.raw).toContain('VM 130 is not running');
  });
});
