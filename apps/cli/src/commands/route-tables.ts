/**
 * `route-tables …`: named route tables (destination CIDR → router instance), associated with
 * networks; every change reaches the running guests of those networks at once (no restart).
 */
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { followOperation, resolveInstance } from './instances.ts';
import { resolveNatGateway } from './nat-gateways.ts';
import { resolveNetwork } from './networks.ts';

type RouteTable = components['schemas']['RouteTable'];
type Route = components['schemas']['Route'];
type RouteInput = { destinationCidr: string; targetType: 'instance' | 'natGateway'; targetId: string };

const columns: Column<RouteTable>[] = [
  { header: 'ID', value: (t) => t.id },
  { header: 'NAME', value: (t) => (t.isDefault ? `${t.name} (default)` : t.name) },
  { header: 'ROUTES', value: (t) => String(t.routes.length) },
  { header: 'NETWORKS', value: (t) => t.effectiveNetworks.map((n) => n.name).join(', ') || '-' },
  {
    header: 'STATUS',
    value: (t) => (t.activeOperationId ? 'applying' : t.statusReason ? 'attention' : 'ok'),
  },
];

export async function resolveRouteTable(ctx: Context, ref: string): Promise<RouteTable> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/route-tables', { params: { query: { limit: 1000 } } }),
  )) as Page<RouteTable>;
  const hit = page.items.find((t) => t.id === ref || t.name === ref);
  if (!hit) throw new CliError(`No route table "${ref}"`, { exitCode: ExitCode.notFound, code: 'not_found' });
  return hit;
}

const inputs = (t: RouteTable): RouteInput[] =>
  t.routes.map((r) => ({
    destinationCidr: r.destinationCidr,
    targetType: r.targetType === 'natGateway' ? 'natGateway' : 'instance',
    targetId: r.targetId ?? '',
  }));

const routeText = (r: Route) =>
  `${r.destinationCidr} → ${r.targetType === 'local' ? 'local' : (r.targetName ?? r.targetId)}`;

async function settle(ctx: Context, t: RouteTable, wait: boolean | undefined): Promise<void> {
  if (!wait || !t.activeOperationId) return;
  const op = await followOperation(ctx, t.activeOperationId);
  if (op.status !== 'succeeded')
    throw new CliError(`Applying the routes failed: ${op.error?.message ?? op.status}`, {
      code: 'operation_failed',
    });
}

function print(ctx: Context, t: RouteTable): void {
  ctx.out.details([
    ['ID', t.id],
    ['Name', t.isDefault ? `${t.name} (default: networks without a table of their own use it)` : t.name],
    ['Networks', t.effectiveNetworks.map((n) => `${n.name} ${n.cidr}`).join(', ') || '-'],
    [
      'Status',
      t.activeOperationId
        ? `applying (${t.activeOperationId})`
        : (t.statusReason ?? 'every running guest has the routes'),
    ],
    ['Updated', formatTimestamp(t.updatedAt)],
  ]);
  ctx.out.table(
    [
      { header: 'DESTINATION', value: (r: Route) => r.destinationCidr },
      {
        header: 'TARGET',
        value: (r: Route) =>
          r.targetType === 'local' ? `local (${r.targetName})` : `${r.targetName} (${r.targetId})`,
      },
    ],
    [...t.localRoutes, ...t.routes],
    'No routes.',
  );
  for (const w of t.warnings ?? []) ctx.out.warn(w);
}

export function registerRouteTableCommands(program: Command): void {
  const rt = program
    .command('route-tables')
    .alias('route-table')
    .description(
      'Route tables: send traffic for a CIDR through a router instance; running guests updated at once',
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud route-tables list',
        'proxicloud route-tables create private --network app',
        'proxicloud route-tables add-route private 10.30.0.0/16 --via-instance router-1 --wait',
        'proxicloud route-tables add-route private 0.0.0.0/0 --via-nat-gateway egress',
        'proxicloud route-tables remove-route private 10.30.0.0/16',
        'proxicloud route-tables associate private db',
        'proxicloud route-tables delete private --yes',
      ) +
        '\nEvery owner has a default table ("main"): networks without a table of their own use it.\n' +
        'The router instance needs a NIC on every network of the table (proxicloud networks attach).\n',
    );

  rt.command('list')
    .alias('ls')
    .description('List your route tables')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/route-tables', { params: { query: { limit: 1000 } } }),
      )) as Page<RouteTable>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        columns,
        page.items,
        'No route tables. Create one with `proxicloud route-tables create <name>`.',
      );
    });

  rt.command('get <table>')
    .description('Show a route table: its routes (incl. the implicit local ones) and networks')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const t = await resolveRouteTable(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(t);
      print(ctx, t);
    });

  rt.command('create <name>')
    .description('Create a route table, optionally associated with networks (they leave their current table)')
    .option('--network <network>', 'associate a network (repeatable)', (v: string, p: string[] = []) => [
      ...p,
      v,
    ])
    .option('--wait', 'wait until the running guests have the routes')
    .action(async (name: string, opts: { network?: string[]; wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const networkIds = await Promise.all(
        (opts.network ?? []).map(async (n) => (await resolveNetwork(ctx, n)).id),
      );
      const t = (await unwrap(
        ctx
          .api()
          .POST('/api/v1/route-tables', { body: { name, ...(networkIds.length ? { networkIds } : {}) } }),
      )) as RouteTable;
      await settle(ctx, t, opts.wait);
      if (ctx.out.json) return ctx.out.printJson(t);
      ctx.out.success(`Route table ${t.name} (${t.id}) created.`);
    });

  const change = async (
    ctx: Context,
    t: RouteTable,
    body: { routes?: RouteInput[]; networkIds?: string[]; name?: string },
    wait: boolean | undefined,
    message: string,
  ) => {
    const out = (await unwrap(
      ctx.api().PUT('/api/v1/route-tables/{id}', { params: { path: { id: t.id } }, body }),
    )) as RouteTable;
    await settle(ctx, out, wait);
    if (ctx.out.json) return ctx.out.printJson(out);
    ctx.out.success(message);
  };

  rt.command('add-route <table> <destination>')
    .description(
      'Send traffic for <destination> (a CIDR, 0.0.0.0/0 = everything) through a router instance or a NAT gateway',
    )
    .option('--via-instance <instance>', 'the router: an instance with a NIC on each network of the table')
    .option('--via-nat-gateway <gateway>', "a NAT gateway of the table's network (nat-gateways list)")
    .option('--wait', 'wait until the running guests have the route')
    .action(
      async (
        ref: string,
        destination: string,
        opts: { viaInstance?: string; viaNatGateway?: string; wait?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (!opts.viaInstance === !opts.viaNatGateway)
          throw new UsageError('give exactly one of --via-instance and --via-nat-gateway');
        const t = await resolveRouteTable(ctx, ref);
        const target = opts.viaInstance
          ? { targetType: 'instance' as const, ...(await resolveInstance(ctx, opts.viaInstance)) }
          : { targetType: 'natGateway' as const, ...(await resolveNatGateway(ctx, opts.viaNatGateway!)) };
        const routes = [
          ...inputs(t).filter((r) => r.destinationCidr !== destination),
          { destinationCidr: destination, targetType: target.targetType, targetId: target.id },
        ];
        await change(ctx, t, { routes }, opts.wait, `${t.name}: ${destination} → ${target.name}`);
      },
    );

  rt.command('remove-route <table> <destination>')
    .description('Remove the route for <destination>; running guests drop it at once')
    .option('--wait', 'wait until the running guests dropped it')
    .action(async (ref: string, destination: string, opts: { wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const t = await resolveRouteTable(ctx, ref);
      const gone = t.routes.find((r) => r.destinationCidr === destination);
      if (!gone)
        throw new CliError(`${t.name} has no route for ${destination}`, {
          exitCode: ExitCode.notFound,
          code: 'not_found',
        });
      const routes = inputs(t).filter((r) => r.destinationCidr !== destination);
      await change(ctx, t, { routes }, opts.wait, `${t.name}: removed ${routeText(gone)}`);
    });

  rt.command('associate <table> <network>')
    .description('Make <network> use this table (it leaves its current one)')
    .option('--wait', 'wait until its running guests have the routes')
    .action(async (ref: string, nref: string, opts: { wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const t = await resolveRouteTable(ctx, ref);
      const n = await resolveNetwork(ctx, nref);
      const networkIds = [...new Set([...t.networkIds, n.id])];
      await change(ctx, t, { networkIds }, opts.wait, `${n.name} now uses route table ${t.name}`);
    });

  rt.command('disassociate <table> <network>')
    .description('Put <network> back on your default table')
    .option('--wait', 'wait until its running guests have the default routes')
    .action(async (ref: string, nref: string, opts: { wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const t = await resolveRouteTable(ctx, ref);
      const n = await resolveNetwork(ctx, nref);
      const networkIds = t.networkIds.filter((id) => id !== n.id);
      await change(ctx, t, { networkIds }, opts.wait, `${n.name} is back on the default route table`);
    });

  rt.command('delete <table>')
    .alias('rm')
    .description('Delete a route table (its networks go back to the default table); not the default one')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const t = await resolveRouteTable(ctx, ref);
      await confirmOrExit(
        `Delete route table ${t.name} (${t.routes.length} routes; ${t.effectiveNetworks.length} networks go back to the default table)?`,
        opts.yes,
      );
      await unwrap(ctx.api().DELETE('/api/v1/route-tables/{id}', { params: { path: { id: t.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: t.id, deleted: true });
      ctx.out.success(`Deleted route table ${t.name}.`);
    });
}
