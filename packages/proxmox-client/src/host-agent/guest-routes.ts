import type { ExecOptions, ExecResult, Executor } from './executor.ts';
import { HostAgentValidationError } from './zfs.ts';

/**
 * Routes inside a running container, with ONE fixed command:
 *
 *   pct exec <vmid> -- ip -force -batch -      (the `route replace|del …` lines on stdin)
 *
 * Only `route replace <cidr> via <ipv4> proto <n>` and `route del <cidr> proto <n>` lines are
 * accepted, so nothing else can reach the container's shell. The caller reads the exit code and
 * stderr (`ip -force` goes on after a failed line and reports each one).
 */
const LINE =
  /^route (?:replace \d{1,3}(?:\.\d{1,3}){3}\/\d{1,2} via \d{1,3}(?:\.\d{1,3}){3}|del \d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}) proto \d{1,3}$/;

export class GuestRouteAgent {
  constructor(
    private readonly executor: Executor,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async applyBatch(vmid: number, batch: string, exec: ExecOptions = {}): Promise<ExecResult> {
    if (!Number.isInteger(vmid) || vmid < 100 || vmid > 999_999_999)
      throw new HostAgentValidationError('vmid', 'must be a guest id (100 … 999999999)');
    for (const line of batch.split('\n').filter(Boolean))
      if (!LINE.test(line)) throw new HostAgentValidationError('batch', `unexpected route line '${line}'`);
    return this.executor.exec(['pct', 'exec', String(vmid), '--', 'ip', '-force', '-batch', '-'], {
      timeoutMs: this.opts.timeoutMs,
      ...exec,
      stdin: batch,
    });
  }
}
