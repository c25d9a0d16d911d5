/**
 * A function runner in a simulated container: after the runner script's install phase the
 * simulator runs the REAL runner from the pushed files and env, reachable at the container's
 * address through guestEndpoint; stopping the container stops it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvFile, runnerFiles } from '../src/guest-runners.ts';
import { type Simulator, startSimulator } from '../src/index.ts';
import { client } from './http.ts';

const SRC = join(import.meta.dirname, '..', '..', 'function-runner', 'src');
const SECRET = 'a-runner-secret-of-enough-length';
const file = (path: string) =>
  `  pc_runner_file '${path}' <<'PROXICLOUD_RUNNER_EOF'\n${readFileSync(join(SRC, path)).toString('base64')}\nPROXICLOUD_RUNNER_EOF`;
/** Every file the runner needs, as the server's bundle picks them (no tests, no type declarations). */
function runtimeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/\.test\.|\.d\.mts$|\.d\.ts$/.test(e.name))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
const SCRIPT = [
  '#!/bin/bash',
  '# proxicloud-function-runner',
  'install_app() {',
  '  pc_apt nodejs bubblewrap python3',
  ...runtimeFiles(SRC).map(file),
  '}',
  'install_app',
  '',
].join('\n');
const ENV = `PROXICLOUD_RUNNER_SECRET='${SECRET}'\nPROXICLOUD_RUNNER_VERSION='9.9.9+test'\nPROXICLOUD_RUNNER_PORT=8790\n`;

let sim: Simulator;
let conn: ssh2.Client;
const api = () => client(sim);

function exec(cmd: string, stdin = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    conn.exec(cmd, (e, stream) => {
      if (e) return reject(e);
      stream.on('data', () => {});
      stream.stderr.on('data', () => {});
      stream.on('close', (code: number) => resolve(code));
      stream.end(stdin);
    });
  });
}

function status(port: number, secret: string): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/status', headers: { authorization: `Bearer ${secret}` } },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0, seed: 7 });
  const c = api();
  await c.waitTask(
    'pve1',
    (
      await c.call<string>('POST', '/nodes/pve1/lxc', {
        vmid: 310,
        hostname: 'runner',
        ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
        rootfs: 'local-zfs:4',
        net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
        unprivileged: 1,
        features: 'nesting=1',
      })
    ).body.data,
  );
  await c.waitTask('pve1', (await c.call<string>('POST', '/nodes/pve1/lxc/310/status/start')).body.data);
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

describe('function runners in containers', () => {
  it('parses the script blocks and the env file', () => {
    const files = runnerFiles(SCRIPT);
    expect([...files.keys()]).toContain('bootstrap/node.cjs');
    expect(files.get('runner.mjs')?.equals(readFileSync(join(SRC, 'runner.mjs')))).toBe(true);
    expect(parseEnvFile(`A='x'\\''y'\n# c\nB=2\n`)).toEqual({ A: "x'y", B: '2' });
  });

  it('runs the pushed runner after install, at the container address; stops it with the container', async () => {
    const ip = sim.inspect().guests.find((g) => g.vmid === 310)!.ip!;
    expect(await sim.guestEndpoint(ip, 8790)).toBeNull();
    expect(await exec('pct exec 310 -- mkdir -p -m 0700 /root/.proxicloud/app')).toBe(0);
    expect(await exec('pct push 310 /dev/stdin /root/.proxicloud/app/app.env --perms 0600', ENV)).toBe(0);
    expect(await exec('pct push 310 /dev/stdin /root/.proxicloud/app/setup.sh --perms 0700', SCRIPT)).toBe(0);
    expect(await exec('pct exec 310 -- /bin/bash /root/.proxicloud/app/setup.sh install')).toBe(0);
    const ep = await sim.guestEndpoint(ip, 8790);
    expect(ep).not.toBeNull();
    expect(await sim.guestEndpoint(ip, 8791)).toBeNull();
    const ok = await status(ep!.port, SECRET);
    expect(ok.code).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ version: '9.9.9+test' });
    expect((await status(ep!.port, 'wrong-secret-of-enough-length')).code).toBe(401);
    const pid = sim.guestRunnerPid(310)!;
    expect(pid).toBeGreaterThan(0);
    const c = api();
    await c.waitTask('pve1', (await c.call<string>('POST', '/nodes/pve1/lxc/310/status/stop')).body.data);
    expect(await sim.guestEndpoint(ip, 8790)).toBeNull();
    await expect.poll(() => sim.guestRunnerPid(310)).toBeNull();
    await expect
      .poll(() => {
        try {
          process.kill(pid, 0);
          return 'alive';
        } catch {
          return 'gone';
        }
      })
      .toBe('gone');
  }, 30_000);
});
