/**
 * Crash safety of applies: the real server runs as a child process against a simulator owned by
 * the test, and is killed with SIGKILL in the middle of an apply (after some instances were
 * created, while another launches). After a restart on the same data dir and database:
 * - the interrupted apply's operation is recorded as failed (`interrupted`) and the lock released;
 * - the stack's state is true to what exists (every recorded id is a real, live instance);
 * - applying again converges: exactly one instance per name in the file, no duplicates on
 *   Proxmox either; destroy then leaves nothing.
 */
import { type Simulator, startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChildServer,
  childApi,
  childLogin,
  spawnServer,
  until as waitUntil,
} from '../../testing/child-server.ts';
import { LXC_TEMPLATE } from '../../testing/compute-kit.ts';
import { ADMIN_PASSWORD, createTestDatabase } from '../../testing/test-kit.ts';

const NAMES = ['crash-a', 'crash-b', 'crash-c', 'crash-d'];
const FILE = `stack: crash
instances:
${NAMES.map((n) => `  - name: ${n}\n    type: lxc\n    template: ${LXC_TEMPLATE}\n    vcpu: 1\n    memory: 256\n`).join('')}`;

interface Stack {
  status: string;
  locked: boolean;
  operationId: string | null;
  resources: { address: string; id: string }[];
  history: { action: string; status: string; error: string | null; operationId: string | null }[];
}
interface Op {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
  steps: { name: string; status: string }[];
}
interface Inst {
  id: string;
  name: string;
  status: string;
  vmid: number | null;
}

let server: ChildServer | null = null;
let sim: Simulator | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await server?.kill();
  await sim?.close();
  for (const c of cleanups) await c();
});

const api = childApi;
const login = (url: string) => childLogin(url, ADMIN_PASSWORD);
const until = <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 120_000) =>
  waitUntil(what, fn, ms, 50);

async function finished(url: string, token: string, id: string): Promise<Op> {
  return until(`operation ${id}`, async () => {
    const op = (await api<Op>(url, token, 'GET', `/operations/${id}`)).body;
    return op.status === 'succeeded' || op.status === 'failed' ? op : null;
  });
}

const live = (items: Inst[]) =>
  items.filter((i) => NAMES.includes(i.name) && !['terminated', 'deleted'].includes(i.status));

describe('stacks: crash safety', () => {
  it('kill -9 during an apply: state stays true, the run is recorded interrupted, a re-apply converges without duplicates', async () => {
    const tdb = await createTestDatabase();
    cleanups.push(() => tdb.drop());
    // slow Proxmox tasks, so the apply is still creating instances when the server dies
    sim = await startSimulator({ port: 0, taskDurationMs: 400 });
    const env: Record<string, string> = {
      PROXICLOUD_DATA_DIR: tdb.dataDir,
      PROXICLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PROXMOX_URL: sim.url,
      PROXMOX_TOKEN: sim.token,
      PROXMOX_FINGERPRINT: sim.fingerprint,
      PROXICLOUD_STACKS_POLL_MS: '50',
      ...(tdb.database.kind === 'postgres' ? { DATABASE_URL: tdb.database.url! } : {}),
    };
    server = await spawnServer(env);
    let url = server.url;
    let token = await login(url);

    const started = await api<{ operation: { id: string } }>(url, token, 'POST', '/stacks/crash/apply', {
      document: FILE,
    });
    expect(started.status, started.text).toBe(202);
    const opId = started.body.operation.id;
    // wait until two instances are recorded (the second one is still launching), then kill -9
    await until('two recorded instances', async () => {
      const s = (await api<Stack>(url, token, 'GET', '/stacks/crash')).body;
      return s.resources.length >= 2;
    });
    await server.kill();

    server = await spawnServer(env);
    url = server.url;
    token = await login(url);
    // the interrupted run is finished by the restarted server: failed, unlocked, state kept
    const interrupted = await finished(url, token, opId);
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error?.code).toBe('interrupted');
    const after = await until('the lock to be released', async () => {
      const s = (await api<Stack>(url, token, 'GET', '/stacks/crash')).body;
      return s.locked ? null : s;
    });
    expect(after.status).toBe('failed');
    expect(after.operationId).toBeNull();
    expect(after.history[0]).toMatchObject({ action: 'apply', status: 'failed', operationId: opId });
    expect(after.history[0]?.error).toContain('interrupted');
    expect(after.resources.length).toBeGreaterThanOrEqual(2);
    expect(after.resources.length).toBeLessThan(NAMES.length);
    // every recorded id is a real instance
    const listed = (await api<{ items: Inst[] }>(url, token, 'GET', '/instances?limit=1000')).body.items;
    for (const r of after.resources) expect(listed.map((i) => i.id)).toContain(r.id);

    // apply again: it continues and converges
    const again = await api<{ result: string; operation: { id: string } | null }>(
      url,
      token,
      'POST',
      '/stacks/crash/apply',
      { document: FILE },
    );
    expect(again.status, again.text).toBe(202);
    const op = await finished(url, token, again.body.operation!.id);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const instances = live(
      (await api<{ items: Inst[] }>(url, token, 'GET', '/instances?limit=1000')).body.items,
    );
    expect(instances.map((i) => i.name).sort()).toEqual(NAMES);
    expect(instances.every((i) => i.status === 'running')).toBe(true);
    const stack = (await api<Stack>(url, token, 'GET', '/stacks/crash')).body;
    expect(stack.status).toBe('applied');
    expect(stack.resources.map((r) => r.id).sort()).toEqual(instances.map((i) => i.id).sort());
    // Proxmox holds exactly one guest per instance (no orphan from the interrupted launch)
    const vmids = new Set(instances.map((i) => i.vmid));
    const guests = await until('Proxmox to settle', async () => {
      const g = sim!.inspect().guests;
      return g.length === NAMES.length ? g : null;
    });
    expect(guests.every((g) => vmids.has(g.vmid))).toBe(true);
    const noop = await api<{ result: string }>(url, token, 'POST', '/stacks/crash/apply', { document: FILE });
    expect(noop.body.result).toBe('no-changes');

    const destroy = await api<{ operation: { id: string } }>(url, token, 'POST', '/stacks/crash/destroy', {});
    expect(destroy.status, destroy.text).toBe(202);
    expect((await finished(url, token, destroy.body.operation.id)).status).toBe('succeeded');
    expect(
      live((await api<{ items: Inst[] }>(url, token, 'GET', '/instances?limit=1000')).body.items),
    ).toEqual([]);
  }, 300_000);
});
