/** Tests: run an apply/destroy and follow its operation to the end (like the CLI does). */
import { expect } from 'vitest';
import { type Op, waitOp } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';

export interface RunOutcome {
  /** from the operation: succeeded / failed, or no-changes (no operation) */
  result: 'succeeded' | 'failed' | 'no-changes';
  plan: {
    summary: Record<string, number>;
    stateHash: string;
    changes: {
      address: string;
      action: string;
      changes: { field: string }[];
      drift: { field: string; after: unknown }[];
    }[];
  };
  operation: Op | null;
  error: { address: string; message: string; code: string } | null;
  stack: { resourceCount: number; status: string; stateHash: string; locked: boolean };
}

/**
 * POST /stacks/{name}/{verb}; a 202 is followed to the end of its operation. `status` is the POST's
 * (202 started, 200 no changes, 4xx refused); `body` is the outcome, or the error body when refused.
 */
export async function runStack(
  client: TestClient,
  name: string,
  verb: 'apply' | 'destroy',
  body: Record<string, unknown> = {},
): Promise<{ status: number; text: string; body: RunOutcome }> {
  const res = await client.post<RunOutcome>(`/api/v1/stacks/${name}/${verb}`, body);
  if (res.status !== 202) {
    if (res.status === 200) {
      expect(res.body.result).toBe('no-changes');
      expect(res.body.operation).toBeNull();
    }
    return {
      status: res.status,
      text: res.text,
      body: res.status === 200 ? { ...res.body, error: null } : res.body,
    };
  }
  const started = res.body.operation as Op & { action: string };
  expect(started.action).toBe(`stack.${verb}`);
  const op = await waitOp(client, started.id, 120_000);
  const stack = await client.get<RunOutcome['stack']>(`/api/v1/stacks/${name}`);
  const details = (op.error?.details ?? {}) as { address?: string };
  return {
    status: res.status,
    text: res.text,
    body: {
      result: op.status === 'succeeded' ? 'succeeded' : 'failed',
      plan: res.body.plan,
      operation: op,
      error: op.error
        ? { address: details.address ?? '', message: op.error.message, code: op.error.code }
        : null,
      stack: stack.body,
    },
  };
}
