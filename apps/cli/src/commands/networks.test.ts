/** networks / security-groups commands end to end: the real CLI against a demo-mode server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminSession, type CliRunner, startWithAdmin } from '../testing/harness.ts';
import { parsePorts } from './networks.ts';

let session: AdminSession;
let admin: CliRunner;

beforeAll(async () => {
  session = await startWithAdmin();
  ({ admin } = session);
});
afterAll(() => session?.stop());

const json = <T>(s: string) => JSON.parse(s) as T;

describe('networks and security-groups commands', () => {
  it('parses --port', () => {
    expect(parsePorts('22')).toEqual({ fromPort: 22 });
    expect(parsePorts('8000-8100')).toEqual({ fromPort: 8000, toPort: 8100 });
    expect(() => parsePorts('ssh')).toThrow(/--port/);
  });

  it('creates a network and waits, refuses an overlap, lists as JSON', async () => {
    const created = await admin.run([
      'networks',
      'create',
      'cli-net',
      '--cidr',
      '10.77.0.0/24',
      '--snat',
      '--wait',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/cli-net .* 10\.77\.0\.0\/24: available/);
    const overlap = await admin.run(['networks', 'create', 'cli-net2', '--cidr', '10.77.0.128/25']);
    expect(overlap.code).not.toBe(0);
    expect(overlap.stderr).toContain("overlaps your network 'cli-net'");
    const list = await admin.run(['networks', 'list', '-o', 'json']);
    const items = json<{ items: { name: string; snat: boolean; vnet: string }[] }>(list.stdout).items;
    expect(items.find((n) => n.name === 'cli-net')).toMatchObject({ snat: true });
  });

  it('creates a dual-stack network with SLAAC and shows its IPv6 prefix and gateway', async () => {
    const bad = await admin.run([
      'networks',
      'create',
      'cli-v6x',
      '--cidr',
      '10.78.0.0/24',
      '--ipv6-mode',
      'auto',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--ipv6-mode is static or slaac');
    const created = await admin.run([
      'networks',
      'create',
      'cli-v6',
      '--cidr',
      '10.78.0.0/24',
      '--ipv6',
      'fd00:78::/64',
      '--ipv6-mode',
      'slaac',
      '--wait',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const shown = await admin.run(['networks', 'get', 'cli-v6']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('fd00:78::/64, gateway fd00:78::1 (slaac)');
  });

  it('builds a security group with add-rule / remove-rule', async () => {
    expect((await admin.run(['security-groups', 'create', 'cli-web'])).code).toBe(0);
    const add = await admin.run([
      'sg',
      'add-rule',
      'cli-web',
      '--protocol',
      'tcp',
      '--port',
      '443',
      '--cidr',
      '0.0.0.0/0',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('inbound tcp 443 from 0.0.0.0/0');
    await admin.run(['sg', 'add-rule', 'cli-web', '--protocol', 'icmp', '--cidr', '10.0.0.0/8']);
    const badPort = await admin.run([
      'sg',
      'add-rule',
      'cli-web',
      '--protocol',
      'tcp',
      '--port',
      '70000',
      '--cidr',
      '0.0.0.0/0',
    ]);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toMatch(/1 to 65535/);
    const got = json<{ rules: { id: string; protocol: string }[] }>(
      (await admin.run(['sg', 'get', 'cli-web', '-o', 'json'])).stdout,
    );
    expect(got.rules.map((r) => r.protocol)).toEqual(['tcp', 'icmp']);
    const rm = await admin.run(['sg', 'remove-rule', 'cli-web', '1']);
    expect(rm.code, rm.stderr).toBe(0);
    const after = json<{ rules: { protocol: string }[] }>(
      (await admin.run(['sg', 'get', 'cli-web', '-o', 'json'])).stdout,
    );
    expect(after.rules.map((r) => r.protocol)).toEqual(['icmp']);
    const del = await admin.run(['sg', 'delete', 'cli-web', '--yes']);
    expect(del.code, del.stderr).toBe(0);
  });
});
