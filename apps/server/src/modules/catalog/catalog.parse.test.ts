import { describe, expect, it } from 'vitest';
import { fileNameOf, kindOfContent, notLaunchableReason, parseImageName } from './catalog.parse.ts';

describe('parseImageName', () => {
  it.each([
    [
      'debian-12-standard_12.7-1_amd64.tar.zst',
      'lxc-template',
      { os: 'debian', version: '12.7', source: 'proxmox', arch: 'amd64', variant: 'standard' },
    ],
    [
      'ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
      'lxc-template',
      { os: 'ubuntu', version: '24.04', source: 'proxmox' },
    ],
    ['ubuntu-22.04-standard_22.04-1_amd64.tar.zst', 'lxc-template', { os: 'ubuntu', version: '22.04' }],
    [
      'alpine-3.20-default_20240908_amd64.tar.xz',
      'lxc-template',
      { os: 'alpine', version: '3.20', variant: 'default' },
    ],
    [
      'debian-12-turnkey-wordpress_18.0-1_amd64.tar.gz',
      'lxc-template',
      { os: 'debian', version: '12', source: 'turnkey', variant: 'turnkey-wordpress' },
    ],
    [
      'debian-12-genericcloud-amd64.qcow2',
      'cloud-image',
      { os: 'debian', version: '12', source: 'debian-cloud', defaultUser: 'debian' },
    ],
    [
      'noble-server-cloudimg-amd64.img',
      'cloud-image',
      { os: 'ubuntu', version: '24.04', source: 'ubuntu-cloud', defaultUser: 'ubuntu' },
    ],
    ['jammy-server-cloudimg-amd64.img', 'cloud-image', { os: 'ubuntu', version: '22.04' }],
    [
      'ubuntu-24.04-server-cloudimg-arm64.img',
      'cloud-image',
      { os: 'ubuntu', version: '24.04', arch: 'arm64' },
    ],
    [
      'Fedora-Cloud-Base-Generic-41-1.4.x86_64.qcow2',
      'cloud-image',
      { os: 'fedora', version: '41', arch: 'amd64' },
    ],
    [
      'Rocky-9-GenericCloud-Base.latest.x86_64.qcow2',
      'cloud-image',
      { os: 'rocky', version: '9', defaultUser: 'rocky' },
    ],
    [
      'debian-12.8.0-amd64-netinst.iso',
      'iso',
      { os: 'debian', version: '12.8.0', source: 'debian', variant: 'netinst' },
    ],
    [
      'ubuntu-24.04.1-live-server-amd64.iso',
      'iso',
      { os: 'ubuntu', version: '24.04.1', variant: 'live-server' },
    ],
    ['noble-server-cloudimg-amd64.img', 'iso', { os: 'ubuntu', version: '24.04' }],
    [
      'my-golden-image.qcow2',
      'cloud-image',
      { os: 'unknown', version: null, source: 'custom', defaultUser: 'cloud-user' },
    ],
  ] as const)('%s (%s)', (name, kind, expected) => {
    expect(parseImageName(name, kind)).toMatchObject(expected);
  });

  it('maps storage content to catalog kinds', () => {
    expect(kindOfContent('vztmpl', 'local:vztmpl/x.tar.zst')).toBe('lxc-template');
    expect(kindOfContent('import', 'local:import/x.qcow2')).toBe('cloud-image');
    expect(kindOfContent('import', 'local:import/x.ova')).toBeNull();
    expect(kindOfContent('iso', 'local:iso/x.iso')).toBe('iso');
    expect(kindOfContent('iso', 'local:iso/jammy-server-cloudimg-amd64.img')).toBe('cloud-image');
    expect(kindOfContent('iso', 'local:iso/debian-12-genericcloud-amd64.qcow2')).toBe('cloud-image');
    const all = { hostAgent: true, importContent: true };
    expect(notLaunchableReason('iso', 'cloud-image', 'jammy.img', { ...all, hostAgent: false })).toContain(
      'without the SSH host agent',
    );
    expect(
      notLaunchableReason('iso', 'cloud-image', 'jammy.img', { ...all, importContent: false }),
    ).toContain('enable the Import content type');
    expect(notLaunchableReason('iso', 'cloud-image', 'jammy.img', all)).toBeNull();
    expect(
      notLaunchableReason('import', 'cloud-image', 'x.img', { hostAgent: false, importContent: false }),
    ).toBeNull();
    expect(notLaunchableReason('iso', 'iso', 'x.iso', all)).toBeNull();
    expect(kindOfContent('images', 'local-zfs:vm-100-disk-0')).toBeNull();
    expect(fileNameOf('local:import/debian-12-genericcloud-amd64.qcow2')).toBe(
      'debian-12-genericcloud-amd64.qcow2',
    );
  });
});
