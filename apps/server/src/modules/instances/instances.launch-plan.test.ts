import { describe, expect, it } from 'vitest';
import type { CatalogImage } from '../catalog/index.ts';
import {
  checkLaunchInput,
  type LaunchInput,
  type LaunchTarget,
  planLaunch,
  sizeLaunch,
} from './instances.launch-plan.ts';

const image = (over: Partial<CatalogImage> = {}): CatalogImage => ({
  id: 'local:import/debian-12-genericcloud-amd64.qcow2',
  name: 'debian-12-genericcloud-amd64.qcow2',
  kind: 'cloud-image',
  instanceType: 'vm',
  launchable: true,
  note: null,
  os: 'debian',
  version: '12',
  source: 'import',
  arch: 'amd64',
  variant: 'genericcloud',
  defaultUser: 'debian',
  format: 'qcow2',
  sizeBytes: 1,
  storage: 'local',
  nodes: ['pve1'],
  ...over,
});
const vm: LaunchInput = { name: 'web-1', type: 'vm', template: 'debian-12' };
const agent = { hostAgent: () => true };
const t: LaunchTarget = { image: image(), node: 'pve1', storage: 'local-zfs', bridge: 'vmbr0' };
const sizing = sizeLaunch(vm, 't.nano', { name: 't.nano', vcpu: 1, memory: 512, sizeGib: 4 });
const base = { id: 'i-0123456789abcdef0', ownerId: 'usr-1', now: '2026-01-01T00:00:00.000Z', keyPairIds: [] };
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return null;
};

describe('launch planner', () => {
  it('checks the request alone: user-data rules, the instance type to look up', () => {
    expect(checkLaunchInput(vm, agent)).toBe('t.small');
    expect(checkLaunchInput({ ...vm, vcpu: 2 }, agent)).toBeNull();
    expect(checkLaunchInput({ ...vm, instanceType: 't.large', vcpu: 2 }, agent)).toBe('t.large');
    expect(codeOf(() => checkLaunchInput({ ...vm, type: 'lxc', userData: '#cloud-config\n' }, agent))).toBe(
      'user_data_not_applicable',
    );
    expect(
      codeOf(() => checkLaunchInput({ ...vm, userData: '#cloud-config\n' }, { hostAgent: () => false })),
    ).toBe('host_agent_required');
    // the host agent is asked only when user-data is given
    expect(
      checkLaunchInput(vm, {
        hostAgent: () => {
          throw new Error('asked');
        },
      }),
    ).toBe('t.small');
  });

  it('sizes from the request over the type; refuses an unknown type and a bad static address', () => {
    expect(
      sizeLaunch({ ...vm, memory: 2048 }, 't.nano', { name: 't.nano', vcpu: 1, memory: 512, sizeGib: 4 }),
    ).toEqual({
      instanceType: 't.nano',
      vcpu: 1,
      memory: 2048,
      sizeGb: 4,
      network: { mode: 'dhcp' },
    });
    expect(codeOf(() => sizeLaunch(vm, 't.huge', null))).toBe('unknown_instance_type');
    expect(
      codeOf(() =>
        sizeLaunch({ ...vm, vcpu: 1, network: { mode: 'static', address: '10.0.0.5' } }, null, null),
      ),
    ).toBe('validation_error');
  });

  it('a placed launch: row on the target, the login user of the image, rendered user-data, its steps', () => {
    const plan = planLaunch({
      ...base,
      input: { ...vm, userData: '#cloud-config\npackages: [htop]\n' },
      sizing,
      sshKeys: ['ssh-ed25519 AAAA me'],
      target: {
        ...t,
        snippet: { storage: 'local', path: '/var/lib/vz/snippets/x.yaml', volid: 'local:snippets/x.yaml' },
      },
    });
    expect(plan.row).toMatchObject({
      node: 'pve1',
      storage: 'local-zfs',
      bridge: 'vmbr0',
      template: t.image.id,
      os: 'debian 12',
      username: 'debian',
      status: 'pending',
      memory_mib: 512,
    });
    expect(plan.params.deferred).toBeUndefined();
    expect(plan.params.userData?.content).toContain('htop');
    expect(plan.params.userData?.content).toContain('ssh-ed25519 AAAA me');
    expect(plan.steps.map((s) => s.name)).toEqual([
      'user-data',
      'allocate',
      'create',
      'resize',
      'start',
      'network',
    ]);
    expect(plan.details).toMatchObject({ node: 'pve1', userData: { snippet: 'local:snippets/x.yaml' } });
  });

  it('an installer ISO: no keys, no user-data (refused), source iso', () => {
    const iso = { ...t, image: image({ kind: 'iso', id: 'local:iso/debian.iso' }) };
    const plan = planLaunch({ ...base, input: vm, sizing, sshKeys: ['k'], target: iso });
    expect(plan.params).toMatchObject({ source: 'iso', sshKeys: [] });
    expect(plan.row.username).toBeNull();
    expect(
      codeOf(() =>
        planLaunch({ ...base, input: { ...vm, userData: '#!/bin/sh\n' }, sizing, sshKeys: [], target: iso }),
      ),
    ).toBe('user_data_not_applicable');
  });

  it('a deferred launch: unplaced row, what the place step needs, place and import-link steps first', () => {
    const input: LaunchInput = {
      ...vm,
      bridge: 'vmbr1',
      user: 'admin',
      userData: '#cloud-config\n',
      start: false,
    };
    const plan = planLaunch({ ...base, input, sizing, sshKeys: ['k'], target: null });
    expect(plan.row).toMatchObject({
      node: null,
      storage: '',
      bridge: 'vmbr1',
      template: 'debian-12',
      os: null,
      username: 'admin',
    });
    expect(plan.params).toEqual({
      start: false,
      sshKeys: ['k'],
      deferred: { template: 'debian-12', bridge: 'vmbr1', user: 'admin', userData: '#cloud-config\n' },
    });
    expect(plan.steps.map((s) => s.name)).toEqual([
      'place',
      'import-link',
      'user-data',
      'allocate',
      'create',
      'resize',
      'start',
      'network',
    ]);
    const ct = planLaunch({
      ...base,
      input: { ...vm, type: 'lxc', node: 'pve2' },
      sizing,
      sshKeys: [],
      target: null,
    });
    expect(ct.row).toMatchObject({ node: 'pve2', username: null });
    expect(ct.steps.map((s) => s.name)).toEqual(['place', 'allocate', 'create', 'start', 'network']);
    expect(plan.details).toMatchObject({ placement: 'deferred' });
  });
});
