/**
 * `nat-gateways …`: outbound NAT for a network. Kind `sdnSnat`: the network's subnet gets PVE's
 * SNAT (the node masquerades it), applied by an operation. Kind `natVm`: a small managed Debian
 * container with a static public address (nftables masquerade); routes point at its private address.
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { waitForOperation as waitFor } from './instances.ts';
import { resolveNetwork } from './networks.ts';

type NatGateway = components['schemas']['NatGateway'];

const columns: Column<NatGateway>[] = [
  { header: 'ID', value: (g) => g.id },
  { header: 'NAME', value: (g) => g.name },
  { header: 'KIND', value: (g) => g.kind },
  { header: 'NETWORK', value: (g) => `${g.networkName ?? g.networkId} ${g.sourceCidr ?? ''}`.trim() },
  { header: 'PUBLIC', value: (g) => g.publicAddress ?? '-' },
  { header: 'STATUS', value: (g) => (g.health === 'unhealthy' ? `${g.status} (unhealthy)` : g.status) },
];

const KINDS = ['sdnSnat', 'natVm'] as const;

export async function resolveNatGateway(ctx: Context, ref: string): Promise<NatGateway> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/nat-gateways', { params: { query: { limit: 1000 } } }),
  )) as Page<NatGateway>;
  const hit = page.items.find((g) => g.id === ref || g.name === ref);
  if (!hit) throw new CliError(`No NAT gateway "${ref}"`, { exitCode: ExitCode.notFound, code: 'not_found' });
  return hit;
}

export function registerNatGatewayCommands(program: Command): void {
  const nat = program
    .command('nat-gateways')
    .alias('nat-gateway')
    .description(
      "Outbound NAT for a network (sdnSnat: the subnet's SNAT on Proxmox; natVm: a managed container with a static public address)",
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud nat-gateways create egress --network app --wait',
        'proxicloud nat-gateways create edge --network app --kind natVm --public-address 203.0.113.10 --wait',
        'proxicloud route-tables add-route private 0.0.0.0/0 --via-nat-gateway egress',
        'proxicloud nat-gateways list',
        'proxicloud nat-gateways delete egress --yes --wait',
      ) +
        '\nsdnSnat needs a simple or EVPN SDN zone (a VXLAN zone has no routed exit: 409 no_public_side).\n' +
        'natVm works in any zone: a Debian container with eth0 on the network (the next hop of routes)\n' +
        'and eth1 on the public bridge with a static address kept across re-creation; the server needs\n' +
        'PROXICLOUD_NAT_PUBLIC_CIDR (and the SSH host agent). A lost container is re-created automatically.\n' +
        'A gateway that routes still target cannot be deleted; the error names the routes.\n',
    );

  nat
    .command('list')
    .alias('ls')
    .description('List your NAT gateways')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/nat-gateways', { params: { query: { limit: 1000 } } }),
      )) as Page<NatGateway>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        columns,
        page.items,
        'No NAT gateways. Create one with `proxicloud nat-gateways create <name> --network <network>`.',
      );
    });

  nat
    .command('get <gateway>')
    .description('Show a NAT gateway')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await resolveNatGateway(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(g);
      ctx.out.details([
        ['ID', g.id],
        ['Name', g.name],
        [
          'Kind',
          g.kind === 'sdnSnat' ? "sdnSnat (the subnet's SNAT on Proxmox)" : 'natVm (managed NAT container)',
        ],
        ['Network', `${g.networkName ?? g.networkId} (${g.sourceCidr ?? '-'})`],
        ['Status', g.statusReason ? `${g.status} (${g.statusReason})` : g.status],
        ...(g.kind === 'natVm'
          ? ([
              ['Private address', `${g.privateAddress ?? '-'} (next hop of routes)`],
              ['Public address', g.publicAddress ?? '-'],
              [
                'Health',
                g.healthCheckedAt
                  ? `${g.health} (checked ${formatTimestamp(g.healthCheckedAt)})`
                  : `${g.health}`,
              ],
              ['Container', g.vmid ? `${g.vmid} on ${g.node}` : '-'],
            ] as [string, string][])
          : []),
        ['Created', formatTimestamp(g.createdAt)],
      ]);
    });

  nat
    .command('create <name>')
    .description('Create a NAT gateway for a network (asynchronous: SDN is applied, or the container built)')
    .requiredOption('--network <network>', 'the network whose traffic it translates')
    .option('--kind <kind>', `${KINDS.join(' or ')} (default sdnSnat)`)
    .option('--public-address <ip>', 'natVm: a free address of the public range to keep (default: allocated)')
    .option('--private-address <ip>', 'natVm: its address on the network, outside DHCP (default: first free)')
    .option('--wait', 'wait until it is available')
    .action(
      async (
        name: string,
        opts: {
          network: string;
          kind?: string;
          publicAddress?: string;
          privateAddress?: string;
          wait?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (opts.kind !== undefined && !(KINDS as readonly string[]).includes(opts.kind))
          throw new UsageError(`--kind must be ${KINDS.join(' or ')}`);
        const kind = opts.kind as (typeof KINDS)[number] | undefined;
        if (kind !== 'natVm' && (opts.publicAddress || opts.privateAddress))
          throw new UsageError('--public-address and --private-address need --kind natVm');
        const n = await resolveNetwork(ctx, opts.network);
        const g = (await unwrap(
          ctx.api().POST('/api/v1/nat-gateways', {
            body: {
              name,
              networkId: n.id,
              ...(kind ? { kind } : {}),
              ...(opts.publicAddress ? { publicAddress: opts.publicAddress } : {}),
              ...(opts.privateAddress ? { privateAddress: opts.privateAddress } : {}),
            },
          }),
        )) as NatGateway;
        if (opts.wait) await waitFor(ctx, g.activeOperationId, 'Creating the NAT gateway');
        if (ctx.out.json) return ctx.out.printJson(g);
        const where = g.kind === 'natVm' ? ` (private ${g.privateAddress}, public ${g.publicAddress})` : '';
        ctx.out.success(
          `NAT gateway ${g.name} (${g.id}) for ${n.name}${where}: ${opts.wait ? 'available' : 'creating'}.`,
        );
      },
    );

  nat
    .command('delete <gateway>')
    .alias('rm')
    .description('Delete a NAT gateway no route targets (its network’s SNAT goes back to what it was)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wait', 'wait until it is gone')
    .action(async (ref: string, opts: { yes?: boolean; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await resolveNatGateway(ctx, ref);
      await confirmOrExit(
        `Delete NAT gateway ${g.name} (network ${g.networkName ?? g.networkId})?`,
        opts.yes,
      );
      const op = await unwrap(
        ctx.api().DELETE('/api/v1/nat-gateways/{id}', { params: { path: { id: g.id } } }),
      );
      if (opts.wait) await waitFor(ctx, op.id, 'Deleting the NAT gateway');
      if (ctx.out.json) return ctx.out.printJson(op);
      ctx.out.success(`NAT gateway ${g.name}: ${opts.wait ? 'deleted' : 'deleting'}.`);
    });
}
