/**
 * `networks …` (VPC networks on Proxmox SDN) and `security-groups …` (rule sets on the PVE
 * firewall, incl. add-rule / remove-rule), plus the NIC and group actions on instances.
 */
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { followOperation, resolveInstance } from './instances.ts';

type Network = components['schemas']['Network'];
type SecurityGroup = components['schemas']['SecurityGroup'];
type Rule = components['schemas']['SecurityGroupRule'];
type RuleInput = Omit<Rule, 'id'>;

const netColumns: Column<Network>[] = [
  { header: 'ID', value: (n) => n.id },
  { header: 'NAME', value: (n) => n.name },
  { header: 'CIDR', value: (n) => n.cidr },
  { header: 'GATEWAY', value: (n) => n.gateway },
  { header: 'DHCP', value: (n) => (n.dhcp ? `${n.dhcp.start}-${n.dhcp.end}` : 'off') },
  { header: 'SNAT', value: (n) => (n.snat ? 'yes' : 'no') },
  { header: 'VNET', value: (n) => n.vnet },
  { header: 'STATUS', value: (n) => n.status },
];

const sgColumns: Column<SecurityGroup>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'NAME', value: (g) => g.name },
  { header: 'RULES', value: (g) => String(g.rules.length) },
  { header: 'DESCRIPTION', value: (g) => g.description },
];

const notFound = (what: string, ref: string) =>
  new CliError(`No ${what} "${ref}"`, { exitCode: ExitCode.notFound, code: 'not_found' });

export async function resolveNetwork(ctx: Context, ref: string): Promise<Network> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/networks', { params: { query: { limit: 1000 } } }),
  )) as Page<Network>;
  const hit = page.items.find((n) => n.id === ref || n.name === ref);
  if (!hit) throw notFound('network', ref);
  return hit;
}

export async function resolveGroup(ctx: Context, ref: string): Promise<SecurityGroup> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/security-groups', { params: { query: { limit: 1000 } } }),
  )) as Page<SecurityGroup>;
  const hit = page.items.find((g) => g.id === ref || g.name === ref);
  if (!hit) throw notFound('security group', ref);
  return hit;
}

/** `--network a --network b` / `--security-group x` of a launch → ids. */
export async function resolveLaunchNetworking(
  ctx: Context,
  networks: string[] = [],
  groups: string[] = [],
): Promise<{ networkIds?: string[]; securityGroupIds?: string[] }> {
  const networkIds = await Promise.all(networks.map(async (n) => (await resolveNetwork(ctx, n)).id));
  const securityGroupIds = await Promise.all(groups.map(async (g) => (await resolveGroup(ctx, g)).id));
  return {
    ...(networkIds.length ? { networkIds } : {}),
    ...(securityGroupIds.length ? { securityGroupIds } : {}),
  };
}

function ruleText(r: RuleInput): string {
  const ports =
    r.fromPort === undefined
      ? ''
      : r.toPort !== undefined && r.toPort !== r.fromPort
        ? ` ${r.fromPort}-${r.toPort}`
        : ` ${r.fromPort}`;
  const peer = r.sourceSecurityGroupId ?? r.cidr ?? '';
  return `${r.direction} ${r.protocol}${ports} ${r.direction === 'inbound' ? 'from' : 'to'} ${peer}`;
}

/** `--port 22`, `--port 8000-8100` → fromPort/toPort. */
export function parsePorts(text: string | undefined): { fromPort?: number; toPort?: number } {
  if (text === undefined) return {};
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`--port must be a port (22) or a range (8000-8100), not "${text}"`);
  return { fromPort: Number(m[1]), ...(m[2] ? { toPort: Number(m[2]) } : {}) };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function printNetwork(
  ctx: Context,
  n: Network & { instances?: { id: string; name: string; ip: string; ip6?: string }[] },
): void {
  ctx.out.details([
    ['ID', n.id],
    ['Name', n.name],
    ['CIDR', `${n.cidr} (${n.usableAddresses} usable: ${n.firstAddress} – ${n.lastAddress})`],
    ['Gateway', n.gateway],
    ['IPv6', n.ipv6Cidr ? `${n.ipv6Cidr}, gateway ${n.ipv6Gateway} (${n.ipv6Mode})` : '-'],
    ['DHCP', n.dhcp ? `${n.dhcp.start} – ${n.dhcp.end}` : 'off'],
    ['SNAT', n.snat ? 'yes' : 'no'],
    ['SDN', `zone ${n.zone}, VNet ${n.vnet}`],
    ['Status', n.statusReason ? `${n.status} (${n.statusReason})` : n.status],
    [
      'Instances',
      (n.instances ?? []).map((i) => `${i.name} ${i.ip}${i.ip6 ? ` ${i.ip6}` : ''}`).join(', ') || '-',
    ],
    ['Created', formatTimestamp(n.createdAt)],
  ]);
}

export function registerNetworkCommands(program: Command): void {
  const nets = program
    .command('networks')
    .alias('network')
    .description('Isolated networks (VPC-style): a Proxmox SDN VNet + subnet each')
    .addHelpText(
      'after',
      examples(
        'proxicloud networks create web --cidr 10.20.0.0/24 --snat --wait',
        'proxicloud networks create dual --cidr 10.30.0.0/24 --ipv6 fd00:30::/64 --ipv6-mode slaac',
        'proxicloud networks list',
        'proxicloud networks attach web-1 web --ip 10.20.0.50',
        'proxicloud networks set-nic router-1 web --no-source-dest-check',
        'proxicloud networks delete web --yes',
      ),
    );

  nets
    .command('list')
    .alias('ls')
    .description('List your networks')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/networks', { params: { query: { limit: 1000 } } }),
      )) as Page<Network>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        netColumns,
        page.items,
        'No networks. Create one with `proxicloud networks create <name> --cidr 10.20.0.0/24`.',
      );
    });

  nets
    .command('get <network>')
    .description('Show a network and the instances on it')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const n = await resolveNetwork(ctx, ref);
      const full = await unwrap(ctx.api().GET('/api/v1/networks/{id}', { params: { path: { id: n.id } } }));
      if (ctx.out.json) return ctx.out.printJson(full);
      printNetwork(ctx, full as Network);
    });

  nets
    .command('create <name>')
    .description('Create a network (asynchronous: SDN is applied on every node)')
    .requiredOption('--cidr <cidr>', 'IPv4 block, /8 … /29, e.g. 10.20.0.0/24 (may not overlap your others)')
    .option('--gateway <ip>', 'default: the first usable address')
    .option('--dhcp-range <start-end>', 'e.g. 10.20.0.100-10.20.0.200 (default: from the 10th address)')
    .option('--no-dhcp', 'no DHCP on this network')
    .option('--snat', 'outbound NAT through the node')
    .option('--ipv6 <cidr>', 'optional IPv6 prefix /48 … /120, e.g. fd00:20::/64 (gateway: prefix::1)')
    .option(
      '--ipv6-mode <mode>',
      'static (cloud-init writes the address) or slaac (ip6=auto, /64 only); both use the EUI-64 address of the MAC',
    )
    .option('--wait', 'wait until the network is available')
    .action(
      async (
        name: string,
        opts: {
          cidr: string;
          gateway?: string;
          dhcpRange?: string;
          dhcp: boolean;
          snat?: boolean;
          ipv6?: string;
          ipv6Mode?: string;
          wait?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (opts.ipv6Mode && opts.ipv6Mode !== 'static' && opts.ipv6Mode !== 'slaac')
          throw new UsageError('--ipv6-mode is static or slaac');
        let dhcp: boolean | { start: string; end: string } = opts.dhcp;
        if (opts.dhcpRange) {
          const [start, end] = opts.dhcpRange.split('-');
          if (!start || !end) throw new UsageError('--dhcp-range must look like 10.20.0.100-10.20.0.200');
          dhcp = { start, end };
        }
        const n = (await unwrap(
          ctx.api().POST('/api/v1/networks', {
            body: {
              name,
              cidr: opts.cidr,
              ...(opts.gateway ? { gateway: opts.gateway } : {}),
              dhcp,
              ...(opts.snat ? { snat: true } : {}),
              ...(opts.ipv6 ? { ipv6Cidr: opts.ipv6 } : {}),
              ...(opts.ipv6Mode ? { ipv6Mode: opts.ipv6Mode as 'static' | 'slaac' } : {}),
            },
          }),
        )) as Network;
        if (opts.wait && n.activeOperationId) await followOperation(ctx, n.activeOperationId);
        const fresh = opts.wait ? await resolveNetwork(ctx, n.id) : n;
        if (ctx.out.json) return ctx.out.printJson(fresh);
        ctx.out.success(`Network ${fresh.name} (${fresh.id}) ${fresh.cidr}: ${fresh.status}`);
      },
    );

  nets
    .command('update <network>')
    .description('Rename, retag, or change SNAT / the DHCP range')
    .option('--name <name>', 'new name')
    .option('--snat', 'turn outbound NAT on')
    .option('--no-snat', 'turn outbound NAT off')
    .action(async (ref: string, opts: { name?: string; snat?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const n = await resolveNetwork(ctx, ref);
      const body = {
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.snat !== undefined ? { snat: opts.snat } : {}),
      };
      const out = await unwrap(
        ctx.api().PUT('/api/v1/networks/{id}', { params: { path: { id: n.id } }, body }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(`Updated network ${(out as Network).name}.`);
    });

  nets
    .command('delete <network>')
    .alias('rm')
    .description('Delete a network that has no NICs left')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const n = await resolveNetwork(ctx, ref);
      await confirmOrExit(`Delete network ${n.name} (${n.cidr})?`, opts.yes);
      const op = await unwrap(ctx.api().DELETE('/api/v1/networks/{id}', { params: { path: { id: n.id } } }));
      const done = await followOperation(ctx, (op as { id: string }).id);
      if (ctx.out.json) return ctx.out.printJson(done);
      ctx.out.success(`Deleted network ${n.name}.`);
    });

  nets
    .command('attach <instance> <network>')
    .description('Add a NIC on the network to an instance (hot-plugged when it runs)')
    .option('--ip <address>', 'fixed address (default: the next free one)')
    .option('--ip6 <address>', 'fixed IPv6 address (static IPv6 networks; default: EUI-64 of the MAC)')
    .action(async (iref: string, nref: string, opts: { ip?: string; ip6?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const [i, n] = await Promise.all([resolveInstance(ctx, iref), resolveNetwork(ctx, nref)]);
      const out = await unwrap(
        ctx.api().POST('/api/v1/instances/{id}/nics', {
          params: { path: { id: i.id } },
          body: {
            networkId: n.id,
            ...(opts.ip ? { ip: opts.ip } : {}),
            ...(opts.ip6 ? { ip6: opts.ip6 } : {}),
          },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      const nic = out.nics.find((x) => x.networkId === n.id);
      ctx.out.success(
        `${i.name} is on ${n.name}: ${nic?.ip}${nic?.ip6 ? `, ${nic.ip6}` : ''} (${nic?.mac}).`,
      );
    });

  nets
    .command('set-nic <instance> <network>')
    .description(
      "Change an instance's NIC on the network: its source/destination check (PVE ipfilter). Turn it off on a router or NAT instance that route tables target, or it drops the packets it forwards",
    )
    .option('--source-dest-check', 'check the source address of what the NIC sends (the default)')
    .option('--no-source-dest-check', 'let the NIC send from any address (a router forwarding other hosts)')
    .addHelpText('after', examples('proxicloud networks set-nic router-1 private --no-source-dest-check'))
    .action(async (iref: string, nref: string, opts: { sourceDestCheck?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.sourceDestCheck === undefined)
        throw new UsageError('Say what to change: --source-dest-check or --no-source-dest-check');
      const [i, n] = await Promise.all([resolveInstance(ctx, iref), resolveNetwork(ctx, nref)]);
      const out = await unwrap(
        ctx.api().PATCH('/api/v1/instances/{id}/nics/{networkId}', {
          params: { path: { id: i.id, networkId: n.id } },
          body: { sourceDestCheck: opts.sourceDestCheck },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(
        `${i.name} on ${n.name}: source/destination check ${opts.sourceDestCheck ? 'on' : 'off'}.`,
      );
    });

  nets
    .command('detach <instance> <network>')
    .description("Remove an instance's NIC on the network")
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (iref: string, nref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const [i, n] = await Promise.all([resolveInstance(ctx, iref), resolveNetwork(ctx, nref)]);
      await confirmOrExit(`Remove ${i.name}'s NIC on ${n.name}?`, opts.yes);
      const out = await unwrap(
        ctx.api().DELETE('/api/v1/instances/{id}/nics/{networkId}', {
          params: { path: { id: i.id, networkId: n.id } },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(`Detached ${i.name} from ${n.name}.`);
    });

  const sg = program
    .command('security-groups')
    .alias('sg')
    .description('Security groups: inbound/outbound rules on the Proxmox firewall (inbound default: drop)')
    .addHelpText(
      'after',
      examples(
        'proxicloud security-groups create web --description "public web"',
        'proxicloud security-groups add-rule web --protocol tcp --port 443 --cidr 0.0.0.0/0',
        'proxicloud security-groups add-rule db --protocol tcp --port 5432 --source-group web',
        'proxicloud security-groups remove-rule web sgr-0123456789abcdef0',
        'proxicloud security-groups set web-1 web ssh',
      ),
    );

  sg.command('list')
    .alias('ls')
    .description('List your security groups')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/security-groups', { params: { query: { limit: 1000 } } }),
      )) as Page<SecurityGroup>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        sgColumns,
        page.items,
        'No security groups. Create one with `proxicloud security-groups create <name>`.',
      );
    });

  sg.command('get <group>')
    .description('Show a security group and its rules')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await resolveGroup(ctx, ref);
      const full = (await unwrap(
        ctx.api().GET('/api/v1/security-groups/{id}', { params: { path: { id: g.id } } }),
      )) as SecurityGroup;
      if (ctx.out.json) return ctx.out.printJson(full);
      ctx.out.details([
        ['ID', full.id],
        ['Name', full.name],
        ['Description', full.description || '-'],
        ['PVE group', full.pveGroup],
        ['Instances', (full.instanceIds ?? []).join(', ') || '-'],
      ]);
      ctx.out.table(
        [
          { header: 'RULE', value: (r: Rule) => r.id },
          { header: 'RULE TEXT', value: (r: Rule) => ruleText(r) },
          { header: 'DESCRIPTION', value: (r: Rule) => r.description ?? '' },
        ],
        full.rules,
        'No rules: nothing gets in (outbound is open).',
      );
    });

  sg.command('create <name>')
    .description('Create a security group (add rules with add-rule)')
    .option('--description <text>', 'what it is for')
    .action(async (name: string, opts: { description?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await unwrap(
        ctx.api().POST('/api/v1/security-groups', {
          body: { name, ...(opts.description ? { description: opts.description } : {}) },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(g);
      ctx.out.success(`Security group ${g.name} (${g.id}) created.`);
    });

  sg.command('add-rule <group>')
    .description('Add a rule; it applies to every attached instance at once')
    .addOption(
      new Option('--direction <d>', 'inbound or outbound')
        .choices(['inbound', 'outbound'])
        .default('inbound'),
    )
    .addOption(
      new Option('--protocol <p>', 'tcp, udp, icmp or all')
        .choices(['tcp', 'udp', 'icmp', 'all'])
        .makeOptionMandatory(),
    )
    .option('--port <port>', 'port or range (tcp/udp): 22, 8000-8100')
    .option('--cidr <cidr>', 'peer block (0.0.0.0/0 = anywhere)')
    .option('--source-group <group>', 'peer = members of this security group')
    .option('--description <text>', 'note')
    .action(
      async (
        ref: string,
        opts: {
          direction: 'inbound' | 'outbound';
          protocol: RuleInput['protocol'];
          port?: string;
          cidr?: string;
          sourceGroup?: string;
          description?: string;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (!opts.cidr && !opts.sourceGroup) throw new UsageError('give --cidr or --source-group');
        const g = await resolveGroup(ctx, ref);
        const peer = opts.sourceGroup
          ? { sourceSecurityGroupId: (await resolveGroup(ctx, opts.sourceGroup)).id }
          : { cidr: opts.cidr! };
        const rule: RuleInput = {
          direction: opts.direction,
          protocol: opts.protocol,
          ...parsePorts(opts.port),
          ...peer,
          ...(opts.description ? { description: opts.description } : {}),
        };
        const rules = [...g.rules.map(({ id: _id, ...r }) => r), rule];
        const out = await unwrap(
          ctx.api().PUT('/api/v1/security-groups/{id}', { params: { path: { id: g.id } }, body: { rules } }),
        );
        if (ctx.out.json) return ctx.out.printJson(out);
        ctx.out.success(`Added to ${g.name}: ${ruleText(rule)}`);
      },
    );

  sg.command('remove-rule <group> <rule>')
    .description('Remove a rule by its id (sgr-…) or its position (1 = first)')
    .action(async (ref: string, ruleRef: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await resolveGroup(ctx, ref);
      const idx = /^\d+$/.test(ruleRef) ? Number(ruleRef) - 1 : g.rules.findIndex((r) => r.id === ruleRef);
      const gone = g.rules[idx];
      if (!gone) throw notFound('rule', ruleRef);
      const rules = g.rules.filter((_, i) => i !== idx).map(({ id: _id, ...r }) => r);
      const out = await unwrap(
        ctx.api().PUT('/api/v1/security-groups/{id}', { params: { path: { id: g.id } }, body: { rules } }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(`Removed from ${g.name}: ${ruleText(gone)}`);
    });

  sg.command('set <instance> [groups...]')
    .description("Replace an instance's security groups (none: only same-network traffic gets in)")
    .action(async (iref: string, groups: string[], _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const i = await resolveInstance(ctx, iref);
      const securityGroupIds = await Promise.all(groups.map(async (g) => (await resolveGroup(ctx, g)).id));
      const out = await unwrap(
        ctx.api().PUT('/api/v1/instances/{id}/security-groups', {
          params: { path: { id: i.id } },
          body: { securityGroupIds },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(`${i.name}: ${groups.join(', ') || 'no security groups'}`);
    });

  sg.command('delete <group>')
    .alias('rm')
    .description('Delete a security group no instance uses')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await resolveGroup(ctx, ref);
      await confirmOrExit(`Delete security group ${g.name} (${g.rules.length} rules)?`, opts.yes);
      await unwrap(ctx.api().DELETE('/api/v1/security-groups/{id}', { params: { path: { id: g.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: g.id, deleted: true });
      ctx.out.success(`Deleted security group ${g.name}.`);
    });
}
