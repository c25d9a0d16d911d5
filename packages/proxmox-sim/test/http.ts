/** A tiny HTTPS client for the simulator tests (node:https, pinned to the simulator's certificate). */
import { request } from 'node:https';
import type { Simulator } from '../src/index.ts';

export interface Reply<T = unknown> {
  status: number;
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  body: { data: T; message?: string; errors?: Record<string, string> };
  raw: string;
}

export interface CallOptions {
  /** form (default) or json body */
  json?: boolean;
  headers?: Record<string, string>;
  /** no auth header */
  anonymous?: boolean;
  timeoutMs?: number;
}

export function client(sim: Simulator) {
  const auth = `PVEAPIToken=${sim.token}`;
  function raw(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
    timeoutMs = 10000,
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, sim.url);
      const req = request(
        url,
        {
          method,
          ca: sim.certPem,
          // the certificate is issued to localhost/127.0.0.1
          headers: {
            ...headers,
            ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Reply['body'];
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = { data: null };
            }
            resolve({
              status: res.statusCode ?? 0,
              reason: res.statusMessage ?? '',
              headers: res.headers,
              body: parsed,
              raw: text,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  async function call<T = unknown>(
    method: string,
    path: string,
    params?: Record<string, string | number | boolean | string[]>,
    o: CallOptions = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {
      ...(o.anonymous ? {} : { authorization: auth }),
      ...(o.headers ?? {}),
    };
    let body: string | undefined;
    let p = `/api2/json${path}`;
    if (params && (method === 'GET' || method === 'DELETE')) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params))
        for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
      p += `?${q}`;
    } else if (params) {
      if (o.json) {
        body = JSON.stringify(params);
        headers['content-type'] = 'application/json';
      } else {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(params))
          for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
        body = q.toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
    }
    return (await raw(method, p, body, headers, o.timeoutMs)) as Reply<T>;
  }
  /** Waits for a task to stop and returns its final status. */
  async function waitTask(node: string, upid: string, timeoutMs = 10000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = await call<{ status: string; exitstatus?: string }>(
        'GET',
        `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`,
      );
      if (r.status !== 200) throw new Error(`task status ${r.status}: ${r.raw}`);
      if (r.body.data.status === 'stopped') return r.body.data;
      if (Date.now() > end) throw new Error(`task ${upid} did not finish`);
      await new Promise((res) => setTimeout(res, 5));
    }
  }
  return { call, raw, waitTask };
}
