import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One event per finished HTTP request, for whoever measures them (the metrics module's Prometheus
 * exporter subscribes): API routes from the core plugin's onResponse hook, raw mounts (S3) from
 * RawMounts. Nothing is published while nobody listens.
 */
export interface HttpResponseEvent {
  /** 'api': a Fastify route; otherwise the raw mount prefix ('/s3'), or 's3-port' (the dedicated S3 listener). */
  mount: 'api' | string;
  method: string;
  /** The route template (`/api/v1/instances/:id`), never the concrete URL; 'unmatched' for 404s. */
  route: string;
  status: number;
  seconds: number;
  bytesIn: number;
  bytesOut: number;
}

export const httpResponses = channel('proxicloud:http.response');

export function publishHttpResponse(event: HttpResponseEvent): void {
  if (httpResponses.hasSubscribers) httpResponses.publish(event);
}

const num = (v: unknown): number => {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) && n > 0 ? n : 0;
};
export const headerBytes = num;

/** Publish the response of a raw (non-Fastify) request when it finishes, if anybody listens. */
export function observeRawResponse(mount: string, req: IncomingMessage, res: ServerResponse): void {
  if (!httpResponses.hasSubscribers) return;
  const started = process.hrtime.bigint();
  res.once('finish', () =>
    publishHttpResponse({
      mount,
      method: req.method ?? 'GET',
      route: mount,
      status: res.statusCode,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      bytesIn: num(req.headers['x-amz-decoded-content-length'] ?? req.headers['content-length']),
      bytesOut: num(res.getHeader('content-length')),
    }),
  );
}
