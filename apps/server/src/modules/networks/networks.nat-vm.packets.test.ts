/**
 * The NAT VM's configuration with real packets (issue 20): a private namespace behind a NAT namespace
 * running exactly the sysctls and nftables ruleset ProxiCloud generates reaches a "public" namespace,
 * the replies come back, and the public side sees the gateway's address. Skipped (with the reason)
 * where namespaces or nft are not available.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { packetTierUnavailable } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { natVmRuleset, natVmSysctl } from './networks.nat-vm.ts';

const run = promisify(execFile);
const why = packetTierUnavailable();
if (why) console.warn(`NAT VM packet tier skipped: ${why}`);

const NS = { priv: 'pcnat-priv', nat: 'pcnat-gw', pub: 'pcnat-pub' };
const sh = (...a: string[]) =>
  execFileSync(a[0]!, a.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] }).toString();
const inNs = (ns: string, ...a: string[]) => sh('ip', 'netns', 'exec', ns, ...a);
const destroy = () => {
  for (const ns of Object.values(NS))
    try {
      sh('ip', 'netns', 'del', ns);
    } catch {
      // not there
    }
};
let server: ReturnType<typeof spawn> | undefined;
afterAll(() => {
  server?.kill();
  destroy();
});

/** What the public side saw as the client's address, or null when the connection failed. */
async function connect(src?: string): Promise<string | null> {
  const code = `const s=require('net').connect({port:8080,host:'203.0.113.1'${src ? `,localAddress:'${src}'` : ''}});let d='';s.setTimeout(1500);s.on('data',b=>d+=b);s.on('end',()=>{process.stdout.write(d);process.exit(0)});s.on('timeout',()=>process.exit(1));s.on('error',()=>process.exit(1));`;
  try {
    const { stdout } = await run('ip', ['netns', 'exec', NS.priv, process.execPath, '-e', code]);
    return stdout.trim();
  } catch {
    return null;
  }
}

describe.skipIf(why !== null)('NAT VM configuration with real packets', () => {
  it('masquerades the private range behind the public address; nothing else is forwarded', async () => {
    destroy();
    for (const ns of Object.values(NS)) {
      sh('ip', 'netns', 'add', ns);
      inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
    }
    // private ⇄ gateway eth0, gateway eth1 ⇄ public
    sh(
      'ip',
      'link',
      'add',
      'pcnat-a',
      'netns',
      NS.priv,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      NS.nat,
    );
    sh(
      'ip',
      'link',
      'add',
      'pcnat-b',
      'netns',
      NS.pub,
      'type',
      'veth',
      'peer',
      'name',
      'eth1',
      'netns',
      NS.nat,
    );
    inNs(NS.priv, 'ip', 'addr', 'add', '10.150.0.10/24', 'dev', 'pcnat-a');
    inNs(NS.priv, 'ip', 'addr', 'add', '10.151.0.10/32', 'dev', 'pcnat-a'); // an address outside the range
    inNs(NS.priv, 'ip', 'link', 'set', 'pcnat-a', 'up');
    inNs(NS.priv, 'ip', 'route', 'add', 'default', 'via', '10.150.0.1');
    inNs(NS.nat, 'ip', 'addr', 'add', '10.150.0.1/24', 'dev', 'eth0');
    inNs(NS.nat, 'ip', 'addr', 'add', '203.0.113.2/24', 'dev', 'eth1');
    inNs(NS.nat, 'ip', 'link', 'set', 'eth0', 'up');
    inNs(NS.nat, 'ip', 'link', 'set', 'eth1', 'up');
    // the public side knows nothing of 10.150.0.0/24: replies reach the private side only through the NAT
    inNs(NS.pub, 'ip', 'addr', 'add', '203.0.113.1/24', 'dev', 'pcnat-b');
    inNs(NS.pub, 'ip', 'link', 'set', 'pcnat-b', 'up');
    server = spawn(
      'ip',
      [
        'netns',
        'exec',
        NS.pub,
        process.execPath,
        '-e',
        "require('net').createServer(s=>s.end(s.remoteAddress)).listen(8080,'0.0.0.0')",
      ],
      { stdio: 'ignore' },
    );
    await new Promise((r) => setTimeout(r, 400));

    // before the configuration: no forwarding, nothing gets out
    expect(await connect()).toBeNull();

    // exactly what ProxiCloud writes: the sysctl file's keys, then the ruleset
    for (const line of natVmSysctl()
      .split('\n')
      .filter((l) => l && !l.startsWith('#')))
      inNs(NS.nat, 'sysctl', '-w', line.replace(/\s*=\s*/, '='));
    const ruleset = natVmRuleset({
      privateIface: 'eth0',
      publicIface: 'eth1',
      sourceCidrs: ['10.150.0.0/24'],
    });
    execFileSync('ip', ['netns', 'exec', NS.nat, 'nft', '-f', '-'], { input: ruleset });
    // applying it again replaces it (the file deletes its own table first)
    execFileSync('ip', ['netns', 'exec', NS.nat, 'nft', '-f', '-'], { input: ruleset });
    expect(inNs(NS.nat, 'nft', 'list', 'tables').trim()).toBe('table inet proxicloud_nat');

    // the private host reaches the public one, the reply comes back, and the public side saw the gateway
    expect(await connect()).toBe('203.0.113.2');
    // a source outside the translated range is not forwarded
    expect(await connect('10.151.0.10')).toBeNull();
  }, 60_000);
});

describe('NAT VM configuration', () => {
  it('refuses a configuration it cannot write safely', () => {
    expect(() =>
      natVmRuleset({ privateIface: 'eth0', publicIface: 'eth0', sourceCidrs: ['10.0.0.0/24'] }),
    ).toThrow(/differ/);
    expect(() =>
      natVmRuleset({ privateIface: 'eth0"; flush', publicIface: 'eth1', sourceCidrs: ['10.0.0.0/24'] }),
    ).toThrow(/interface name/);
    expect(() =>
      natVmRuleset({ privateIface: 'eth0', publicIface: 'eth1', sourceCidrs: ['10.0.0.0/33'] }),
    ).toThrow(/CIDR/);
    expect(() => natVmRuleset({ privateIface: 'eth0', publicIface: 'eth1', sourceCidrs: [] })).toThrow(
      /at least one/,
    );
  });
});
