/**
 * `peerings …`: let two networks reach each other within the ranges each side opens. Between your
 * own networks a peering is active at once; another user's network must accept it.
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { waitForOperation as waitFor } from './instances.ts';
import { resolveNetwork } from './networks.ts';

type Peering = components['schemas']['Peering'];
const collect = (v: string, prev: string[] = []) => [...prev, v];

const sideText = (s: Peering['requester']) =>
  `${s.networkName ?? s.networkId} ${s.cidr ?? ''} opens ${s.allowedCidrs ? s.allowedCidrs.join(', ') : '(not accepted yet)'}`;

const columns: Column<Peering>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'NAME', value: (p) => p.name },
  { header: 'REQUESTER', value: (p) => p.requester.networkName ?? p.requester.networkId },
  { header: 'ACCEPTER', value: (p) => p.accepter.networkName ?? p.accepter.networkId },
  { header: 'YOU', value: (p) => p.yourSide },
  { header: 'STATUS', value: (p) => p.status },
];

async function resolvePeering(ctx: Context, ref: string): Promise<Peering> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/peerings', { params: { query: { limit: 1000 } } }),
  )) as Page<Peering>;
  const hit = page.items.find((p) => p.id === ref || p.name === ref);
  if (!hit) throw new CliError(`No peering "${ref}"`, { exitCode: ExitCode.notFound, code: 'not_found' });
  return hit;
}

export function registerPeeringCommands(program: Command): void {
  const pc = program
    .command('peerings')
    .alias('peering')
    .description('Peerings: two networks reach each other within the ranges each side opens')
    .addHelpText(
      'after',
      examples(
        'proxicloud peerings create app-db --network app --peer db --wait',
        'proxicloud peerings create to-bob --network app --peer net-0123456789abcdef0 --allow 10.20.0.0/25',
        'proxicloud peerings accept to-bob --allow 10.30.0.16/28 --wait',
        'proxicloud peerings delete app-db --yes --wait',
      ) +
        '\nA peer network of another user is given by its id; that user accepts (or rejects) the request.\n' +
        'Overlapping CIDRs cannot be peered. Both networks must be in a simple or EVPN SDN zone.\n',
    );

  pc.command('list')
    .alias('ls')
    .description('Peerings you requested or were asked to accept')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/peerings', { params: { query: { limit: 1000 } } }),
      )) as Page<Peering>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        columns,
        page.items,
        'No peerings. Create one with `proxicloud peerings create <name> --network <yours> --peer <other>`.',
      );
    });

  pc.command('get <peering>')
    .description('Show a peering and the ranges each side opened')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await resolvePeering(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(p);
      ctx.out.details([
        ['ID', p.id],
        ['Name', p.name],
        ['Status', p.statusReason ? `${p.status} (${p.statusReason})` : p.status],
        ['Requester', sideText(p.requester)],
        ['Accepter', sideText(p.accepter)],
        ['You are', p.yourSide],
        ['Created', formatTimestamp(p.createdAt)],
      ]);
    });

  pc.command('create <name>')
    .description('Request a peering (active at once between your own networks)')
    .requiredOption('--network <network>', 'your network')
    .requiredOption('--peer <network>', "the other network: yours by name or id, another user's by id")
    .option(
      '--allow <cidr>',
      'a range of your network the other side may reach (repeatable; default all)',
      collect,
    )
    .option(
      '--peer-allow <cidr>',
      "a range of the peer network yours may reach (repeatable; default all; both networks yours — another user's owner chooses on accept)",
      collect,
    )
    .option('--wait', 'wait until it is active (own networks)')
    .action(
      async (
        name: string,
        opts: { network: string; peer: string; allow?: string[]; peerAllow?: string[]; wait?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const mine = await resolveNetwork(ctx, opts.network);
        const peerNetworkId = /^net-/.test(opts.peer) ? opts.peer : (await resolveNetwork(ctx, opts.peer)).id;
        const p = (await unwrap(
          ctx.api().POST('/api/v1/peerings', {
            body: {
              name,
              networkId: mine.id,
              peerNetworkId,
              ...(opts.allow ? { allowedCidrs: opts.allow } : {}),
              ...(opts.peerAllow ? { peerAllowedCidrs: opts.peerAllow } : {}),
            },
          }),
        )) as Peering;
        if (opts.wait) await waitFor(ctx, p.activeOperationId, 'Connecting the networks');
        if (ctx.out.json) return ctx.out.printJson(p);
        ctx.out.success(
          p.status === 'pendingAcceptance'
            ? `Peering ${p.name} (${p.id}) requested: the owner of the peer network accepts it with \`proxicloud peerings accept ${p.id}\`.`
            : `Peering ${p.name} (${p.id}): ${opts.wait ? 'active' : p.status}.`,
        );
      },
    );

  pc.command('accept <peering>')
    .description('Accept a peering request to your network')
    .option(
      '--allow <cidr>',
      'a range of your network the requester may reach (repeatable; default all)',
      collect,
    )
    .option('--wait', 'wait until it is active')
    .action(async (ref: string, opts: { allow?: string[]; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await resolvePeering(ctx, ref);
      const out = (await unwrap(
        ctx.api().POST('/api/v1/peerings/{id}/accept', {
          params: { path: { id: p.id } },
          body: opts.allow ? { allowedCidrs: opts.allow } : {},
        }),
      )) as Peering;
      if (opts.wait) await waitFor(ctx, out.activeOperationId, 'Connecting the networks');
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(`Peering ${p.name}: ${opts.wait ? 'active' : out.status}.`);
    });

  pc.command('reject <peering>')
    .description('Reject a peering request to your network')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await resolvePeering(ctx, ref);
      const out = await unwrap(
        ctx.api().POST('/api/v1/peerings/{id}/reject', { params: { path: { id: p.id } } }),
      );
      if (ctx.out.json) return ctx.out.printJson(out);
      ctx.out.success(`Peering ${p.name} rejected.`);
    });

  pc.command('delete <peering>')
    .alias('rm')
    .description('Delete a peering (either side): its firewall rules and routes go')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wait', 'wait until the rules are gone')
    .action(async (ref: string, opts: { yes?: boolean; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await resolvePeering(ctx, ref);
      await confirmOrExit(
        `Delete peering ${p.name} (${p.status})? The networks stop reaching each other.`,
        opts.yes,
      );
      const op = ((await unwrap(
        ctx.api().DELETE('/api/v1/peerings/{id}', { params: { path: { id: p.id } } }),
      )) ?? null) as { id?: string } | null;
      if (opts.wait && op?.id) await waitFor(ctx, op.id, 'Disconnecting the networks');
      if (ctx.out.json) return ctx.out.printJson(op ?? { id: p.id, deleted: true });
      ctx.out.success(`Peering ${p.name}: ${opts.wait || !op ? 'deleted' : 'deleting'}.`);
    });
}
