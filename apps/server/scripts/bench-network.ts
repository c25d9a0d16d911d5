/**
 * Network benchmark (`npm run bench:network`): the PVE simulator with 3 nodes (zero task latency)
 * and the server in one process.
 *  1. One security-group rule change applied to 100 attached instances (spread over 3 nodes): time
 *     and PVE calls, against a same-run baseline of the same change with 1 attached instance.
 *  2. A firewall reconcile pass over 500 guests with firewall state: the first pass (every guest
 *     drifted: repairs) and a steady-state pass; baselines: the same pass one read at a time (also with
 *     10 ms of simulated latency per Proxmox call) and the steady pass over 100 guests.
 * Prints a table and a JSON line.
 */
import { ADMIN_PASSWORD, startBenchStack } from './bench-kit.ts';
import { seedInstances } from './seed-instances.ts';

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const { sim, db, app, close } = await startBenchStack({
    prefix: 'pc-bench-net-',
    sim: { nodes: 3, ssh: false },
  });
  const out: Record<string, unknown> = { nodes: 3 };
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const token = login.json<{ accessToken: string; user: { id: string } }>();
    const headers = { authorization: `Bearer ${token.accessToken}` };
    const call = async <T>(method: string, url: string, payload?: unknown): Promise<T> => {
      const r = await app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
      if (r.statusCode >= 400) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json<T>();
    };
    const nets = app.modules.networks;
    const net = await call<{ id: string }>('POST', '/api/v1/networks', {
      name: 'bench',
      cidr: '10.90.0.0/16',
    });
    await app.services.engine.idle();
    const rules = (port: number) => ({
      rules: [
        { direction: 'inbound', protocol: 'tcp', fromPort: port, cidr: '10.0.0.0/8' },
        { direction: 'inbound', protocol: 'icmp', cidr: '0.0.0.0/0' },
      ],
    });
    const seeded = await seedInstances(db, sim, { ownerId: token.user.id, count: 500, runningRatio: 1 });
    const attach = async (sgId: string, ids: string[]) => {
      for (const id of ids) {
        await call('POST', `/api/v1/instances/${id}/nics`, { networkId: net.id });
        await call('PUT', `/api/v1/instances/${id}/security-groups`, { securityGroupIds: [sgId] });
      }
    };
    const change = async (sgId: string, port: number) => {
      const calls0 = nets.pve().calls;
      const t0 = performance.now();
      await call('PUT', `/api/v1/security-groups/${sgId}`, rules(port));
      return { ms: performance.now() - t0, pveCalls: nets.pve().calls - calls0 };
    };
    // baseline: 1 attached instance
    const one = await call<{ id: string }>('POST', '/api/v1/security-groups', { name: 'one', ...rules(22) });
    await attach(one.id, [seeded[0]!.id!]);
    await change(one.id, 2222); // warm-up
    const base = await change(one.id, 22);
    // 100 attached instances on 3 nodes
    const hundred = await call<{ id: string }>('POST', '/api/v1/security-groups', {
      name: 'hundred',
      ...rules(22),
    });
    const t0 = performance.now();
    await attach(
      hundred.id,
      seeded.slice(1, 101).map((s) => s.id!),
    );
    const attachMs = performance.now() - t0;
    const big = await change(hundred.id, 2222);
    const nodes = new Set(seeded.slice(1, 101).map((s) => s.node)).size;
    out.sgChange = { baseline1: base, attached100: big, attach100Ms: attachMs, nodesSpanned: nodes };

    // reconcile: 500 guests with firewall state (the rest attached straight in the database)
    const rest = seeded.slice(101).map((s) => s.id!);
    await db.kysely
      .insertInto('instance_security_groups')
      .values(rest.map((instance_id) => ({ instance_id, group_id: hundred.id, position: 0 })))
      .execute();
    const pass = async (concurrency?: number) => {
      const c0 = nets.pve().calls;
      const t = performance.now();
      const r = await nets.reconciler.pass(concurrency ? { concurrency } : {});
      return {
        ms: performance.now() - t,
        pveCalls: nets.pve().calls - c0,
        checked: r.checked,
        drift: r.drift.length,
      };
    };
    const first = await pass();
    const steady = await pass();
    // same-run baseline: the steady pass one check at a time (what the reconciler did before)
    const sequential = await pass(1);
    // with 10 ms per Proxmox call (a real host over the LAN: pveproxy + network) concurrency is what
    // counts; the in-process simulator above is CPU-bound on the same two cores as the server
    sim.faults.latency(10);
    const steadyLatency = await pass();
    const sequentialLatency = await pass(1);
    sim.faults.latency(0);
    // baseline: steady pass with 100 guests (detach the others in the database)
    await db.kysely.deleteFrom('instance_security_groups').where('instance_id', 'in', rest).execute();
    await nets.reconciler.pass();
    const steady100 = await pass();
    out.reconcile = {
      first500: first,
      steady500: steady,
      steady500Sequential: sequential,
      steady500Latency10ms: steadyLatency,
      steady500Latency10msSequential: sequentialLatency,
      steady100,
    };

    console.log('\nbench:network (3 simulated nodes, zero task latency)');
    console.log(`  SG change, 1 attached instance (baseline)   ${ms(base.ms)}   ${base.pveCalls} PVE calls`);
    console.log(
      `  SG change, 100 attached on ${nodes} nodes          ${ms(big.ms)}   ${big.pveCalls} PVE calls`,
    );
    console.log(`  (attaching the 100: ${ms(attachMs)})`);
    console.log(
      `  reconcile 500 guests, first (repairs)       ${ms(first.ms)}   ${first.pveCalls} PVE calls, ${first.drift} drifted`,
    );
    console.log(
      `  reconcile 500 guests, steady                ${ms(steady.ms)}   ${steady.pveCalls} PVE calls, ${steady.drift} drifted`,
    );
    console.log(
      `  reconcile 500 guests, steady, sequential   ${ms(sequential.ms)}   ${sequential.pveCalls} PVE calls (concurrency 1)`,
    );
    console.log(`  reconcile 500 guests, steady, 10 ms/call    ${ms(steadyLatency.ms)}   concurrency 16`);
    console.log(
      `  reconcile 500 guests, steady, 10 ms/call    ${ms(sequentialLatency.ms)}   concurrency 1 (baseline)`,
    );
    console.log(
      `  reconcile 100 guests, steady (baseline)     ${ms(steady100.ms)}   ${steady100.pveCalls} PVE calls`,
    );
    console.log(JSON.stringify(out));
  } finally {
    await close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
