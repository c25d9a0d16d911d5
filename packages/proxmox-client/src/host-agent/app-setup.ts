import type { ExecOptions, Executor } from './executor.ts';
import { HostAgentCommandError, HostAgentValidationError } from './zfs.ts';

/**
 * App setup inside a container (the apps module), with FIXED commands:
 *
 *   pct exec <vmid> -- mkdir -p -m 0700 /root/.proxicloud/app
 *   pct push <vmid> /dev/stdin /root/.proxicloud/app/<file> --perms <0600|0700> --user 0 --group 0   (content on stdin)
 *   pct exec <vmid> -- /bin/bash /root/.proxicloud/app/setup.sh <install|configure|update>
 *
 * File contents (the script, app.env with the app's secret parameters) travel only on stdin.
 * The container must be running (PVE refuses `pct push`/`pct exec` otherwise).
 */
export const APP_SETUP_DIR = '/root/.proxicloud/app';
const FILES = { 'setup.sh': '0700', 'lib.sh': '0600', 'app.env': '0600' } as const;
export type AppSetupFile = keyof typeof FILES;
export type AppSetupPhase = 'install' | 'configure' | 'update';

export interface AppScriptResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** One line of a setup script's output, delivered as soon as the script printed it. */
export type AppScriptLine = (stream: 'stdout' | 'stderr', line: string) => void;

/**
 * Splits a command's output into lines per stream as it arrives (a line may span chunks; `\r\n`
 * ends a line too). `flush()` delivers an unterminated last line.
 */
export function lineSplitter(onLine: AppScriptLine) {
  const rest = { stdout: '', stderr: '' };
  return {
    push(stream: 'stdout' | 'stderr', chunk: string) {
      const parts = (rest[stream] + chunk).split('\n');
      rest[stream] = parts.pop() ?? '';
      for (const p of parts) onLine(stream, p.replace(/\r$/, ''));
    },
    flush() {
      for (const stream of ['stdout', 'stderr'] as const) {
        if (rest[stream]) onLine(stream, rest[stream].replace(/\r$/, ''));
        rest[stream] = '';
      }
    },
  };
}

export class AppSetupAgent {
  constructor(
    private readonly executor: Executor,
    private readonly opts: { timeoutMs?: number; scriptTimeoutMs?: number } = {},
  ) {}

  private static vmid(vmid: number): string {
    if (!Number.isInteger(vmid) || vmid < 100 || vmid > 999_999_999)
      throw new HostAgentValidationError('vmid', 'must be a guest id (100 … 999999999)');
    return String(vmid);
  }

  private async run(argv: string[], exec: ExecOptions = {}): Promise<void> {
    const res = await this.executor.exec(argv, { timeoutMs: this.opts.timeoutMs, ...exec });
    if (res.exitCode !== 0)
      throw new HostAgentCommandError(argv.slice(0, 2).join(' '), res.exitCode, res.stderr);
  }

  /** Place one of the app files (root-only) in the running container. */
  async push(vmid: number, file: AppSetupFile, content: string, exec: ExecOptions = {}): Promise<void> {
    const id = AppSetupAgent.vmid(vmid);
    if (!(file in FILES)) throw new HostAgentValidationError('file', 'unknown app file');
    if (content.includes('\0')) throw new HostAgentValidationError('content', 'must be text');
    await this.run(['pct', 'exec', id, '--', 'mkdir', '-p', '-m', '0700', APP_SETUP_DIR], exec);
    await this.run(
      [
        'pct',
        'push',
        id,
        '/dev/stdin',
        `${APP_SETUP_DIR}/${file}`,
        '--perms',
        FILES[file],
        '--user',
        '0',
        '--group',
        '0',
      ],
      { ...exec, stdin: content },
    );
  }

  /**
   * Run one phase of the setup script; a non-zero exit is a result, not an error. `onLine` receives
   * every output line while the script runs (read incrementally from the SSH channel); an executor
   * that cannot stream delivers them all when the script ends.
   */
  async runPhase(
    vmid: number,
    phase: AppSetupPhase,
    exec: ExecOptions = {},
    onLine?: AppScriptLine,
  ): Promise<AppScriptResult> {
    const id = AppSetupAgent.vmid(vmid);
    if (!['install', 'configure', 'update'].includes(phase))
      throw new HostAgentValidationError('phase', 'must be install, configure or update');
    let streamed = false;
    const lines = onLine ? lineSplitter(onLine) : null;
    const res = await this.executor.exec(
      ['pct', 'exec', id, '--', '/bin/bash', `${APP_SETUP_DIR}/setup.sh`, phase],
      {
        timeoutMs: this.opts.scriptTimeoutMs ?? 1_800_000,
        ...exec,
        ...(lines
          ? {
              onOutput: (stream: 'stdout' | 'stderr', chunk: string) => {
                streamed = true;
                lines.push(stream, chunk);
              },
            }
          : {}),
      },
    );
    if (lines) {
      if (!streamed) {
        lines.push('stdout', res.stdout);
        lines.push('stderr', res.stderr);
      }
      lines.flush();
    }
    return { exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr };
  }
}
