import { describe, expect, it } from 'vitest';
import { stepNames } from './apply.ts';
import type { Plan, PlannedChange } from './model.ts';

const change = (address: string, action: PlannedChange['action']): PlannedChange => {
  const [kind, name] = address.split('.') as [string, string];
  return { address, kind, name, action, changes: [], drift: [], dependsOn: [] };
};

describe('stepNames (the operation steps of an apply)', () => {
  it('lists removals first (dependents first), then creates/updates/new halves in plan order; no-ops have none', () => {
    const plan: Plan = {
      stack: 's',
      stateHash: 'h',
      specHash: 'x',
      summary: { create: 1, update: 1, replace: 1, delete: 1, noop: 1 },
      changes: [
        change('keyPairs.old', 'delete'),
        change('volumes.data', 'no-op'),
        change('instances.web', 'replace'),
        change('attachments.web-data', 'update'),
        change('buckets.logs', 'create'),
      ],
    };
    expect(stepNames(plan)).toEqual([
      { name: 'remove:instances.web', title: '-/+ remove old instances.web' },
      { name: 'remove:keyPairs.old', title: '- destroy keyPairs.old' },
      { name: 'apply:instances.web', title: '-/+ create new instances.web' },
      { name: 'apply:attachments.web-data', title: '~ update attachments.web-data' },
      { name: 'apply:buckets.logs', title: '+ create buckets.logs' },
    ]);
  });
});
