/**
 * SSH endpoint for the host agent (ssh2 Server). Password auth with the printed credentials;
 * user `root` acts on the first node, `root@<node>` on that node. `exec` requests run a FIXED
 * grammar — `zfs …` (see zfs.ts), `tee [--] <file>` / `rm [-f] [--] <file>` for cloud-init
 * snippets in a dir storage's `snippets` directory, `ln [--] <iso file> <import file>` (hard link
 * of a disk image from ISO storage into the import directory), `hostname`, `true` — after POSIX word
 * splitting without any shell. `tee` reads its standard input until EOF.
 * Shells, PTYs, SFTP and port forwarding are refused.
 */
import { createHash, createPublicKey, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import type ssh2 from 'ssh2';
import type { SimContext } from './context.ts';
import { install, pct, pctReadsStdin } from './guest-files.ts';
import { shellWords } from './shell-words.ts';
import { linkImage, removeSnippet, snippetTarget, writeSnippet } from './storage.ts';
import { type ExecResult, ZfsHost } from './zfs.ts';

export interface SshEndpoint {
  info: { host: string; port: number; username: string; password: string; hostKeyFingerprint: string };
  close(): Promise<void>;
}

/** `tee`/`rm` operands after the options this grammar accepts (`--` ends options). */
function operands(args: string[], allowed: string[]): string[] | string {
  const out: string[] = [];
  let opts = true;
  for (const a of args) {
    if (opts && a === '--') opts = false;
    else if (opts && a.startsWith('-') && a !== '-') {
      if (!allowed.includes(a)) return a;
    } else out.push(a);
  }
  return out;
}

function tee(sim: SimContext, node: string, args: string[], stdin: string): ExecResult {
  const files = operands(args, []);
  if (typeof files === 'string')
    return { stdout: '', stderr: `tee: invalid option -- '${files.replace(/^-+/, '')}'\n`, code: 1 };
  let stderr = '';
  for (const f of files) {
    if (!snippetTarget(sim, f))
      stderr += `tee: ${f}: ${f.includes('/snippets/') ? 'No such file or directory' : 'Permission denied'}\n`;
    else writeSnippet(sim, node, f, stdin);
  }
  return { stdout: stdin, stderr, code: stderr ? 1 : 0 };
}

function rm(sim: SimContext, node: string, args: string[]): ExecResult {
  const force = args.includes('-f');
  const files = operands(args, ['-f']);
  if (typeof files === 'string')
    return { stdout: '', stderr: `rm: invalid option -- '${files.replace(/^-+/, '')}'\n`, code: 1 };
  if (files.length === 0) return { stdout: '', stderr: 'rm: missing operand\n', code: 1 };
  let stderr = '';
  for (const f of files) {
    if (removeSnippet(sim, node, f)) continue;
    if (!snippetTarget(sim, f)) stderr += `rm: cannot remove '${f}': Permission denied\n`;
    else if (!force) stderr += `rm: cannot remove '${f}': No such file or directory\n`;
  }
  return { stdout: '', stderr, code: stderr ? 1 : 0 };
}

/**
 * `ln [--] <dir>/template/iso/<file> <dir>/import/<file2>`: a hard link from ISO storage into the
 * import directory of the same dir storage (what makes a cloud image in ISO storage importable).
 */
function ln(sim: SimContext, node: string, args: string[]): ExecResult {
  const ops = operands(args, []);
  if (typeof ops === 'string')
    return { stdout: '', stderr: `ln: invalid option -- '${ops.replace(/^-+/, '')}'\n`, code: 1 };
  if (ops.length !== 2) return { stdout: '', stderr: 'ln: missing file operand\n', code: 1 };
  const [src, dst] = ops as [string, string];
  const r = linkImage(sim, node, src, dst);
  if (r === 'ok') return { stdout: '', stderr: '', code: 0 };
  const msg =
    r === 'exists'
      ? `ln: failed to create hard link '${dst}': File exists`
      : r === 'nosrc'
        ? `ln: failed to access '${src}': No such file or directory`
        : `ln: failed to create hard link '${dst}' => '${src}': Permission denied`;
  return { stdout: '', stderr: `${msg}\n`, code: 1 };
}

/** Whether the command line reads standard input (the server then waits for EOF). */
export function readsStdin(line: string): boolean {
  try {
    const argv = shellWords(line);
    return argv[0] === 'tee' || pctReadsStdin(argv);
  } catch {
    return false;
  }
}

/** Runs one host-agent command line on a node. */
export function runHostCommand(sim: SimContext, node: string, line: string, stdin = ''): ExecResult {
  let argv: string[];
  try {
    argv = shellWords(line);
  } catch (e) {
    return { stdout: '', stderr: `sh: 1: Syntax error: ${(e as Error).message}\n`, code: 2 };
  }
  const [cmd, ...args] = argv;
  if (!cmd) return { stdout: '', stderr: '', code: 0 };
  if (cmd === 'zfs' || cmd === '/usr/sbin/zfs' || cmd === '/sbin/zfs')
    return new ZfsHost(sim, node).run(args);
  if (cmd === 'hostname' && args.length === 0) return { stdout: `${node}\n`, stderr: '', code: 0 };
  if (cmd === 'true' && args.length === 0) return { stdout: '', stderr: '', code: 0 };
  if (cmd === 'tee' || cmd === '/usr/bin/tee') return tee(sim, node, args, stdin);
  if (cmd === 'rm' || cmd === '/bin/rm' || cmd === '/usr/bin/rm') return rm(sim, node, args);
  if (cmd === 'ln' || cmd === '/bin/ln' || cmd === '/usr/bin/ln') return ln(sim, node, args);
  if (cmd === 'install' || cmd === '/usr/bin/install') return install(sim, node, args);
  if (cmd === 'pct' || cmd === '/usr/sbin/pct') return pct(sim, node, args, stdin);
  return { stdout: '', stderr: `bash: line 1: ${cmd}: command not found\n`, code: 127 };
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** SSH wire format of an ecdsa-sha2-nistp256 public key (RFC 5656 §3.1), for its fingerprint. */
function ecdsaP256PublicBlob(publicKeyPem: string): Buffer {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x as string, 'base64url'),
    Buffer.from(jwk.y as string, 'base64url'),
  ]);
  return Buffer.concat([str(Buffer.from('ecdsa-sha2-nistp256')), str(Buffer.from('nistp256')), str(point)]);
}

/**
 * ssh2 is loaded on the first connection, not at start: importing it instantiates its poly1305
 * WebAssembly module with 16 MiB of memory (docs/benchmarks.md, idle memory).
 */
let ssh2Module: Promise<typeof ssh2> | undefined;
const loadSsh2 = () => {
  ssh2Module ??= import('ssh2').then((m) => (m as unknown as { default: typeof ssh2 }).default ?? m);
  return ssh2Module;
};

export async function startSshServer(
  sim: SimContext,
  o: { host: string; port: number; password: string },
): Promise<SshEndpoint> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const pub = ecdsaP256PublicBlob(publicKey);
  const hostKeyFingerprint = `SHA256:${createHash('sha256').update(pub).digest('base64').replace(/=+$/, '')}`;
  const firstNode = [...sim.world.nodes.keys()][0]!;
  const connections = new Set<ssh2.Connection>();

  const onClient = (client: ssh2.Connection) => {
    connections.add(client);
    let node = firstNode;
    client.on('close', () => connections.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      const m = /^root(?:@([a-zA-Z0-9-]+))?$/.exec(ctx.username);
      if (ctx.method !== 'password') return ctx.reject(['password']);
      if (!m || !safeEqual(ctx.password, o.password) || (m[1] && !sim.world.nodes.has(m[1])))
        return ctx.reject(['password']);
      node = m[1] ?? firstNode;
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const run = (stdin: string) => {
            let result: ExecResult;
            if (sim.faults.offlineNodes.has(node))
              result = { stdout: '', stderr: 'ssh: connect to host: No route to host\n', code: 255 };
            else {
              try {
                result = runHostCommand(sim, node, info.command, stdin);
              } catch (e) {
                result = { stdout: '', stderr: `internal error: ${(e as Error).message}\n`, code: 1 };
              }
            }
            if (result.stdout) stream.write(result.stdout);
            if (result.stderr) stream.stderr.write(result.stderr);
            const end = () => {
              sim.log(`ssh ${node}: ${JSON.stringify(info.command)} → exit ${result.code}`);
              stream.exit(result.code);
              stream.end();
            };
            if (!result.follow) return end();
            // a long-running command: its output goes out as it is produced
            result
              .follow((which, text) => {
                if (which === 'stderr') stream.stderr.write(text);
                else stream.write(text);
              })
              .catch((e: unknown) => stream.stderr.write(`internal error: ${(e as Error).message}\n`))
              .finally(end);
          };
          if (!readsStdin(info.command)) {
            stream.resume(); // stdin is not read: drain it
            run('');
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (d: Buffer) => {
            size += d.length;
            if (size <= 16 * 1024 * 1024) chunks.push(d);
          });
          stream.once('end', () => run(Buffer.concat(chunks).toString('utf8')));
        });
        session.on('pty', (_a, reject) => reject?.());
        session.on('shell', (_a, reject) => reject());
        session.on('subsystem', (_a, reject) => reject());
      });
      client.on('request', (_a, reject) => reject?.());
      client.on('tcpip', (_a, reject) => reject());
    });
  };
  // A plain TCP listener; each connection is handed to the ssh2 server (created on the first one).
  let sshServer: Promise<ssh2.Server> | undefined;
  const pending = new Set<Socket>(); // accepted, waiting for ssh2 to load
  let closing = false;
  const server = createServer((socket) => {
    pending.add(socket);
    sshServer ??= loadSsh2().then((m) => new m.Server({ hostKeys: [privateKey] }, onClient));
    sshServer.then(
      (s) => {
        pending.delete(socket);
        if (closing) socket.destroy();
        else s.injectSocket(socket);
      },
      (e: Error) => {
        pending.delete(socket);
        sim.log(`ssh server error: ${e.message}`);
        socket.destroy();
      },
    );
  });
  server.on('error', (e: Error) => sim.log(`ssh server error: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    info: { host: o.host, port, username: 'root', password: o.password, hostKeyFingerprint },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const s of pending) s.destroy();
        for (const c of connections) c.end();
        server.close(() => resolve());
      }),
  };
}
