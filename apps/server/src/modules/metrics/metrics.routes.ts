import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { authContext } from '../../platform/http/context.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { InstanceIdParams } from '../instances/index.ts';
import type { NodeMetricsService } from './metrics.nodes.ts';
import {
  InstanceMetricsSchema,
  MetricPointSchema,
  MetricsQuery,
  NodeMetricPointSchema,
  NodeMetricsSchema,
  NodeParams,
  NodeSummarySchema,
} from './metrics.schemas.ts';
import type { MetricsService } from './metrics.service.ts';

export async function metricsRoutes(
  app: FastifyInstance,
  metrics: MetricsService,
  nodes: NodeMetricsService,
): Promise<void> {
  app.addSchema(MetricPointSchema);
  app.addSchema(InstanceMetricsSchema);
  app.addSchema(NodeMetricPointSchema);
  app.addSchema(NodeMetricsSchema);
  app.addSchema(NodeSummarySchema);
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
        request.query.period ?? null,
      ),
  );

  r.get(
    '/nodes',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'listNodes',
        summary: "The cluster's nodes now: status, CPU, memory, uptime, guests and storage pools",
        response: {
          200: Type.Object(
            { items: Type.Array(Type.Ref(NodeSummarySchema)) },
            { additionalProperties: false },
          ),
          ...errorResponses(502, 503),
        },
      },
    },
    async (request) => ({ items: await nodes.list(authContext(request).actor) }),
  );

  r.get(
    '/nodes/:node/metrics',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'getNodeMetrics',
        summary:
          "A node's CPU, load, memory, root disk and network over time (node RRD; 5m adds the collector's samples)",
        params: NodeParams,
        querystring: MetricsQuery,
        response: { 200: Type.Ref(NodeMetricsSchema), ...errorResponses(404, 502, 503) },
      },
    },
    async (request) =>
      nodes.metrics(
        authContext(request).actor,
        request.params.node,
        request.query.timeframe,
        request.query.cf,
        request.query.period ?? null,
      ),
  );
}
