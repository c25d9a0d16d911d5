/**
 * Integration helpers: start the simulator over real HTTPS and build clients whose every request is
 * validated by the schema referee (@proxicloud/pve-schema). A violation fails the call at once (the
 * hook throws) and is also recorded so `expectNoViolations()` can fail the test.
 */

import type { startSimulator } from '@proxicloud/proxmox-sim';
import { validateRequest } from '@proxicloud/pve-schema';
import { ProxmoxClient, type ProxmoxClientOptions, type RequestInfo } from '../src/index.ts';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type SimOptions = Parameters<typeof startSimulator>[0];

export class SchemaViolation extends Error {
  override name = 'SchemaViolation';
}

export interface ValidatedClient {
  client: ProxmoxClient;
  /** Every request attempt the client sent, in order. */
  requests: RequestInfo[];
  violations: string[];
}

export function validatingClient(sim: Sim, opts: Partial<ProxmoxClientOptions> = {}): ValidatedClient {
  const requests: RequestInfo[] = [];
  const violations: string[] = [];
  const client = new ProxmoxClient({
    baseUrl: sim.url,
    auth: { tokenId: sim.tokenId, secret: sim.tokenSecret },
    tls: { fingerprint: sim.fingerprint },
    timeoutMs: 10_000,
    retryBaseMs: 20,
    retryMaxMs: 100,
    ...opts,
    hooks: {
      onRequest(info) {
        requests.push(info);
        const r = validateRequest({ method: info.method, path: info.path, params: info.params });
        if (!r.ok) {
          const v = `${info.method} ${info.path}: ${r.status} ${r.message} ${JSON.stringify(r.errors)}`;
          violations.push(v);
          throw new SchemaViolation(`request violates the PVE schema: ${v}`);
        }
        opts.hooks?.onRequest?.(info);
      },
      onResponse: opts.hooks?.onResponse,
    },
  });
  return { client, requests, violations };
}

export const count = (requests: RequestInfo[], method: string, pathRe: RegExp): number =>
  requests.filter((r) => r.method === method && pathRe.test(r.path)).length;
