/** route-tables commands end to end: the real CLI against a demo-mode server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
});
afterAll(() => session?.stop());

const json = <T>(s: string) => JSON.parse(s) as T;
type Rtb = { name: string; isDefault: boolean; routes: { destinationCidr: string; targetName: string }[] };

describe('route-tables commands', () => {
  it('creates a table on a network, adds a route through a router instance, removes it, deletes the table', async () => {
    for (const [name, cidr] of [
      ['rt-app', '10.85.0.0/24'],
      ['rt-edge', '10.86.0.0/24'],
    ] as const) {
      const n = await admin.run(['networks', 'create', name, '--cidr', cidr, '--wait']);
      expect(n.code, n.stderr).toBe(0);
    }
    const router = await admin.run([
      'instances',
      'launch',
      'rt-router',
      '-t',
      'debian-12-genericcloud-amd64.qcow2',
      '-i',
      't.nano',
      '--network',
      'rt-app',
      '--network',
      'rt-edge',
      '--wait',
    ]);
    expect(router.code, router.stderr).toBe(0);

    const list = await admin.run(['route-tables', 'list', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect(json<{ items: Rtb[] }>(list.stdout).items.find((t) => t.isDefault)?.name).toBe('main');

    const created = await admin.run(['route-tables', 'create', 'private', '--network', 'rt-app', '--wait']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Route table private \(rtb-/);

    const overlap = await admin.run([
      'route-tables',
      'add-route',
      'private',
      '10.85.0.0/16',
      '--via-instance',
      'rt-router',
    ]);
    expect(overlap.code).not.toBe(0);
    expect(overlap.stderr).toContain("overlaps network 'rt-app'");

    const added = await admin.run([
      'route-tables',
      'add-route',
      'private',
      '10.40.0.0/16',
      '--via-instance',
      'rt-router',
      '--wait',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('private: 10.40.0.0/16 → rt-router');
    const got = await admin.run(['route-tables', 'get', 'private']);
    expect(got.stdout).toContain('10.85.0.0/24');
    expect(got.stdout).toMatch(/10\.40\.0\.0\/16\s+rt-router/);
    // the router still checks source addresses on rt-app: warned, and set-nic turns it off
    expect(got.stderr).toContain("its NIC on 'rt-app' has the source/destination check on");
    const noFlag = await admin.run(['networks', 'set-nic', 'rt-router', 'rt-app']);
    expect(noFlag.code).not.toBe(0);
    expect(noFlag.stderr).toContain('--no-source-dest-check');
    const setNic = await admin.run(['networks', 'set-nic', 'rt-router', 'rt-app', '--no-source-dest-check']);
    expect(setNic.code, setNic.stderr).toBe(0);
    expect(setNic.stdout).toContain('rt-router on rt-app: source/destination check off.');
    expect((await admin.run(['route-tables', 'get', 'private'])).stderr).not.toContain('source/destination');

    const removed = await admin.run(['route-tables', 'remove-route', 'private', '10.40.0.0/16', '--wait']);
    expect(removed.code, removed.stderr).toBe(0);
    const gone = json<Rtb>((await admin.run(['route-tables', 'get', 'private', '-o', 'json'])).stdout);
    expect(gone.routes).toEqual([]);

    // NAT gateway for rt-app, a default route to it; the gateway cannot go while routed
    const nat = await admin.run(['nat-gateways', 'create', 'egress', '--network', 'rt-app', '--wait']);
    expect(nat.code, nat.stderr).toBe(0);
    expect(nat.stdout).toMatch(/NAT gateway egress \(nat-.*\) for rt-app: available/);
    const viaNat = await admin.run([
      'route-tables',
      'add-route',
      'private',
      '0.0.0.0/0',
      '--via-nat-gateway',
      'egress',
    ]);
    expect(viaNat.code, viaNat.stderr).toBe(0);
    expect(viaNat.stdout).toContain('private: 0.0.0.0/0 → egress');
    const both = await admin.run(['route-tables', 'add-route', 'private', '0.0.0.0/0']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('exactly one of --via-instance and --via-nat-gateway');
    const routed = await admin.run(['nat-gateways', 'delete', 'egress', '--yes']);
    expect(routed.code).not.toBe(0);
    expect(routed.stderr).toContain("0.0.0.0/0 in 'private'");
    const natList = await admin.run(['nat-gateways', 'list']);
    expect(natList.stdout).toMatch(/egress\s+sdnSnat\s+rt-app 10\.85\.0\.0\/24\s+-\s+available/); // no public address for SDN SNAT

    // peering rt-app ↔ rt-edge, opening half of rt-app
    const peer = await admin.run([
      'peerings',
      'create',
      'app-edge',
      '--network',
      'rt-app',
      '--peer',
      'rt-edge',
      '--allow',
      '10.85.0.0/25',
      '--peer-allow',
      '10.86.0.0/26',
      '--wait',
    ]);
    expect(peer.code, peer.stderr).toBe(0);
    expect(peer.stdout).toMatch(/Peering app-edge \(pcx-.*\): active/);
    const self = await admin.run(['peerings', 'create', 'loop', '--network', 'rt-app', '--peer', 'rt-app']);
    expect(self.code).not.toBe(0);
    expect(self.stderr).toContain('cannot peer with itself');
    const pget = await admin.run(['peerings', 'get', 'app-edge']);
    expect(pget.stdout).toContain('rt-app 10.85.0.0/24 opens 10.85.0.0/25');
    expect(pget.stdout).toContain('rt-edge 10.86.0.0/24 opens 10.86.0.0/26');
    const pdel = await admin.run(['peerings', 'delete', 'app-edge', '--yes', '--wait']);
    expect(pdel.code, pdel.stderr).toBe(0);
    expect(pdel.stdout).toContain('Peering app-edge: deleted.');

    const noDefault = await admin.run(['route-tables', 'delete', 'main', '--yes']);
    expect(noDefault.code).not.toBe(0);
    expect(noDefault.stderr).toContain('default route table');
    const del = await admin.run(['route-tables', 'delete', 'private', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toContain('Deleted route table private.');
    const natGone = await admin.run(['nat-gateways', 'delete', 'egress', '--yes', '--wait']);
    expect(natGone.code, natGone.stderr).toBe(0);
    expect(natGone.stdout).toContain('NAT gateway egress: deleted.');
  });
});
