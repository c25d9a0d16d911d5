/**
 * The HTTPS front: latency and connection faults, authentication, body parsing (form and JSON as
 * pve-http-server accepts them), validation of EVERY API request by @proxicloud/pve-schema, node
 * routing (unknown/offline nodes), dispatch, and PVE's `{data: …}` envelopes with
 * `Server: pve-api-daemon/3.0`. Also serves the `/_sim/` test API and console websockets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { type ParamValue, validateRequest } from '@proxicloud/pve-schema';
import type { Auth, AuthResult } from './auth.ts';
import type { SimContext } from './context.ts';
import { PveError } from './errors.ts';
import { notImplemented, resolveHandler } from './router.ts';

export interface HttpDeps {
  sim: SimContext;
  auth: Auth;
  latencyMs: number;
  certPem: string;
  keyPem: string;
  simApi: (method: string, path: string, body: Record<string, unknown>, auth: AuthResult) => unknown;
}

const MAX_BODY = 16 * 1024 * 1024;

function statusText(msg: string): string {
  // Reason phrases must be one line of printable latin1
  const line = (msg.split('\n')[0] ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  return line || 'Error';
}

export function send(res: ServerResponse, status: number, body: unknown, reason = 'OK'): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, statusText(reason), {
    Server: 'pve-api-daemon/3.0',
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'max-age=0',
    Pragma: 'no-cache',
    Expires: new Date().toUTCString(),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown, log: (l: string) => void): void {
  if (e instanceof PveError) {
    const message = e.status === 501 ? e.message : `${e.message}\n`;
    const body: Record<string, unknown> = { data: null, message };
    if (e.errors) body.errors = e.errors;
    send(res, e.status, body, e.message);
    return;
  }
  log(`internal error: ${(e as Error).stack ?? String(e)}`);
  send(res, 500, { data: null, message: `${(e as Error).message}\n` }, (e as Error).message);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new PveError(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function addParam(params: Record<string, ParamValue>, k: string, v: string): void {
  const cur = params[k];
  if (cur === undefined) params[k] = v;
  else if (Array.isArray(cur)) cur.push(v);
  else params[k] = [cur as string, v];
}

/** Query and body parameters as pve-http-server extracts them. */
export function parseParams(req: IncomingMessage, url: URL, body: Buffer): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of url.searchParams) addParam(params, k, v);
  if (body.length === 0) return params;
  const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new PveError(400, 'malformed JSON string');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new PveError(400, 'Parameter verification failed.', { _root: 'an object is required' });
    Object.assign(params, parsed);
    return params;
  }
  if (ct === 'application/x-www-form-urlencoded' || ct === '') {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) addParam(params, k, v);
    return params;
  }
  throw new PveError(415, `Unsupported content type '${ct}'`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createHttpServer(deps: HttpDeps): { server: Server; hung: Set<ServerResponse> } {
  const { sim, auth } = deps;
  const hung = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const body = await readBody(req);
    const delay = deps.latencyMs + sim.faults.latencyMs;
    if (delay > 0) await sleep(delay);

    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      const who = auth.authenticate(req, method);
      let json: Record<string, unknown> = {};
      if (body.length) {
        try {
          json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          throw new PveError(400, 'malformed JSON string');
        }
      }
      try {
        send(res, 200, { data: deps.simApi(method, url.pathname, json, who) ?? null });
      } catch (e) {
        if (e instanceof PveError) throw e;
        throw new PveError(400, (e as Error).message);
      }
      return;
    }

    const m = /^\/api2\/(json|extjs)(\/.*)?$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404, 'Not Found', { Server: 'pve-api-daemon/3.0', 'Content-Type': 'text/plain' });
      res.end('Not Found\n');
      return;
    }
    const apiPath = (m[2] ?? '/').replace(/\/+$/, '') || '/';

    if (sim.faults.takeDrop(method, apiPath)) {
      req.socket.destroy();
      return;
    }
    if (sim.faults.takeHang(method, apiPath)) {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    const injected = sim.faults.takeHttpError(method, apiPath);
    if (injected) {
      const msg =
        injected.message ?? (injected.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
      throw new PveError(injected.status, msg);
    }

    const params = parseParams(req, url, body);

    if (apiPath === '/access/ticket') {
      if (method === 'GET') return send(res, 200, { data: null });
      if (method === 'POST') {
        const v = validateRequest({ method, path: apiPath, params });
        if (!v.ok) throw new PveError(v.status, v.message, v.status === 400 ? v.errors : undefined);
        const data = auth.login(
          String(params.username ?? ''),
          String(params.password ?? ''),
          params.realm as string | undefined,
        );
        return send(res, 200, { data });
      }
    }

    const who = auth.authenticate(req, method);
    const v = validateRequest({ method, path: apiPath, params });
    if (!v.ok) throw new PveError(v.status, v.message, v.status === 400 ? v.errors : undefined);
    const { route } = v;
    if (who.kind === 'token' && !route.schema.allowtoken)
      throw new PveError(403, 'Permission check failed (API tokens are not allowed for this method)');
    const node = route.pathParams.node;
    if (node !== undefined) {
      if (!sim.world.nodes.has(node))
        throw new PveError(
          500,
          `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`,
        );
      if (sim.faults.offlineNodes.has(node)) throw new PveError(595, 'No route to host');
    }
    const handler = resolveHandler(method, route.template);
    if (!handler) throw notImplemented(method, apiPath);
    const data = await handler({ sim, route, params: v.params, user: who.user });
    send(res, 200, { data: data === undefined ? null : data });
  };

  const server = createServer({ cert: deps.certPem, key: deps.keyPem }, (req, res) => {
    handle(req, res).catch((e) => sendError(res, e, sim.log));
  });
  // authenticate websocket upgrades before the console module handles them
  server.prependListener('upgrade', (req: IncomingMessage) => {
    try {
      (req as IncomingMessage & { pveAuth?: AuthResult }).pveAuth = auth.authenticate(req, 'GET');
    } catch {
      // the console handler rejects unauthenticated upgrades
    }
  });
  return { server, hung };
}
