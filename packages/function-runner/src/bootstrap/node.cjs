// @ts-check
'use strict';
/**
 * Node.js bootstrap (runs inside the sandbox). Protocol with the runner, one JSON object per line:
 * stdin  ← {type:'init', handler:'index.handler', env:{…}} then {type:'invoke', id, payload, context}
 * fd 3   → {type:'ready', initMs} | {type:'initError', error} | {type:'result', id, ok, result|error, maxRssKb}
 * stdout/stderr carry the function's own output; after each invocation both get the marker
 * "\x1e<id>\n" so the runner knows the invocation's logs are complete (pipes are synchronous).
 *
 * Per-invocation state: module scope (globals, caches, open connections) survives between
 * invocations of a warm sandbox, like Lambda; /tmp too. Nothing is shared between functions.
 *
 * Cold-start budget: this file is CommonJS (no ESM loader, no libuv thread pool for the entry),
 * needs only `node:fs` (no readline: stdin is split by hand), and loads the handler synchronously
 * with require() — ES modules included (require(esm), Node ≥ 20.19) — falling back to import()
 * only for a module with top-level await. The runner may write `init` (and on a cold start from
 * scratch, nothing else) before it sees `booted`: the pipe buffers it.
 */
const { existsSync, writeSync } = require('node:fs');

const send = (msg) => writeSync(3, `${JSON.stringify(msg)}\n`);
const errorOf = (e) =>
  e instanceof Error
    ? { type: e.name || 'Error', message: e.message, stack: (e.stack ?? '').split('\n').slice(0, 20) }
    : { type: 'Error', message: String(e), stack: [] };

let handler;
let current = null;

process.on('uncaughtException', (e) => {
  if (current) finish(current.id, false, errorOf(e), true);
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  if (current) finish(current.id, false, errorOf(e), true);
  process.exit(1);
});

/** `exit`: the runtime exits right after this reply (the runner does not reuse the sandbox). */
function finish(id, ok, value, exit = false) {
  if (!current || current.id !== id) return;
  current = null;
  let line;
  try {
    line = ok
      ? { type: 'result', id, ok, result: value === undefined ? null : value }
      : { type: 'result', id, ok, error: value };
    JSON.stringify(line);
  } catch (e) {
    line = {
      type: 'result',
      id,
      ok: false,
      error: { type: 'SerializationError', message: String(e), stack: [] },
    };
  }
  process.stdout.write(`\x1e${id}\n`);
  process.stderr.write(`\x1e${id}\n`);
  line.maxRssKb = process.resourceUsage().maxRSS;
  if (exit) line.exit = true;
  send(line);
}

async function init(msg) {
  const started = performance.now();
  Object.assign(process.env, msg.env ?? {});
  const dot = msg.handler.lastIndexOf('.');
  const file = msg.handler.slice(0, dot);
  const name = msg.handler.slice(dot + 1);
  const path = ['.mjs', '.js', '.cjs'].map((ext) => `/var/task/${file}${ext}`).find((p) => existsSync(p));
  if (!path) throw new Error(`Handler module '${file}' not found (looked for ${file}.mjs, .js, .cjs)`);
  let mod;
  try {
    mod = require(path);
  } catch (e) {
    // a module require() cannot load synchronously (top-level await; very old Node: any ESM)
    const code = /** @type {NodeJS.ErrnoException} */ (e)?.code;
    if (code !== 'ERR_REQUIRE_ASYNC_MODULE' && code !== 'ERR_REQUIRE_ESM') throw e;
    mod = await import(require('node:url').pathToFileURL(path).href);
  }
  handler = mod[name] ?? mod.default?.[name];
  if (typeof handler !== 'function') throw new Error(`'${msg.handler}' is not a function`);
  return Math.round((performance.now() - started) * 100) / 100;
}

function invoke(msg) {
  const id = msg.id;
  current = { id };
  const deadline = Date.now() + (msg.context?.timeoutMs ?? 3000);
  const context = {
    ...msg.context,
    awsRequestId: id,
    invocationId: id,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: false,
  };
  try {
    if (handler.length >= 3) {
      handler(msg.payload, context, (err, result) =>
        err ? finish(id, false, errorOf(err)) : finish(id, true, result),
      );
      return;
    }
    Promise.resolve(handler(msg.payload, context)).then(
      (r) => finish(id, true, r),
      (e) => finish(id, false, errorOf(e)),
    );
  } catch (e) {
    finish(id, false, errorOf(e));
  }
}

function onLine(line) {
  if (!line) return;
  const msg = JSON.parse(line);
  if (msg.type === 'init')
    init(msg).then(
      (initMs) => send({ type: 'ready', initMs }),
      (e) => {
        send({ type: 'initError', error: errorOf(e) });
        process.exit(1);
      },
    );
  else if (msg.type === 'invoke') invoke(msg);
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let i = pending.indexOf('\n');
  while (i >= 0) {
    const line = pending.slice(0, i);
    pending = pending.slice(i + 1);
    onLine(line);
    i = pending.indexOf('\n');
  }
});
process.stdin.on('end', () => process.exit(0));
// Set up the stdout/stderr pipe streams now (lazy in Node): a pre-booted spare pays this before
// it is claimed, not in its first invocation.
void process.stdout.writable;
void process.stderr.writable;
send({ type: 'booted' });
