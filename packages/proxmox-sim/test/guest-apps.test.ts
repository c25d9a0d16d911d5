/**
 * App setup scripts in simulated containers: the output of `pct exec … /bin/bash <script> <phase>`
 * arrives line by line while the script runs (held after its first line here), the run is recorded
 * when it ends.
 */
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

let sim: Simulator;
let conn: ssh2.Client;
const SCRIPT = `#!/bin/bash
set -euo pipefail
install_app() {
  pc_log "step one"
  pc_apt foo
  pc_log "step three"
}
install_app
`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, seed: 5 });
  const api = client(sim);
  await api.waitTask(
    'pve1',
    (
      await api.call<string>('POST', '/nodes/pve1/lxc', {
        vmid: 300,
        hostname: 'app',
        ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
        rootfs: 'local-zfs:4',
        net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
        unprivileged: 1,
      })
    ).body.data,
  );
  await api.waitTask('pve1', (await api.call<string>('POST', '/nodes/pve1/lxc/300/status/start')).body.data);
  conn = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    conn
      .on('ready', () => resolve())
      .on('error', reject)
      .connect({
        host: sim.ssh!.host,
        port: sim.ssh!.port,
        username: sim.ssh!.username,
        password: sim.ssh!.password,
        hostVerifier: () => true,
      });
  });
});
afterAll(async () => {
  conn?.end();
  await sim.close();
});

interface Run {
  out: string[];
  closed: Promise<{ code: number; out: string }>;
}

function start(cmd: string, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (e, stream) => {
      if (e) return reject(e);
      const out: string[] = [];
      stream.on('data', (d: Buffer) => out.push(d.toString()));
      stream.stderr.on('data', () => {});
      const closed = new Promise<{ code: number; out: string }>((r) =>
        stream.on('close', (code: number) => r({ code, out: out.join('') })),
      );
      stream.end(stdin);
      resolve({ out, closed });
    });
  });
}

describe('setup scripts in containers', () => {
  it('streams the output while the script runs and records the run when it ends', async () => {
    expect((await (await start('pct exec 300 -- mkdir -p -m 0700 /root/.proxicloud/app')).closed).code).toBe(
      0,
    );
    const push = await start(
      'pct push 300 /dev/stdin /root/.proxicloud/app/setup.sh --perms 0700 --user 0 --group 0',
      SCRIPT,
    );
    expect((await push.closed).code).toBe(0);
    sim.guestApp(300, { hold: { phase: 'install' }, lineDelayMs: 1 });
    let ended = false;
    const run = await start('pct exec 300 -- /bin/bash /root/.proxicloud/app/setup.sh install');
    void run.closed.then(() => {
      ended = true;
    });
    await expect.poll(() => run.out.join(''), { timeout: 30_000 }).toContain('[sim] pc_log "step one"');
    // held: the command has not ended and nothing is recorded yet
    expect(ended).toBe(false);
    expect(run.out.join('')).not.toContain('step three');
    expect(sim.inspect().guests.find((g) => g.vmid === 300)?.guestExecs ?? []).toEqual([]);
    sim.guestApp(300, { hold: null });
    const done = await run.closed;
    expect(done.code).toBe(0);
    expect(done.out.split('\n').filter(Boolean)).toEqual([
      '[sim] pc_log "step one"',
      '[sim] pc_apt foo',
      '[sim] pc_log "step three"',
    ]);
    expect(
      sim
        .inspect()
        .guests.find((g) => g.vmid === 300)
        ?.guestExecs?.map((e) => e.code),
    ).toEqual([0]);
  });

  it('a failing phase prints its first line, then the error, and exits with the code asked', async () => {
    sim.guestApp(300, { fail: { phase: 'install', code: 100, stderr: 'E: broken' } });
    const run = await start('pct exec 300 -- /bin/bash /root/.proxicloud/app/setup.sh install');
    const done = await run.closed;
    expect(done.code).toBe(100);
    expect(done.out).toBe('[sim] pc_log "step one"\n');
    sim.guestApp(300, { fail: null });
  });
});

describe('container features', () => {
  it('nesting may be set with an API token; other flags only by root@pam', async () => {
    const api = client(sim);
    const base = {
      ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
      rootfs: 'local-zfs:4',
      unprivileged: 1,
    };
    const ok = await api.call<string>('POST', '/nodes/pve1/lxc', {
      ...base,
      vmid: 301,
      features: 'nesting=1',
    });
    expect(ok.status).toBe(200);
    await api.waitTask('pve1', ok.body.data);
    const cfg = await api.call<Record<string, string>>('GET', '/nodes/pve1/lxc/301/config');
    expect(cfg.body.data.features).toBe('nesting=1');
    const refused = await api.call('POST', '/nodes/pve1/lxc', {
      ...base,
      vmid: 302,
      features: 'nesting=1,keyctl=1',
    });
    expect(refused.status).toBe(403);
    const off = await api.call<string>('POST', '/nodes/pve1/lxc', {
      ...base,
      vmid: 303,
      features: 'nesting=1,keyctl=off',
    });
    expect(off.status).toBe(200);
    await api.waitTask('pve1', off.body.data);
    expect(refused.reason).toContain('only allowed for root@pam');
    expect(sim.inspect().guests.some((g) => g.vmid === 302)).toBe(false);
  });
});

describe('container feature changes', () => {
  it('changing flags other than nesting in the config is refused for a token too', async () => {
    const api = client(sim);
    const r = await api.call('PUT', '/nodes/pve1/lxc/301/config', { features: 'nesting=1,fuse=1' });
    expect(r.status).toBe(403);
    expect((await api.call('PUT', '/nodes/pve1/lxc/301/config', { features: 'nesting=0' })).status).toBe(200);
  });
});
