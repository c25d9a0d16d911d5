/**
 * Stacks with secrets: the value comes from a variable and is never in the stored state, the plan,
 * the history or the operation; a changed value writes a new version in place.
 */
import { describe, expect, it } from 'vitest';
import { type ComputeTestContext, useComputeContext } from '../../testing/compute-kit.ts';
import type { TestClient } from '../../testing/test-kit.ts';
import { runStack } from './stacks.test-helpers.ts';

process.env.PROXICLOUD_STACKS_POLL_MS ??= '10';

let t: ComputeTestContext;
let alice: TestClient;
useComputeContext({}, async (c) => {
  t = c;
  alice = await t.ctx.newUser({ role: 'operator' });
});

const file = `
variables:
  db_password:
    type: string
secrets:
  - name: app/db/password
    value: \${var.db_password}
    description: database password
`;

const FIRST = 'first-Pa55word-value-7c1e';
const SECOND = 'second-Pa55word-value-9d2f';

async function readValue(): Promise<{ value: string; version: number }> {
  return (await alice.get<{ value: string; version: number }>('/api/v1/secrets/app%2Fdb%2Fpassword')).body;
}

describe('stacks: secrets', () => {
  it('refuses a value written in the file or a variable with a default', async () => {
    const literal = await alice.post<{ error: { code: string; details: { issues: { message: string }[] } } }>(
      '/api/v1/stacks/sec-bad/plan',
      { document: 'secrets:\n  - name: x\n    value: hunter2-in-clear\n' },
    );
    expect(literal.status).toBe(400);
    expect(literal.text).toContain('must be ${var.NAME}');
    expect(literal.text).not.toContain('hunter2-in-clear');
    const withDefault = await alice.post('/api/v1/stacks/sec-bad/plan', {
      document: 'variables:\n  pw:\n    default: zzz\nsecrets:\n  - name: x\n    value: ${var.pw}\n',
    });
    expect(withDefault.status).toBe(400);
    expect(withDefault.text).toContain('must not have a default');
  });

  it('applies, re-applies with no changes, writes a new version in place and destroys, never showing the value', async () => {
    expect(t.ctx.app).toBeDefined();
    const plan = await alice.post<{
      plan: { changes: { changes: { field: string; after: unknown; sensitive?: boolean }[] }[] };
    }>('/api/v1/stacks/secstack/plan', { document: file, variables: { db_password: FIRST } });
    expect(plan.status, plan.text).toBe(200);
    expect(plan.text).not.toContain(FIRST);
    const valueChange = plan.body.plan.changes[0]?.changes.find((c) => c.field === 'value');
    expect(valueChange?.sensitive).toBe(true);
    expect(String(valueChange?.after)).toMatch(/^sha256:[0-9a-f]{64}$/);

    const first = await runStack(alice, 'secstack', 'apply', {
      document: file,
      variables: { db_password: FIRST },
    });
    expect(first.body.result, JSON.stringify(first.body.error)).toBe('succeeded');
    expect(first.text).not.toContain(FIRST);
    expect(await readValue()).toMatchObject({ value: FIRST, version: 1 });

    // nothing the stack stores or shows holds the value
    const stored = [
      (await alice.get('/api/v1/stacks/secstack')).text,
      JSON.stringify(first.body.operation),
      JSON.stringify(await t.ctx.db.kysely.selectFrom('stacks').selectAll().execute()),
      JSON.stringify(await t.ctx.db.kysely.selectFrom('stack_history').selectAll().execute()),
      JSON.stringify(await t.ctx.db.kysely.selectFrom('operations').selectAll().execute()),
      JSON.stringify(await t.ctx.db.kysely.selectFrom('audit_log').selectAll().execute()),
    ].join('\n');
    expect(stored).not.toContain(FIRST);

    const again = await runStack(alice, 'secstack', 'apply', {
      document: file,
      variables: { db_password: FIRST },
    });
    expect(again.status).toBe(200);

    const second = await runStack(alice, 'secstack', 'apply', {
      document: file,
      variables: { db_password: SECOND },
    });
    expect(second.body.result, JSON.stringify(second.body.error)).toBe('succeeded');
    expect(second.body.plan.changes[0]?.action).toBe('update');
    expect(second.text).not.toContain(SECOND);
    expect(await readValue()).toMatchObject({ value: SECOND, version: 2 });

    const gone = await runStack(alice, 'secstack', 'destroy');
    expect(gone.body.result, JSON.stringify(gone.body.error)).toBe('succeeded');
    expect((await alice.get<{ items: unknown[] }>('/api/v1/secrets')).body.items).toEqual([]);
  });
});
