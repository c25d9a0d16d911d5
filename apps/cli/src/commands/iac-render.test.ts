import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderPlan, type StackPlan } from './iac-render.ts';

const c = pc.createColors(false);

describe('plan rendering', () => {
  it('shows sensitive fields as "(sensitive value)", never their hash; other fields as values', () => {
    const plan: StackPlan = {
      stack: 'prod',
      stateHash: 's',
      specHash: 'h',
      summary: { create: 1, update: 1, replace: 0, delete: 0, noop: 0 },
      changes: [
        {
          address: 'secrets.db',
          kind: 'secrets',
          name: 'db',
          action: 'update',
          id: 'sec-1',
          changes: [
            {
              field: 'value',
              before: 'sha256:aaa',
              after: 'sha256:bbb',
              forcesReplacement: false,
              sensitive: true,
            },
          ],
          drift: [],
          dependsOn: [],
        },
        {
          address: 'volumes.data',
          kind: 'volumes',
          name: 'data',
          action: 'create',
          changes: [{ field: 'sizeGib', after: 10, forcesReplacement: false }],
          drift: [],
          dependsOn: [],
        },
      ],
    } as StackPlan;
    const out = renderPlan(c, plan);
    expect(out).toContain('value = (sensitive value) → (sensitive value)');
    expect(out).not.toContain('sha256:');
    expect(out).toContain('+ sizeGib = 10');
    expect(out).toContain('Plan: 1 to add, 1 to change, 0 to replace, 0 to destroy.');
  });
});
