import { describe, expect, it } from 'vitest';
import type { ExecOptions, Executor } from './executor.ts';
import { GuestRouteAgent } from './guest-routes.ts';

function fake() {
  const calls: { argv: readonly string[]; stdin?: string }[] = [];
  const ex: Executor = {
    async exec(argv: readonly string[], o?: ExecOptions) {
      calls.push({ argv, stdin: typeof o?.stdin === 'string' ? o.stdin : undefined });
      return { stdout: '', stderr: '', exitCode: 0 };
    },
    async close() {},
  };
  return { ex, calls };
}

describe('GuestRouteAgent', () => {
  it('runs the one fixed command with the route lines on stdin', async () => {
    const { ex, calls } = fake();
    const batch = 'route replace 10.9.0.0/16 via 10.5.0.7 proto 250\nroute del 10.8.0.0/16 proto 250\n';
    await new GuestRouteAgent(ex).applyBatch(200, batch);
    expect(calls).toEqual([
      { argv: ['pct', 'exec', '200', '--', 'ip', '-force', '-batch', '-'], stdin: batch },
    ]);
  });

  it('refuses anything but route replace/del lines and bad guest ids', async () => {
    const { ex, calls } = fake();
    const agent = new GuestRouteAgent(ex);
    await expect(
      agent.applyBatch(200, 'route replace 10.9.0.0/16 via 10.5.0.7 proto 250; reboot\n'),
    ).rejects.toThrow(/unexpected route line/);
    await expect(agent.applyBatch(200, 'link set eth0 down\n')).rejects.toThrow(/unexpected route line/);
    await expect(agent.applyBatch(99, '')).rejects.toThrow(/guest id/);
    expect(calls).toEqual([]);
  });
});
