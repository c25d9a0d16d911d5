/** TLS trust (pinning, CA) and authentication (token, ticket with CSRF and renewal) over real HTTPS. */
import { startSimulator } from '@proxicloud/proxmox-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  normalizeFingerprint,
  ProxmoxAuthError,
  ProxmoxClient,
  ProxmoxTlsError,
  type RequestInfo,
} from '../src/index.ts';
import type { Sim } from './helpers.ts';
import { validatingClient } from './helpers.ts';

let sim: Sim;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 1, taskDurationMs: 0 });
});
afterAll(() => sim?.close());

const WRONG = 'AA:'.repeat(31) + 'AA';

describe('TLS', () => {
  it('a pinned fingerprint that matches connects', async () => {
    const { client } = validatingClient(sim);
    await expect(client.version()).resolves.toHaveProperty('version');
    await client.close();
  });

  it('accepts the fingerprint in lower case without colons', async () => {
    const fp = sim.fingerprint.replaceAll(':', '').toLowerCase();
    const { client } = validatingClient(sim, { tls: { fingerprint: fp } });
    await expect(client.version()).resolves.toHaveProperty('version');
    await client.close();
  });

  it('a wrong pin fails with ProxmoxTlsError naming expected and actual, and sends nothing', async () => {
    const { client, requests } = validatingClient(sim, { tls: { fingerprint: WRONG } });
    const err = (await client.version().catch((e: unknown) => e)) as ProxmoxTlsError;
    expect(err).toBeInstanceOf(ProxmoxTlsError);
    expect(err.expectedFingerprint).toBe(WRONG);
    expect(err.actualFingerprint).toBe(normalizeFingerprint(sim.fingerprint));
    expect(err.message).toContain(`expected ${WRONG}`);
    expect(err.message).toContain(`got ${normalizeFingerprint(sim.fingerprint)}`);
    expect(requests).toHaveLength(1); // no retry on a TLS failure
    await client.close();
  });

  it('trusting the certificate as CA works; no trust at all is refused (never silently disabled)', async () => {
    const { client } = validatingClient(sim, { tls: { ca: sim.certPem } });
    await expect(client.version()).resolves.toHaveProperty('version');
    await client.close();
    const { client: untrusted } = validatingClient(sim, { tls: undefined });
    const err = await untrusted.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxmoxTlsError);
    expect(String(err)).toMatch(/self.signed|verification/i);
    await untrusted.close();
  });

  it('refuses malformed fingerprints and plain http', () => {
    expect(
      () =>
        new ProxmoxClient({
          baseUrl: sim.url,
          auth: { tokenId: 'a@pam!b', secret: 'c' },
          tls: { fingerprint: 'abc' },
        }),
    ).toThrow(/SHA-256/);
    expect(
      () =>
        new ProxmoxClient({
          baseUrl: sim.url.replace('https', 'http'),
          auth: { tokenId: 'a@pam!b', secret: 'c' },
        }),
    ).toThrow(/https/);
  });
});

describe('API token auth', () => {
  it('a wrong secret gives ProxmoxAuthError without the secret in the message', async () => {
    const { client } = validatingClient(sim, {
      auth: { tokenId: sim.tokenId, secret: 'not-the-secret-4711' },
    });
    const err = (await client.version().catch((e: unknown) => e)) as ProxmoxAuthError;
    expect(err).toBeInstanceOf(ProxmoxAuthError);
    expect(err.status).toBe(401);
    expect(JSON.stringify({ m: err.message, s: err.stack })).not.toContain('not-the-secret-4711');
    expect(err.message).not.toContain(sim.tokenSecret);
    await client.close();
  });
});

describe('ticket auth', () => {
  const user = () => sim.tokenId.split('!')[0]!;

  it('logs in, sends the cookie on reads and the CSRF token on writes', async () => {
    const { client, requests } = validatingClient(sim, {
      auth: { username: user(), password: sim.password },
    });
    await expect(client.version()).resolves.toHaveProperty('version');
    const node = (await client.nodes.list())[0]!.node;
    const vmid = await client.cluster.nextId();
    await client.tasks.wait(
      node,
      await client.node(node).qemu.create({ vmid, name: 'ticket-vm', memory: 512 }),
    );
    await client.node(node).vm(vmid).updateConfig({ description: 'written with a ticket' });
    await client.tasks.wait(node, await client.node(node).vm(vmid).delete());
    expect(requests.filter((r) => r.path === '/access/ticket')).toHaveLength(1);
    // the password never reaches hooks
    expect(JSON.stringify(requests)).not.toContain(sim.password);
    await client.close();
  });

  it('logs requests without any credential', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (o: Record<string, unknown>, m?: string) => lines.push(JSON.stringify([o, m])),
      warn: (o: Record<string, unknown>, m?: string) => lines.push(JSON.stringify([o, m])),
    };
    const tk = validatingClient(sim, { auth: { username: user(), password: sim.password }, logger });
    await tk.client.version();
    const tok = validatingClient(sim, { logger });
    await tok.client.nodes.list();
    await tok.client.version({ timeoutMs: 1 }).catch(() => {});
    expect(lines.length).toBeGreaterThan(2);
    const all = lines.join('\n');
    for (const secret of [sim.password, sim.tokenSecret, 'PVE:', 'PVEAuthCookie', 'CSRFPreventionToken']) {
      expect(all).not.toContain(secret);
    }
    await tk.client.close();
    await tok.client.close();
  });

  it('accepts username + realm separately', async () => {
    const [name, realm] = user().split('@') as [string, string];
    const { client } = validatingClient(sim, { auth: { username: name, realm, password: sim.password } });
    await expect(client.nodes.list()).resolves.toHaveLength(1);
    await client.close();
  });

  it('a wrong password gives ProxmoxAuthError without the password in it', async () => {
    const { client } = validatingClient(sim, { auth: { username: user(), password: 'Wrong-Pass-9876' } });
    const err = (await client.version().catch((e: unknown) => e)) as ProxmoxAuthError;
    expect(err).toBeInstanceOf(ProxmoxAuthError);
    expect(err.path).toBe('/access/ticket');
    expect(`${err.message} ${err.stack}`).not.toContain('Wrong-Pass-9876');
    await client.close();
  });

  it('renews the ticket before the 2 h expiry', async () => {
    let now = Date.now();
    const seen: RequestInfo[] = [];
    const { client, requests } = validatingClient(sim, {
      auth: { username: user(), password: sim.password },
      now: () => now,
      hooks: { onRequest: (i) => seen.push(i) },
    });
    await client.version();
    now += 30 * 60_000;
    await client.version();
    expect(requests.filter((r) => r.path === '/access/ticket')).toHaveLength(1);
    now += 45 * 60_000; // 75 min: past the renewal point, before expiry
    await client.version();
    const tickets = requests.filter((r) => r.path === '/access/ticket');
    expect(tickets).toHaveLength(2);
    expect(tickets[1]!.params.password).toBe('<redacted>');
    await client.close();
  });
});
