import { describe, expect, it } from 'vitest';
import type { NodeLaunchOptions } from './api.ts';
import { CIDR, GATEWAY, placementChoices } from './placement.ts';

const storage = (storage: string, availGiB: number, vm = true, lxc = true) => ({
  storage,
  type: 'zfspool',
  content: [...(vm ? ['images'] : []), ...(lxc ? ['rootdir'] : [])],
  shared: false,
  vm,
  lxc,
  availBytes: availGiB * 1024 ** 3,
  totalBytes: 1000 * 1024 ** 3,
});
const node = (
  name: string,
  storages: NodeLaunchOptions['storages'],
  bridges: string[],
): NodeLaunchOptions => ({
  node: name,
  status: 'online',
  storages,
  bridges,
});

describe('placementChoices', () => {
  it("offers the node's storages that hold this guest type, most free first, and its bridges", () => {
    const c = placementChoices(
      [
        node(
          'pve1',
          [storage('local', 50, false, false), storage('a', 10), storage('b', 90, false, true)],
          ['vmbr1', 'vmbr0'],
        ),
      ],
      'lxc',
    );
    expect(c.storages.map((s) => s.storage)).toEqual(['b', 'a']);
    expect(c.bridges).toEqual(['vmbr1', 'vmbr0']);
    expect(c.defaultBridge).toBe('vmbr0');
    expect(placementChoices([node('pve1', [storage('b', 90, false, true)], [])], 'vm').storages).toEqual([]);
  });

  it('for automatic placement keeps what every online node has, with the smallest free space', () => {
    const c = placementChoices(
      [
        node('pve1', [storage('a', 10), storage('b', 90)], ['vmbr0', 'vmbr1']),
        node('pve2', [storage('a', 5)], ['vmbr1']),
        { node: 'pve3', status: 'offline', storages: [], bridges: [] },
      ],
      'vm',
    );
    expect(c.storages.map((s) => [s.storage, s.availBytes / 1024 ** 3])).toEqual([['a', 5]]);
    expect(c.bridges).toEqual(['vmbr1']);
    expect(c.defaultBridge).toBe('vmbr1');
    expect(placementChoices([], 'vm')).toEqual({ storages: [], bridges: [], defaultBridge: null });
  });

  it('checks addresses as the API does', () => {
    expect(CIDR.test('192.168.1.50/24')).toBe(true);
    expect(CIDR.test('192.168.1.50')).toBe(false);
    expect(CIDR.test('192.168.1.256/24')).toBe(false);
    expect(CIDR.test('10.0.0.1/33')).toBe(false);
    expect(GATEWAY.test('192.168.1.1')).toBe(true);
    expect(GATEWAY.test('192.168.1.1/24')).toBe(false);
  });
});
