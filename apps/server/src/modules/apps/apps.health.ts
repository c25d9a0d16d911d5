/**
 * Health checks of deployed apps: an HTTP GET (expected status) or a TCP connect to the guest's
 * address. In demo mode / tests the simulator tells where a guest's port is reachable
 * (`simulator.guestEndpoint`, a real local listener standing in for the app).
 */

import { request } from 'node:http';
import { connect } from 'node:net';
import type { ProxmoxConnection } from '../../platform/proxmox.ts';
import type { AppTemplate } from './apps.template.ts';

export interface ProbeResult {
  healthy: boolean;
  detail: string;
}

type Endpoint = { host: string; port: number } | null;

async function endpointOf(pve: ProxmoxConnection, ip: string, port: number): Promise<Endpoint> {
  if (pve.simulator) return pve.simulator.guestEndpoint(ip, port);
  return { host: ip, port };
}

function tcp(ep: { host: string; port: number }, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const sock = connect({ host: ep.host, port: ep.port });
    const done = (r: ProbeResult) => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () => done({ healthy: false, detail: 'connect timed out' }));
    sock.once('connect', () => done({ healthy: true, detail: 'port open' }));
    sock.once('error', (e) =>
      done({ healthy: false, detail: (e as NodeJS.ErrnoException).code ?? e.message }),
    );
  });
}

/** One probe of the template's health check against `ip`. */
export async function probe(
  pve: ProxmoxConnection,
  check: AppTemplate['healthCheck'],
  ip: string,
  timeoutMs = 5000,
): Promise<ProbeResult> {
  const ep = await endpointOf(pve, ip, check.port);
  if (!ep) return { healthy: false, detail: `connection refused (${ip}:${check.port})` };
  if (check.type === 'tcp') return tcp(ep, timeoutMs);
  const expected = check.expectedStatus ?? 200;
  return new Promise((resolve) => {
    const req = request(
      {
        host: ep.host,
        port: ep.port,
        path: check.path ?? '/',
        method: 'GET',
        timeout: timeoutMs,
        headers: { host: `${ip}:${check.port}`, 'user-agent': 'proxicloud-health-check' },
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(
          code === expected
            ? { healthy: true, detail: `HTTP ${code}` }
            : { healthy: false, detail: `HTTP ${code} (expected ${expected})` },
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) =>
      resolve({ healthy: false, detail: (e as NodeJS.ErrnoException).code ?? e.message }),
    );
    req.end();
  });
}
