import type { ExecOptions, Executor } from './executor.ts';
import { HostAgentCommandError, HostAgentValidationError } from './zfs.ts';

/**
 * Cloud images that were downloaded into ISO storage (`local:iso/jammy-server-cloudimg-amd64.img`)
 * cannot be imported by PVE (`import-from` reads only `images`/`import` content). The host agent
 * makes them importable with ONE fixed command, a hard link inside the same dir storage (no copy):
 *
 *   ln -- <path>/template/iso/<file> <path>/import/<file>
 *
 * Both paths are validated first: the same storage base directory, the same file name, a disk
 * image extension (.img, .qcow2, .raw). An existing link counts as success.
 */

const COMPONENT_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const IMAGE_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*\.(?:img|qcow2|raw)$/;

export function validateImageLink(src: unknown, dst: unknown): { src: string; dst: string } {
  if (typeof src !== 'string' || typeof dst !== 'string')
    throw new HostAgentValidationError('path', 'must be strings');
  const s = /^((?:\/[^/]+)+)\/template\/iso\/([^/]+)$/.exec(src);
  const d = /^((?:\/[^/]+)+)\/import\/([^/]+)$/.exec(dst);
  if (!s || !d)
    throw new HostAgentValidationError(
      'path',
      'must be <storage>/template/iso/<file> → <storage>/import/<file>',
    );
  const [, base, file] = s as unknown as [string, string, string];
  if (d[1] !== base || d[2] !== file)
    throw new HostAgentValidationError('path', 'source and target must be the same file of the same storage');
  if (
    base
      .slice(1)
      .split('/')
      .some((p) => !COMPONENT_RE.test(p) || p === '.' || p === '..')
  )
    throw new HostAgentValidationError('path', 'invalid storage directory');
  if (!IMAGE_RE.test(file) || file.includes('..'))
    throw new HostAgentValidationError('path', 'file must be a disk image (.img, .qcow2, .raw)');
  return { src, dst };
}

export class ImageLinkAgent {
  constructor(
    private readonly executor: Executor,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  /** Hard-links an ISO-storage disk image into the import directory; true when it was created now. */
  async link(src: string, dst: string, exec: ExecOptions = {}): Promise<boolean> {
    validateImageLink(src, dst);
    const res = await this.executor.exec(['ln', '--', src, dst], { timeoutMs: this.opts.timeoutMs, ...exec });
    if (res.exitCode === 0) return true;
    if (/File exists/.test(res.stderr)) return false;
    throw new HostAgentCommandError('ln', res.exitCode, res.stderr);
  }
}
