/** Console websockets (`vncwebsocket`) over real TLS: the pin is enforced, refusals carry the status. */
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxmoxTlsError, ProxmoxWebSocketError, vncAuthResponse } from '../src/index.ts';
import type { Sim } from './helpers.ts';
import { validatingClient } from './helpers.ts';

let sim: Sim;
let guest: { node: string; vmid: number };
beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, ssh: false });
  const vmids = sim.seedGuests(3, { runningRatio: 1 });
  const g = sim
    .inspect()
    .guests.find((x) => vmids.includes(x.vmid) && x.type === 'qemu' && x.status === 'running');
  if (!g) throw new Error('no running VM seeded');
  guest = { node: g.node, vmid: g.vmid };
});
afterAll(() => sim?.close());

const WRONG = 'AA:'.repeat(31) + 'AA';

function firstBytes(ws: import('ws').WebSocket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    ws.on('message', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= n) resolve(buf.subarray(0, n));
    });
  });
}

describe('vncWebSocket', () => {
  it('opens the console stream with the token and a pinned certificate; VNC auth takes the ticket', async () => {
    const { client } = validatingClient(sim);
    const vm = client.node(guest.node).guest('qemu', guest.vmid);
    const tk = await vm.vncproxy({ websocket: true });
    const ws = await client.vncWebSocket(guest.node, 'qemu', guest.vmid, {
      port: tk.port,
      vncticket: tk.ticket,
    });
    expect(ws.protocol).toBe('binary');
    const read = firstBytes(ws, 12);
    ws.resume();
    expect((await read).subarray(0, 12).toString()).toBe('RFB 003.008\n');
    ws.send(Buffer.from('RFB 003.008\n'));
    ws.close();
    expect(vncAuthResponse(tk.ticket, Buffer.alloc(16)).length).toBe(16);
    await client.close();
  });

  it('a wrong pin fails with ProxmoxTlsError before the upgrade (which carries the token) is sent', async () => {
    const { client } = validatingClient(sim);
    const tk = await client.node(guest.node).guest('qemu', guest.vmid).vncproxy({ websocket: true });
    const { client: pinned } = validatingClient(sim, { tls: { fingerprint: WRONG } });
    const err = await pinned
      .vncWebSocket(guest.node, 'qemu', guest.vmid, { port: tk.port, vncticket: tk.ticket })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxmoxTlsError);
    // the ticket was not consumed: nothing reached the server
    const ws = await client.vncWebSocket(guest.node, 'qemu', guest.vmid, {
      port: tk.port,
      vncticket: tk.ticket,
    });
    ws.close();
    await client.close();
    await pinned.close();
  });

  it('a refused upgrade (bad ticket) is a ProxmoxWebSocketError with the status', async () => {
    const { client } = validatingClient(sim);
    const err = (await client
      .vncWebSocket(guest.node, 'qemu', guest.vmid, { port: 5900, vncticket: 'PVEVNC:bogus' })
      .catch((e: unknown) => e)) as ProxmoxWebSocketError;
    expect(err).toBeInstanceOf(ProxmoxWebSocketError);
    expect(err.status).toBe(401);
    await client.close();
  });
});
