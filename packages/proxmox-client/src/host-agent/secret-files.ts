import type { ExecOptions, Executor } from './executor.ts';
import { snippetContentProblem, validateSnippetPath } from './snippets.ts';
import { HostAgentCommandError, HostAgentValidationError } from './zfs.ts';

/**
 * Files that carry secret values (ProxiCloud's secrets env files), with FIXED commands:
 *
 *   snippet (VMs):  install -m 0600 /dev/null <path>   then   tee -- <path>   (content on stdin)
 *   container:      pct exec <vmid> -- mkdir -p -m 0700 <dir>
 *                   pct push <vmid> /dev/stdin <dest> --perms 0600 --user 0 --group 0   (content on stdin)
 *   remove:         rm -f -- <snippet path>
 *
 * Values travel only on stdin: never in an argument, so never in a process list or a log line.
 * A snippet is created 0600 before any byte is written (tee keeps the mode of an existing file).
 * `pct push` needs a running container (PVE refuses otherwise).
 */
const DEST = /^\/(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export class SecretFileAgent {
  constructor(
    private readonly executor: Executor,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  private async run(argv: string[], exec: ExecOptions = {}): Promise<void> {
    const res = await this.executor.exec(argv, { timeoutMs: this.opts.timeoutMs, ...exec });
    if (res.exitCode !== 0)
      throw new HostAgentCommandError(argv.slice(0, 2).join(' '), res.exitCode, res.stderr);
  }

  /** Write a root-only (0600) snippet file. */
  async writeSnippet(path: string, content: string, exec: ExecOptions = {}): Promise<void> {
    validateSnippetPath(path);
    const problem = snippetContentProblem(content);
    if (problem) throw new HostAgentValidationError('content', problem);
    await this.run(['install', '-m', '0600', '/dev/null', path], exec);
    await this.run(['tee', '--', path], { ...exec, stdin: content });
  }

  async removeSnippet(path: string, exec: ExecOptions = {}): Promise<void> {
    validateSnippetPath(path);
    await this.run(['rm', '-f', '--', path], exec);
  }

  /** Place a root-only (0600, root:root) file in a running container, creating its directory (0700). */
  async pushToContainer(vmid: number, dest: string, content: string, exec: ExecOptions = {}): Promise<void> {
    if (!Number.isInteger(vmid) || vmid < 100 || vmid > 999_999_999)
      throw new HostAgentValidationError('vmid', 'must be a guest id (100 … 999999999)');
    if (!DEST.test(dest) || dest.split('/').some((p) => p === '..' || p === '.'))
      throw new HostAgentValidationError('destination', 'must be an absolute path of plain components');
    const problem = snippetContentProblem(content);
    if (problem) throw new HostAgentValidationError('content', problem);
    const dir = dest.slice(0, dest.lastIndexOf('/'));
    if (dir) await this.run(['pct', 'exec', String(vmid), '--', 'mkdir', '-p', '-m', '0700', dir], exec);
    await this.run(
      ['pct', 'push', String(vmid), '/dev/stdin', dest, '--perms', '0600', '--user', '0', '--group', '0'],
      {
        ...exec,
        stdin: content,
      },
    );
  }
}
