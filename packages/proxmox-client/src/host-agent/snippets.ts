import type { ExecOptions, Executor } from './executor.ts';
import { HostAgentCommandError, HostAgentValidationError } from './zfs.ts';

/**
 * Cloud-init "snippets" (custom user-data files) on a PVE node. The PVE API cannot upload them, so
 * they are written over the host agent with two FIXED commands:
 *
 *   write:  tee -- <path>     (the content travels on stdin; tee's echo on stdout is discarded)
 *   remove: rm -f -- <path>
 *
 * The path is validated before anything runs: absolute, only `[A-Za-z0-9_.-]` in its components,
 * no `.`/`..`/empty components, its parent directory named `snippets`, the file name ending in
 * `.yaml`/`.yml`. The content is text: UTF-8 without NUL or other control characters (tab, CR,
 * LF allowed), at most `maxBytes`.
 */

const COMPONENT_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const FILE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.ya?ml$/;
export const SNIPPET_MAX_BYTES = 1024 * 1024;

export function validateSnippetPath(path: unknown, field = 'path'): string {
  if (typeof path !== 'string') throw new HostAgentValidationError(field, 'must be a string');
  if (path.length > 1024) throw new HostAgentValidationError(field, 'too long');
  if (!path.startsWith('/')) throw new HostAgentValidationError(field, 'must be absolute');
  const parts = path.slice(1).split('/');
  if (parts.length < 2 || parts.some((p) => !COMPONENT_RE.test(p) || p === '.' || p === '..'))
    throw new HostAgentValidationError(
      field,
      'invalid path (allowed: letters, digits, _ . - in each component)',
    );
  if (parts.at(-2) !== 'snippets')
    throw new HostAgentValidationError(field, "must be a file in a storage's snippets directory");
  if (!FILE_RE.test(parts.at(-1)!))
    throw new HostAgentValidationError(field, 'file name must end in .yaml or .yml');
  return path;
}

/** Text check shared by the agent and its callers: returns the problem, or null. */
export function snippetContentProblem(content: string, maxBytes = SNIPPET_MAX_BYTES): string | null {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > maxBytes) return `is ${bytes} bytes; the limit is ${maxBytes}`;
  if (content.includes('\uFFFD')) return 'is not valid UTF-8 text';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  const ctl = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(content);
  if (ctl)
    return `contains a binary control character (U+${ctl[0].charCodeAt(0).toString(16).padStart(4, '0')})`;
  return null;
}

export class SnippetAgent {
  constructor(
    private readonly executor: Executor,
    private readonly opts: { timeoutMs?: number; maxBytes?: number } = {},
  ) {}

  private async run(argv: string[], exec: ExecOptions): Promise<void> {
    const res = await this.executor.exec(argv, { timeoutMs: this.opts.timeoutMs, ...exec });
    if (res.exitCode !== 0) throw new HostAgentCommandError(argv[0]!, res.exitCode, res.stderr);
  }

  /** Writes (or replaces) the file with `content`. */
  async write(path: string, content: string, exec: ExecOptions = {}): Promise<void> {
    validateSnippetPath(path);
    if (typeof content !== 'string') throw new HostAgentValidationError('content', 'must be a string');
    const problem = snippetContentProblem(content, this.opts.maxBytes ?? SNIPPET_MAX_BYTES);
    if (problem) throw new HostAgentValidationError('content', problem);
    await this.run(['tee', '--', path], { ...exec, stdin: content });
  }

  /** Removes the file; no error when it does not exist. */
  async remove(path: string, exec: ExecOptions = {}): Promise<void> {
    validateSnippetPath(path);
    await this.run(['rm', '-f', '--', path], exec);
  }
}
