import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../server.ts';
import { CaptureStream } from '../testing/test-kit.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { checkProxmox, connectSimulator, DEMO_BANNER, DEMO_NODE } from './proxmox.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempConfig(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-pve-'));
  dirs.push(dataDir);
  const config = loadConfig({
    env: {
      PROXICLOUD_DATA_DIR: dataDir,
      PROXICLOUD_ADMIN_PASSWORD: 'admin-password-for-tests',
      PROXICLOUD_HOST: '127.0.0.1',
      PROXICLOUD_PORT: '0',
      PROXICLOUD_WEB_DIR: join(dataDir, 'no-web'),
      ...env,
    },
  });
  return { dataDir, config: { ...config, auth: { ...config.auth, bcryptCost: 4 } } };
}

describe('demo mode', () => {
  it('starts the simulator in-process as pve-demo, says so, reports it and persists its state', async () => {
    const { dataDir, config } = tempConfig();
    expect(config.proxmox).toBeNull();
    const capture = new CaptureStream();
    const server = await startServer(config, { logger: createLogger('info', capture), jobs: false });
    try {
      expect(capture.text()).toContain(DEMO_BANNER);
      const info = (await (await fetch(`${server.url}/api/v1/system/info`)).json()) as {
        mode: string;
        proxmox: { nodes: string[] } | null;
      };
      expect(info).toMatchObject({ mode: 'demo', proxmox: { nodes: [DEMO_NODE] } });
      const conn = server.app.services.proxmox!;
      expect(conn.mode).toBe('demo');
      expect(conn.simulator?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // the client is pinned to the simulator's certificate and the host agent works over its SSH endpoint
      expect((await conn.client.version()).version).toMatch(/^9\./);
      const zfs = await conn.hostAgent!.zfs(DEMO_NODE);
      expect((await zfs.list({ depth: 0 })).map((d) => d.name)).toEqual(
        expect.arrayContaining(['rpool', 'tank']),
      );
    } finally {
      await server.stop();
    }
    expect(existsSync(join(dataDir, 'pve-demo', 'state.json'))).toBe(true);
  });

  it('a real PROXMOX_URL switches demo mode off (config parsed once, by the client helper)', () => {
    const { config } = tempConfig({
      PROXMOX_URL: 'https://pve.example:8006/',
      PROXMOX_TOKEN: 'proxicloud@pve!pc=0b5d1e6e-0000-4000-8000-000000000000',
      PROXMOX_FINGERPRINT: 'AB:'.repeat(31) + 'AB',
      PROXMOX_SSH_HOST: 'pve.example',
      PROXMOX_SSH_PASSWORD: 'ssh-secret-value',
      PROXMOX_SSH_HOST_KEY_FINGERPRINT: `SHA256:${'A'.repeat(43)}`,
    });
    expect(config.proxmox).toMatchObject({
      url: 'https://pve.example:8006',
      ssh: { host: 'pve.example', port: 22, username: 'root' },
      connection: { auth: { tokenId: 'proxicloud@pve!pc' }, tls: { fingerprint: 'AB:'.repeat(31) + 'AB' } },
    });
    expect(() => tempConfig({ PROXMOX_URL: 'https://pve.example:8006', PROXMOX_TOKEN: 'nope' })).toThrow(
      /PROXMOX_TOKEN must look like/,
    );
    expect(() =>
      tempConfig({
        PROXMOX_URL: 'https://pve.example:8006',
        PROXMOX_TOKEN: 'a@pve!b=c',
        PROXMOX_SSH_HOST: 'pve.example',
        PROXMOX_SSH_PASSWORD: 'x',
      }),
    ).toThrow(/PROXMOX_SSH_HOST_KEY_FINGERPRINT is required/);
    expect(() => tempConfig({ PROXMOX_SSH_HOST: 'pve.example' })).toThrow(
      /PROXMOX_URL: required when PROXMOX_SSH_HOST/,
    );
  });
});

describe('checkProxmox (doctor)', () => {
  it('reports version, nodes, storages, bridges and the host agent; an offline node warns, no connection fails', async () => {
    const sim = await startSimulator({ port: 0, nodes: 2, taskDurationMs: 0 });
    const conn = connectSimulator(sim, { ownSimulator: true });
    try {
      const report = await checkProxmox(conn);
      const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
      expect(report.ok).toBe(true);
      expect(byName.version?.status).toBe('ok');
      expect(byName.nodes?.message).toContain('2 online');
      expect(byName['storage:pve1']?.status).toBe('ok');
      expect(byName['bridges:pve2']?.message).toContain('vmbr0');
      expect(byName['host-agent:pve1']?.message).toContain('ZFS pools');
      // local has Snippets and Import content: user-data and cloud images in ISO storage work
      expect(byName['snippets:pve2']).toMatchObject({
        status: 'ok',
        message: expect.stringContaining('local'),
      });
      expect(byName['import:pve1']?.status).toBe('ok');
      // privileges: checked per service when the host implements GET /access/permissions
      const privileges = report.checks.filter((c) => c.name.startsWith('privileges'));
      expect(privileges.length).toBeGreaterThan(0);
      expect(privileges.every((c) => c.status !== 'fail')).toBe(true);
      // consoles need VM.Console (vncproxy/termproxy/vncwebsocket on /vms/{vmid})
      expect(byName['privileges:consoles']).toMatchObject({ status: 'ok' });
      // networks need SDN.Allocate/SDN.Use (zones, VNets, IPAM) and Sys.Modify (apply, cluster firewall)
      expect(byName['privileges:networks']).toMatchObject({ status: 'ok' });

      // a token without VM.Console: doctor names the privilege, the service and the fix
      sim.faults.withholdPrivilege('VM.Console', true);
      const noConsole = await checkProxmox(conn);
      const consoleCheck = noConsole.checks.find((c) => c.name === 'privileges:consoles');
      expect(consoleCheck).toMatchObject({
        status: 'fail',
        message: 'token lacks VM.Console (needed by consoles)',
      });
      expect(consoleCheck?.fix).toContain('-privs "VM.Console"');
      expect(noConsole.ok).toBe(false);
      expect(noConsole.checks.find((c) => c.name === 'privileges:instances')?.status).toBe('ok');
      sim.faults.withholdPrivilege('VM.Console', false);

      sim.faults.nodeOffline('pve2', true);
      const degraded = await checkProxmox(conn);
      expect(degraded.checks.find((c) => c.name === 'nodes')).toMatchObject({ status: 'warn' });
      sim.faults.nodeOffline('pve2', false);
    } finally {
      await conn.close();
    }
    const down = await checkProxmox(conn);
    expect(down.ok).toBe(false);
    expect(down.checks[0]).toMatchObject({ name: 'version', status: 'fail' });
    expect(down.checks[0]?.fix).toContain('PROXMOX_URL');
  });

  it('warns when no storage has Snippets content, and (host agent) when cloud images in ISO storage have no Import content', async () => {
    // a node whose 'local' lacks snippets and import: edit the simulator's persisted state
    const dir = mkdtempSync(join(tmpdir(), 'pc-pve-state-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    await (await startSimulator({ port: 0, stateFile, taskDurationMs: 0 })).close();
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      storages: { storage: string; content: string[] }[];
    };
    const local = state.storages.find((s) => s.storage === 'local')!;
    local.content = local.content.filter((c) => c !== 'snippets' && c !== 'import');
    writeFileSync(stateFile, JSON.stringify(state));

    const sim = await startSimulator({ port: 0, stateFile, taskDurationMs: 0 });
    const conn = connectSimulator(sim, { ownSimulator: true });
    try {
      const report = await checkProxmox(conn);
      const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
      expect(report.ok).toBe(true); // warnings only
      expect(byName['snippets:pve1']).toMatchObject({ status: 'warn' });
      expect(byName['snippets:pve1']?.message).toContain('no_snippets_storage');
      expect(byName['snippets:pve1']?.fix).toContain("Enable the Snippets content type on 'local'");
      expect(byName['import:pve1']).toMatchObject({ status: 'warn' });
      expect(byName['import:pve1']?.message).toContain('local:iso/noble-server-cloudimg-amd64.img');
      expect(byName['import:pve1']?.message).toContain('local lacks the Import content type');
      expect(byName['import:pve1']?.fix).toContain('Enable the Import content type on local');
    } finally {
      await conn.close();
    }

    // without a host agent cloud images in ISO storage cannot be linked anyway: no import check
    const noAgent = await startSimulator({ port: 0, stateFile, taskDurationMs: 0, ssh: false });
    const plain = connectSimulator(noAgent, { ownSimulator: true });
    try {
      const report = await checkProxmox(plain);
      const names = report.checks.map((c) => c.name);
      expect(names).toContain('snippets:pve1');
      expect(names).not.toContain('import:pve1');
      expect(report.checks.find((c) => c.name === 'host-agent')?.message).toContain('user-data snippets');
    } finally {
      await plain.close();
    }
  });
});
