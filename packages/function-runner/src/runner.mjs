#!/usr/bin/env node
// @ts-check
/**
 * ProxiCloud function runner: an HTTP/1.1 server (keep-alive) that runs function invocations in
 * bubblewrap sandboxes. Every request carries `Authorization: Bearer <PROXICLOUD_RUNNER_SECRET>`
 * (compared in constant time); anything else answers 401.
 *
 *   GET    /v1/status            runtimes (versions, availability), sandbox and limits mode, workers
 *   HEAD   /v1/code/<sha256>     200 when the runner has that code, 404 otherwise
 *   PUT    /v1/code/<sha256>     {files: {path: base64}}; the hash is checked
 *   POST   /v1/invoke            {invocationId, key, codeSha, runtime, handler, memoryMb, timeoutMs,
 *                                 network, env, payload, context, idleMs} → outcome (never 5xx for
 *                                 function failures: status success|error|timeout|out-of-memory|throttled)
 *   POST   /v1/build             {codeSha, handler}: build a Go function (once; cached) →
 *                                 {ok, output, durationMs, cached} (compiler output when it fails)
 *   POST   /v1/evict             {prefix}: drop warm sandboxes of a function
 *
 * Environment: PROXICLOUD_RUNNER_SECRET (required), PROXICLOUD_RUNNER_HOST (127.0.0.1),
 * PROXICLOUD_RUNNER_PORT (0 = any), PROXICLOUD_RUNNER_DIR (work dir), PROXICLOUD_RUNNER_MAX_SANDBOXES
 * (64), PROXICLOUD_RUNNER_PIDS (64 per sandbox), PROXICLOUD_RUNNER_TMP_MB (64), PROXICLOUD_RUNNER_SPARES
 * (pre-booted sandboxes per runtime/memory/network, 1; 0 = none), PROXICLOUD_RUNNER_MAX_STARTS (sandboxes
 * starting at once per function version, 2), PROXICLOUD_RUNNER_GO_BUILD_MB (memory of a Go build, 1024),
 * PROXICLOUD_RUNNER_GO_BUILD_SECONDS (time limit of a Go build, 120), PROXICLOUD_RUNNER_SECCOMP (0 = no
 * seccomp filter), PROXICLOUD_RUNNER_EXIT_WITH_STDIN (1 = exit when stdin ends: a server's local runner),
 * PROXICLOUD_RUNNER_VERSION (reported by /v1/status: the version a managed runner was installed with).
 * Prints one JSON line {"event":"listening","port":N} on stdout when ready.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from './pool.mjs';

const secret = process.env.PROXICLOUD_RUNNER_SECRET ?? '';
if (secret.length < 16) {
  console.error('PROXICLOUD_RUNNER_SECRET (at least 16 characters) is required');
  process.exit(2);
}
const pool = new Pool({
  dir: process.env.PROXICLOUD_RUNNER_DIR ?? join(tmpdir(), `proxicloud-runner-${process.pid}`),
  maxWorkers: Number(process.env.PROXICLOUD_RUNNER_MAX_SANDBOXES ?? 64),
  pids: Number(process.env.PROXICLOUD_RUNNER_PIDS ?? 64),
  tmpMb: Number(process.env.PROXICLOUD_RUNNER_TMP_MB ?? 64),
  uidBase: Number(process.env.PROXICLOUD_RUNNER_UID_BASE ?? 200000),
  spares: Number(process.env.PROXICLOUD_RUNNER_SPARES ?? 1),
  maxStarts: Math.max(1, Number(process.env.PROXICLOUD_RUNNER_MAX_STARTS ?? 2)),
  goBuildMb: Number(process.env.PROXICLOUD_RUNNER_GO_BUILD_MB ?? 1024),
  goBuildSeconds: Number(process.env.PROXICLOUD_RUNNER_GO_BUILD_SECONDS ?? 120),
});
const expected = Buffer.from(`Bearer ${secret}`);
const MAX_BODY = 64 * 1024 * 1024;

function authorized(req) {
  const got = Buffer.from(String(req.headers.authorization ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function reply(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

const server = createServer(async (req, res) => {
  if (!authorized(req)) return reply(res, 401, { error: 'unauthorized' });
  const url = req.url ?? '/';
  try {
    if (req.method === 'GET' && url === '/v1/status')
      return reply(res, 200, {
        pid: process.pid,
        version: process.env.PROXICLOUD_RUNNER_VERSION ?? null,
        ...pool.status(),
      });
    const code = /^\/v1\/code\/([a-f0-9]{64})$/.exec(url);
    if (code && req.method === 'HEAD') return reply(res, pool.hasCode(code[1]) ? 200 : 404);
    if (code && req.method === 'PUT') {
      const body = await readJson(req);
      pool.putCode(code[1], body.files ?? {});
      return reply(res, 204);
    }
    if (req.method === 'POST' && url === '/v1/invoke') {
      const body = await readJson(req);
      if (!pool.hasCode(body.codeSha)) return reply(res, 412, { error: 'code_missing' });
      return reply(res, 200, await pool.invoke(body));
    }
    if (req.method === 'POST' && url === '/v1/build') {
      const body = await readJson(req);
      if (!pool.hasCode(body.codeSha)) return reply(res, 412, { error: 'code_missing' });
      return reply(
        res,
        200,
        await pool.build({ codeSha: body.codeSha, handler: String(body.handler ?? '') }),
      );
    }
    if (req.method === 'POST' && url === '/v1/evict') {
      const body = await readJson(req);
      return reply(res, 200, { evicted: pool.evict(String(body.prefix ?? '\0'), body.spares === true) });
    }
    reply(res, 404, { error: 'not_found' });
  } catch (e) {
    reply(res, 400, { error: 'bad_request', message: /** @type {Error} */ (e).message });
  }
});
server.keepAliveTimeout = 60_000;

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  // the sandboxes' cgroup dirs are removed before we exit (their last processes take a moment)
  void pool.close().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// A local runner started by a server (PROXICLOUD_RUNNER_EXIT_WITH_STDIN=1) stops with it: the
// server holds our stdin, which ends when the server process dies (even on kill -9), so no
// orphaned runner keeps running invocations that the next server queues again.
if (process.env.PROXICLOUD_RUNNER_EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}

// The sweep retries removals on unref'd timers: hold the event loop until it is done, or node
// (seen on 24) exits here with the top-level await unsettled and the runner never listens.
const holdLoop = setInterval(() => {}, 1000);
const swept = await pool.swept.finally(() => clearInterval(holdLoop));
server.listen(
  Number(process.env.PROXICLOUD_RUNNER_PORT ?? 0),
  process.env.PROXICLOUD_RUNNER_HOST ?? '127.0.0.1',
  () => {
    const addr = server.address();
    process.stdout.write(
      `${JSON.stringify({ event: 'listening', port: typeof addr === 'object' && addr ? addr.port : 0, sweptCgroups: swept, ...pool.status() })}\n`,
    );
  },
);
