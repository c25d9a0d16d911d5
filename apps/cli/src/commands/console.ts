/**
 * `instances console <instance>`: a container's shell or a VM's serial port in your own terminal,
 * through the server's console websocket (PVE's termproxy protocol: `0:LEN:DATA` input,
 * `1:COLS:ROWS:` resize, `2` ping). Raw mode on a TTY; `~.` at the start of a line quits (like
 * ssh), `~~` sends one `~`. For a VM's screen (`--type vnc`) it prints the console page's URL.
 */
import { type Command, Option } from 'commander';
import WebSocket from 'ws';
import { unwrap } from '../lib/api.ts';
import { examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import { resolveInstance } from './instances.ts';

const PING_MS = 30_000;
/** After stdin ends (a pipe), how long to let the output arrive before closing. */
const EOF_GRACE_MS = 1500;

/** Why the server closed a console (its close codes 4000–4003). */
const FINAL: Record<number, string> = {
  4000: 'closed after being idle',
  4001: 'your access to this console ended',
  4002: 'the instance stopped',
  4003: 'the instance was deleted',
};

/**
 * ssh-style escapes on the input stream: `~.` at the start of a line quits, `~~` sends `~`, a `~`
 * followed by anything else sends both. Stateful across chunks.
 */
export class EscapeReader {
  private atLineStart = true;
  private pendingTilde = false;

  constructor(private readonly escapeChar = '~') {}

  /** The text to send, and whether the user asked to quit (what follows `~.` is dropped). */
  feed(chunk: string): { send: string; quit: boolean } {
    let send = '';
    for (const ch of chunk) {
      if (this.pendingTilde) {
        this.pendingTilde = false;
        if (ch === '.') return { send, quit: true };
        send += ch === this.escapeChar ? this.escapeChar : this.escapeChar + ch;
        this.atLineStart = ch === '\r' || ch === '\n';
        continue;
      }
      if (this.atLineStart && ch === this.escapeChar) {
        this.pendingTilde = true;
        continue;
      }
      send += ch;
      this.atLineStart = ch === '\r' || ch === '\n';
    }
    return { send, quit: false };
  }
}

export function termInputFrame(data: string): string {
  return `0:${Buffer.byteLength(data, 'utf8')}:${data}`;
}

export function termResizeFrame(cols: number, rows: number): string {
  return `1:${Math.max(1, cols)}:${Math.max(1, rows)}:`;
}

interface Streams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Pipe a terminal session between the streams and the websocket; resolves with the exit code. */
export function runTerminal(url: string, io: Streams, note: (msg: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const tty = io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
    const escapes = new EscapeReader();
    let ping: NodeJS.Timeout | undefined;
    let userQuit = false;
    const send = (frame: string) => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };
    const resize = () => {
      if (io.stdout.columns && io.stdout.rows) send(termResizeFrame(io.stdout.columns, io.stdout.rows));
    };
    const onData = (chunk: Buffer | string) => {
      const { send: text, quit } = escapes.feed(chunk.toString());
      if (text) send(termInputFrame(text));
      if (quit) {
        userQuit = true;
        ws.close(1000);
      }
    };
    const onEnd = () => setTimeout(() => ws.close(1000), EOF_GRACE_MS).unref();
    const cleanup = () => {
      clearInterval(ping);
      io.stdin.off('data', onData);
      io.stdin.off('end', onEnd);
      io.stdout.off('resize', resize);
      if (tty) io.stdin.setRawMode(false);
      io.stdin.pause();
    };
    ws.on('open', () => {
      if (tty) io.stdin.setRawMode(true);
      io.stdin.on('data', onData);
      io.stdin.on('end', onEnd);
      io.stdin.resume();
      io.stdout.on('resize', resize);
      resize();
      ping = setInterval(() => send('2'), PING_MS);
      ping.unref();
      if (tty) note('Connected. Type ~. at the start of a line to disconnect.');
    });
    ws.on('message', (data: Buffer) => io.stdout.write(data));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        let message = `HTTP ${res.statusCode}`;
        try {
          message = (JSON.parse(body) as { error: { message: string } }).error.message;
        } catch {
          // keep the status
        }
        note(`The console was refused: ${message}`);
        resolve(ExitCode.general);
      });
    });
    ws.on('error', (e) => {
      cleanup();
      note(`Console connection failed: ${e.message}`);
      resolve(ExitCode.unreachable);
    });
    ws.on('close', (code) => {
      cleanup();
      if (userQuit) note('Disconnected.');
      else if (FINAL[code]) note(`Disconnected: ${FINAL[code]}.`);
      else if (code !== 1000 && code !== 1005) note(`The connection closed (code ${code}).`);
      resolve(userQuit || code === 1000 || code === 1005 ? ExitCode.ok : ExitCode.general);
    });
  });
}

export function registerInstanceConsoleCommand(instances: Command): void {
  instances
    .command('console <instance>')
    .summary("open a container's shell or a VM's serial console in this terminal")
    .description(
      "Open a console on a running instance (name or id) in this terminal: a container's shell, or a " +
        "VM's serial port (serial0, where cloud images print their login prompt). Keys go to the " +
        'instance as you type them (raw mode); the window size follows yours.\n\n' +
        'Type ~. at the start of a line to disconnect (~~ sends a ~). With --type vnc the command ' +
        "prints the URL of the VM's screen in the web console instead. Needs the instances:console " +
        'permission (ReadOnly users cannot open consoles). Without a terminal (a pipe), input is sent ' +
        'as it comes and the session closes shortly after the input ends.',
    )
    .addOption(
      new Option('--type <type>', 'console kind (default: terminal for containers, serial for VMs)').choices([
        'terminal',
        'serial',
        'vnc',
      ]),
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud instances console web-ct           # a root shell in the container',
        'proxicloud instances console web-vm           # the VM’s serial console',
        'proxicloud instances console web-vm --type vnc  # prints the web console URL for the VM’s screen',
        "echo 'uname -a' | proxicloud instances console web-ct",
      ),
    )
    .action(async (ref: string, opts: { type?: 'terminal' | 'serial' | 'vnc' }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const inst = await resolveInstance(ctx, ref);
      const type = opts.type ?? (inst.type === 'vm' ? 'serial' : 'terminal');
      if (type === 'vnc') {
        const url = `${ctx.serverUrl}/compute/instances/${inst.id}/console`;
        if (ctx.out.json) return ctx.out.printJson({ instanceId: inst.id, url });
        ctx.out.line(url);
        ctx.out.note(`Open it in a browser to see ${inst.name}'s screen.`);
        return;
      }
      if (inst.status !== 'running')
        throw new CliError(`Instance ${inst.name} is ${inst.status}; start it to open a console`, {
          exitCode: ExitCode.conflict,
          hint: `proxicloud instances start ${inst.name}`,
        });
      const session = await unwrap(
        ctx.api().POST('/api/v1/instances/{id}/console', {
          params: { path: { id: inst.id } },
          body: { type },
        }),
      );
      const code = await runTerminal(
        session.url,
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        (msg) => process.stderr.write(`\r\n[${msg}]\r\n`),
      );
      process.exitCode = code;
    });
}
