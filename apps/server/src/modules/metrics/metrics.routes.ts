import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { InstanceIdParams } from '../instances/index.ts';
import { InstanceMetricsSchema, MetricPointSchema, MetricsQuery } from './metrics.schemas.ts';
import type { MetricsService } from './metrics.service.ts';

export async function metricsRoutes(app: FastifyInstance, metrics: MetricsService): Promise<void> {
  app.addSchema(MetricPointSchema);
  app.addSchema(InstanceMetricsSchema);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/instances/:id/metrics',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'getInstanceMetrics',
        summary: "An instance's CPU, memory, network and disk I/O over time (from Proxmox's RRD)",
        params: InstanceIdParams,
        querystring: MetricsQuery,
        response: { 200: Type.Ref(InstanceMetricsSchema), ...errorResponses(404, 502, 503) },
      },
    },
    async (request) =>
      metrics.instance(
        authContext(request).actor,
        request.params.id,
        request.query.timeframe,
        request.query.cf,
      ),
  );
}
