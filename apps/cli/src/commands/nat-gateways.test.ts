/** nat-gateways commands (kind natVm) end to end: the real CLI against a demo-mode server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';

let session: AdminSession;
let admin: CliRunner;
const saved = process.env.PROXICLOUD_NAT_PUBLIC_CIDR;

beforeAll(async () => {
  // the public range NAT VMs take their address from (read when the server starts, in process)
  process.env.PROXICLOUD_NAT_PUBLIC_CIDR = '198.51.100.0/24';
  session = await startWithAdmin();
  ({ admin } = session);
});
afterAll(async () => {
  await session?.stop();
  if (saved === undefined) delete process.env.PROXICLOUD_NAT_PUBLIC_CIDR;
  else process.env.PROXICLOUD_NAT_PUBLIC_CIDR = saved;
});

describe('nat-gateways commands (natVm)', () => {
  it('creates a NAT VM with a chosen public address, shows it, refuses bad flags, deletes it', async () => {
    const n = await admin.run(['networks', 'create', 'nv-app', '--cidr', '10.87.0.0/24', '--wait']);
    expect(n.code, n.stderr).toBe(0);

    const badKind = await admin.run(['nat-gateways', 'create', 'x', '--network', 'nv-app', '--kind', 'box']);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('--kind must be sdnSnat or natVm');
    const noKind = await admin.run([
      'nat-gateways',
      'create',
      'x',
      '--network',
      'nv-app',
      '--public-address',
      '198.51.100.9',
    ]);
    expect(noKind.code).toBe(2);
    expect(noKind.stderr).toContain('need --kind natVm');
    const outside = await admin.run([
      'nat-gateways',
      'create',
      'x',
      '--network',
      'nv-app',
      '--kind',
      'natVm',
      '--public-address',
      '192.0.2.9',
    ]);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toContain('not a free host of the public range 198.51.100.0/24');

    const created = await admin.run([
      'nat-gateways',
      'create',
      'edge',
      '--network',
      'nv-app',
      '--kind',
      'natVm',
      '--public-address',
      '198.51.100.9',
      '--wait',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /NAT gateway edge \(nat-.*\) for nv-app \(private 10\.87\.0\.2, public 198\.51\.100\.9\): available/,
    );
    const list = await admin.run(['nat-gateways', 'list']);
    expect(list.stdout).toMatch(/edge\s+natVm\s+nv-app 10\.87\.0\.0\/24\s+198\.51\.100\.9\s+available/);
    const got = await admin.run(['nat-gateways', 'get', 'edge']);
    expect(got.stdout).toContain('natVm (managed NAT container)');
    expect(got.stdout).toContain('10.87.0.2 (next hop of routes)');
    expect(got.stdout).toMatch(/Health:\s+healthy/);

    const del = await admin.run(['nat-gateways', 'delete', 'edge', '--yes', '--wait']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toContain('NAT gateway edge: deleted.');
    const empty = await admin.run(['nat-gateways', 'list']);
    expect(empty.stdout).toContain('No NAT gateways');
  });
});
