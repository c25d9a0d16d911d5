import { QueryClient } from '@tanstack/react-query';
import { describe, expect, test } from 'vitest';
import { actionAllowed, formatMiB, type Instance, type InstanceList, patchInstance } from './api.ts';

const inst = (over: Partial<Instance>) =>
  ({ id: 'i-1', status: 'running', activeOperationId: null, ...over }) as Instance;

describe('instance helpers', () => {
  test('actions offered per status; none while an operation runs', () => {
    expect(actionAllowed('start', inst({ status: 'stopped' }))).toBe(true);
    expect(actionAllowed('start', inst({ status: 'running' }))).toBe(false);
    expect(actionAllowed('stop', inst({ status: 'running' }))).toBe(true);
    expect(actionAllowed('reboot', inst({ status: 'stopped' }))).toBe(false);
    expect(actionAllowed('terminate', inst({ status: 'error' }))).toBe(true);
    expect(actionAllowed('terminate', inst({ status: 'terminated' }))).toBe(false);
    expect(actionAllowed('stop', inst({ status: 'running', activeOperationId: 'op-1' }))).toBe(false);
  });

  test('sizes', () => {
    expect(formatMiB(512)).toBe('512 MiB');
    expect(formatMiB(1024)).toBe('1 GiB');
    expect(formatMiB(1536)).toBe('1.5 GiB');
  });

  test('patchInstance replaces the instance in its own entry and in every cached list', () => {
    const qc = new QueryClient();
    const a = inst({ id: 'i-a', status: 'running' });
    const b = inst({ id: 'i-b', status: 'running' });
    const list = (items: Instance[]): InstanceList => ({ items, total: items.length, limit: 20, offset: 0 });
    qc.setQueryData(['instances', 'list', { q: '' }], list([a, b]));
    qc.setQueryData(['instances', 'list', { q: 'b' }], list([b]));
    patchInstance(qc, { ...b, status: 'stopping' });
    expect(
      qc.getQueryData<InstanceList>(['instances', 'list', { q: '' }])?.items.map((i) => i.status),
    ).toEqual(['running', 'stopping']);
    expect(qc.getQueryData<InstanceList>(['instances', 'list', { q: 'b' }])?.items[0]?.status).toBe(
      'stopping',
    );
    expect(qc.getQueryData<Instance>(['instances', 'one', 'i-b'])?.status).toBe('stopping');
  });

  test('patchInstance keeps the live usage sample of a running instance (events carry none)', () => {
    const qc = new QueryClient();
    const usage = { cpu: 0.25 } as NonNullable<Instance['usage']>;
    const a = inst({ id: 'i-a', status: 'running', usage });
    qc.setQueryData(['instances', 'list', {}], { items: [a], total: 1, limit: 20, offset: 0 });
    qc.setQueryData(['instances', 'one', 'i-a'], a);
    patchInstance(qc, { ...a, name: 'renamed', usage: null });
    expect(qc.getQueryData<Instance>(['instances', 'one', 'i-a'])).toMatchObject({ name: 'renamed', usage });
    expect(qc.getQueryData<InstanceList>(['instances', 'list', {}])?.items[0]?.usage).toBe(usage);
    // stopping: the sample no longer applies
    patchInstance(qc, { ...a, status: 'stopping', usage: null });
    expect(qc.getQueryData<Instance>(['instances', 'one', 'i-a'])?.usage).toBeNull();
  });
});
