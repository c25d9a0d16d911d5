/**
 * `GET /metrics` for Prometheus. Who may scrape: a bearer token equal to PROXICLOUD_METRICS_TOKEN,
 * an admin's access token, or a client address in PROXICLOUD_METRICS_ALLOW. Anyone else: 401.
 */
import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '../../deps.ts';
import { safeEqual } from '../../platform/crypto.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { PrometheusExporter } from './metrics.exporter.ts';

function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

export async function exporterRoute(
  app: FastifyInstance,
  exporter: PrometheusExporter,
  deps: Pick<ModuleDeps, 'config' | 'authenticator'>,
): Promise<void> {
  const allowed = allowList(deps.config.metricsAllow);
  const token = deps.config.metricsToken;
  const isAllowed = (ip: string): boolean => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
    const addr = mapped ? mapped[1]! : ip;
    const family = isIP(addr);
    return family !== 0 && allowed.check(addr, family === 6 ? 'ipv6' : 'ipv4');
  };
  app.get(
    '/metrics',
    {
      config: { public: true, audit: false },
      schema: { hide: true },
    },
    async (request, reply) => {
      const auth = request.headers.authorization ?? '';
      const bearer = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
      let ok = isAllowed(request.ip);
      if (!ok && bearer && token && safeEqual(bearer, token)) ok = true;
      if (!ok && bearer && bearer.split('.').length === 3) {
        const actor = await deps.authenticator.fromAccessToken(bearer, 'jwt').catch(() => null);
        ok = actor?.role === 'admin';
      }
      if (!ok) {
        reply.header('www-authenticate', 'Bearer realm="proxicloud-metrics"');
        throw new UnauthorizedError(
          'Scraping /metrics needs the scrape token (PROXICLOUD_METRICS_TOKEN), an admin token or an allowed address',
        );
      }
      const body = await exporter.metrics();
      return reply
        .header('content-type', exporter.contentType)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
