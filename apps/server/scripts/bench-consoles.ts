/**
 * Console benchmark (`npm run bench:consoles`):
 *   npx tsx apps/server/scripts/bench-consoles.ts [--sessions 50] [--roundtrips 40] [--frames 2]
 *
 * One process on 127.0.0.1: the PVE simulator (HTTPS), the server (real HTTP, fresh data dir), and
 * the clients. N concurrent console sessions:
 *  1. terminal: open (POST /console + websocket upgrade + PVE login) then `echo <token>` round trips
 *     — open time and round-trip p50/p95, round trips per second;
 *  2. VNC: open, then full 800×600 framebuffer updates (1.8 MiB each) — MiB/s through the proxy;
 * each once through ProxiCloud's proxy and once directly to the simulator's vncwebsocket (the
 * baseline: same protocol, same login, no proxy), with the ratio. Heap and RSS are sampled during
 * the proxied runs (bounded memory: backpressure pauses the sender at 1 MiB queued per direction).
 * Prints a table and a JSON line. Stops by itself.
 */
import type WebSocket from 'ws';
import { ByteReader, rfbLoginUpstream, termLoginUpstream } from '../src/modules/consoles/consoles.wire.ts';
import { computeOf } from '../src/testing/compute-of.ts';
import { type OpenedSocket, openConsole, rfbFrame, rfbHandshake } from '../src/testing/console-kit.ts';
import { adminHeaders, numberOpt as opt, percentile, startBenchStack } from './bench-kit.ts';

const SESSIONS = opt('sessions', 50);
const ROUNDTRIPS = opt('roundtrips', 40);
const FRAMES = opt('frames', 2);
const FULL = { x: 0, y: 0, w: 800, h: 600 };

const mib = (n: number) => n / 1024 ** 2;

/** Peak heap/RSS while `work` runs (sampled every 50 ms). */
async function sampled<T>(
  work: () => Promise<T>,
  queued: () => number,
): Promise<{ result: T; heapPeak: number; rssPeak: number; queuedPeak: number }> {
  let heapPeak = 0;
  let rssPeak = 0;
  let queuedPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
    queuedPeak = Math.max(queuedPeak, queued());
  };
  sample();
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, heapPeak, rssPeak, queuedPeak };
  } finally {
    clearInterval(timer);
  }
}

/** Wraps a raw websocket (direct to the simulator) like openConsole's sockets. */
function wrap(ws: WebSocket, first: Buffer): OpenedSocket {
  let buf = first;
  let all = first.toString('utf8');
  const waiters = new Set<() => void>();
  ws.on('message', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    all = (all + d.toString('utf8')).slice(-65536);
    for (const w of waiters) w();
  });
  const wait = () => new Promise<void>((r) => waiters.add(() => (waiters.clear(), r())));
  return {
    ws,
    closed: new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() }))),
    text: () => all,
    async read(n) {
      while (buf.length < n) await wait();
      const out = buf.subarray(0, n);
      buf = buf.subarray(n);
      return out;
    },
    async until(s) {
      while (!all.includes(s)) await wait();
    },
  };
}

async function echoRoundTrips(s: OpenedSocket, id: number, n: number, out: number[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const token = `t${id}x${i}z`;
    const t0 = performance.now();
    const line = `echo ${token}\r`;
    s.ws.send(`0:${Buffer.byteLength(line)}:${line}`);
    await s.until(`${token}\r\n`);
    out.push(performance.now() - t0);
  }
}

async function main(): Promise<void> {
  const { proxmox, app, base, close } = await startBenchStack({
    prefix: 'pc-bench-consoles-',
    listen: true,
  });
  computeOf(app).settings.ipWaitMs = 500;
  const results: Record<string, unknown> = { sessions: SESSIONS, roundtrips: ROUNDTRIPS, frames: FRAMES };
  try {
    const headers = await adminHeaders(base);
    const launch = async (body: Record<string, unknown>) => {
      const res = (await (
        await fetch(`${base}/api/v1/instances`, { method: 'POST', headers, body: JSON.stringify(body) })
      ).json()) as { instance: { id: string } };
      for (;;) {
        const i = (await (
          await fetch(`${base}/api/v1/instances/${res.instance.id}`, { headers })
        ).json()) as {
          id: string;
          status: string;
          node: string;
          vmid: number;
        };
        if (i.status === 'running') return i;
        if (i.status === 'error') throw new Error('launch failed');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const ct = await launch({
      name: 'bench-ct',
      type: 'lxc',
      template: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      instanceType: 't.nano',
    });
    const vm = await launch({
      name: 'bench-vm',
      type: 'vm',
      template: 'local:import/debian-12-genericcloud-amd64.qcow2',
      instanceType: 't.nano',
    });

    const proxied = async (id: string, type: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/instances/${id}/console`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type }),
      });
      const { url } = (await res.json()) as { url: string };
      const s = await openConsole(url.replace(/^ws:\/\/[^/]+/, base.replace('http', 'ws')));
      if (!('ws' in s)) throw new Error(`refused ${s.status}`);
      if (type === 'vnc') await rfbHandshake(s);
      else await s.until('# ');
      return { s, openMs: performance.now() - t0 };
    };
    const direct = async (inst: { node: string; vmid: number }, kind: 'qemu' | 'lxc', type: string) => {
      const t0 = performance.now();
      const guest = proxmox.client.node(inst.node).guest(kind, inst.vmid);
      const tk = type === 'vnc' ? await guest.vncproxy({ websocket: true }) : await guest.termproxy();
      const ws = await proxmox.client.vncWebSocket(inst.node, kind, inst.vmid, {
        port: tk.port,
        vncticket: tk.ticket,
      });
      ws.binaryType = 'nodebuffer';
      const reader = new ByteReader(ws);
      ws.resume();
      let rest: Buffer;
      if (type === 'vnc') {
        await rfbLoginUpstream(reader, (b) => ws.send(b), tk.ticket);
        rest = reader.release();
      } else rest = await termLoginUpstream(reader, (x) => ws.send(x), tk.user, tk.ticket);
      const s = wrap(ws, rest);
      if (type === 'vnc') {
        ws.send(Buffer.from([1]));
        const init = await s.read(24);
        await s.read(init.readUInt32BE(20));
      } else await s.until('# ');
      return { s, openMs: performance.now() - t0 };
    };

    type Opened = { s: OpenedSocket; openMs: number };
    const terminalRun = async (open: () => Promise<Opened>) => {
      const t0 = performance.now();
      const sessions = await Promise.all(Array.from({ length: SESSIONS }, open));
      const openAll = performance.now() - t0;
      const rtts: number[] = [];
      const t1 = performance.now();
      await Promise.all(sessions.map((o, i) => echoRoundTrips(o.s, i, ROUNDTRIPS, rtts)));
      const secs = (performance.now() - t1) / 1000;
      for (const o of sessions) o.s.ws.close();
      await Promise.all(sessions.map((o) => o.s.closed));
      rtts.sort((a, b) => a - b);
      const opens = sessions.map((o) => o.openMs).sort((a, b) => a - b);
      return {
        openAllMs: Math.round(openAll),
        openP50Ms: Number(percentile(opens, 50).toFixed(1)),
        openP95Ms: Number(percentile(opens, 95).toFixed(1)),
        rttP50Ms: Number(percentile(rtts, 50).toFixed(2)),
        rttP95Ms: Number(percentile(rtts, 95).toFixed(2)),
        roundTripsPerSecond: Math.round(rtts.length / secs),
      };
    };
    const vncRun = async (open: () => Promise<Opened>) => {
      const sessions = await Promise.all(Array.from({ length: SESSIONS }, open));
      const t1 = performance.now();
      let bytes = 0;
      await Promise.all(
        sessions.map(async (o) => {
          for (let f = 0; f < FRAMES; f++) {
            const frame = await rfbFrame(o.s, FULL);
            bytes += frame.length + 16;
          }
        }),
      );
      const secs = (performance.now() - t1) / 1000;
      for (const o of sessions) o.s.ws.close();
      await Promise.all(sessions.map((o) => o.s.closed));
      return { mib: Number(mib(bytes).toFixed(1)), mibPerSecond: Number((mib(bytes) / secs).toFixed(1)) };
    };

    const live = app.modules.consoles.proxy.live;
    const queued = () => [...live.values()].reduce((n, s) => n + s.queued(), 0);
    global.gc?.();
    const heapBase = process.memoryUsage().heapUsed;
    const rssBase = process.memoryUsage().rss;
    const termDirect = await terminalRun(() => direct(ct, 'lxc', 'terminal'));
    const termProxied = await sampled(() => terminalRun(() => proxied(ct.id, 'terminal')), queued);
    const vncDirect = await vncRun(() => direct(vm, 'qemu', 'vnc'));
    const vncProxied = await sampled(() => vncRun(() => proxied(vm.id, 'vnc')), queued);
    const consoles = app.modules.consoles.proxy.live.size;
    results.terminal = { direct: termDirect, proxied: termProxied.result };
    results.vnc = { direct: vncDirect, proxied: vncProxied.result };
    results.ratios = {
      terminalRttP50: Number((termProxied.result.rttP50Ms / termDirect.rttP50Ms).toFixed(2)),
      terminalThroughput: Number(
        (termProxied.result.roundTripsPerSecond / termDirect.roundTripsPerSecond).toFixed(2),
      ),
      terminalOpenP50: Number((termProxied.result.openP50Ms / termDirect.openP50Ms).toFixed(2)),
      vncThroughput: Number((vncProxied.result.mibPerSecond / vncDirect.mibPerSecond).toFixed(2)),
    };
    results.memory = {
      heapBaseMiB: Number(mib(heapBase).toFixed(1)),
      heapPeakTerminalMiB: Number(mib(termProxied.heapPeak).toFixed(1)),
      heapPeakVncMiB: Number(mib(vncProxied.heapPeak).toFixed(1)),
      rssBaseMiB: Number(mib(rssBase).toFixed(1)),
      rssPeakMiB: Number(mib(Math.max(termProxied.rssPeak, vncProxied.rssPeak)).toFixed(1)),
      proxyQueuedPeakMiB: Number(mib(Math.max(termProxied.queuedPeak, vncProxied.queuedPeak)).toFixed(2)),
      openSessionsAfter: consoles,
    };

    const t = results.terminal as { direct: typeof termDirect; proxied: typeof termDirect };
    const v = results.vnc as { direct: typeof vncDirect; proxied: typeof vncDirect };
    const rows: [string, string, string][] = [
      ['', 'direct to PVE sim', 'through ProxiCloud'],
      [
        'terminal: open p50 / p95',
        `${t.direct.openP50Ms} / ${t.direct.openP95Ms} ms`,
        `${t.proxied.openP50Ms} / ${t.proxied.openP95Ms} ms`,
      ],
      [
        'terminal: echo RTT p50 / p95',
        `${t.direct.rttP50Ms} / ${t.direct.rttP95Ms} ms`,
        `${t.proxied.rttP50Ms} / ${t.proxied.rttP95Ms} ms`,
      ],
      ['terminal: round trips/s', `${t.direct.roundTripsPerSecond}`, `${t.proxied.roundTripsPerSecond}`],
      ['vnc: framebuffer MiB/s', `${v.direct.mibPerSecond}`, `${v.proxied.mibPerSecond}`],
    ];
    console.log(
      `\n${SESSIONS} concurrent console sessions (terminal: ${ROUNDTRIPS} echo round trips each; VNC: ${FRAMES} full 800×600 frames each)`,
    );
    for (const r of rows) console.log(`${r[0].padEnd(30)}${r[1].padEnd(22)}${r[2]}`);
    console.log('ratios (proxied / direct):', JSON.stringify(results.ratios));
    console.log('memory:', JSON.stringify(results.memory));
    console.log(JSON.stringify(results));
  } finally {
    await close();
  }
}

await main();
