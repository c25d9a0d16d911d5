import { describe, expect, it } from 'vitest';
import {
  formatIpConfig,
  formatLxcNet,
  formatLxcRootfs,
  formatPropertyString,
  formatQemuDisk,
  formatQemuNet,
  parseIpConfig,
  parseLxcNet,
  parseLxcRootfs,
  parsePropertyString,
  parseQemuDisk,
  parseQemuNet,
} from './property-string.ts';

describe('generic property strings', () => {
  it('parses key=value lists with a default key', () => {
    expect(parsePropertyString('local-lvm:vm-100-disk-0,size=32G,ssd=1', 'file')).toEqual({
      file: 'local-lvm:vm-100-disk-0',
      size: '32G',
      ssd: '1',
    });
    expect(parsePropertyString('a=1,,b=x=y')).toEqual({ a: '1', b: 'x=y' });
  });

  it('rejects duplicates, missing keys and empty values', () => {
    expect(() => parsePropertyString('a=1,a=2')).toThrow(/duplicate/);
    expect(() => parsePropertyString('x,y', 'file')).toThrow(/duplicate/);
    expect(() => parsePropertyString('orphan')).toThrow(/without key/);
    expect(() => parsePropertyString('a=')).toThrow(/missing/);
  });

  it('formats with the default key first and refuses commas/newlines', () => {
    expect(
      formatPropertyString({ size: '8G', file: 'local:100/x.qcow2', ssd: true, x: undefined }, 'file'),
    ).toBe('local:100/x.qcow2,size=8G,ssd=1');
    expect(() => formatPropertyString({ name: 'a,b' })).toThrow(/comma/);
    expect(() => formatPropertyString({ name: 'a\nb' })).toThrow(/newline/);
    expect(() => formatPropertyString({ 'bad key': 'x' })).toThrow(/invalid property key/);
    expect(() => formatPropertyString({ name: '' })).toThrow(/empty/);
  });
});

describe('QEMU net[n]', () => {
  it('parses the form GET config returns', () => {
    const n = parseQemuNet('virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1,tag=20');
    expect(n).toEqual({
      model: 'virtio',
      macaddr: 'BC:24:11:2A:3B:4C',
      bridge: 'vmbr0',
      firewall: true,
      tag: 20,
    });
    expect(formatQemuNet(n)).toBe('virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1,tag=20');
  });

  it('parses the create form (model only) and the model=/macaddr= form', () => {
    expect(parseQemuNet('virtio,bridge=vmbr1')).toEqual({ model: 'virtio', bridge: 'vmbr1' });
    expect(parseQemuNet('model=e1000,macaddr=AA:BB:CC:DD:EE:FF')).toEqual({
      model: 'e1000',
      macaddr: 'AA:BB:CC:DD:EE:FF',
    });
    expect(formatQemuNet({ model: 'virtio', bridge: 'vmbr0', firewall: false })).toBe(
      'virtio,bridge=vmbr0,firewall=0',
    );
  });

  it('keeps unknown keys for round trips and rejects unknown models', () => {
    const s = 'vmxnet3=AA:BB:CC:DD:EE:01,bridge=vmbr0,link_down=1,mtu=9000,queues=4,rate=12.5,futurekey=x';
    const n = parseQemuNet(s);
    expect(n.extra).toEqual({ futurekey: 'x' });
    expect(parseQemuNet(formatQemuNet(n))).toEqual(n);
    expect(() => parseQemuNet('bridge=vmbr0')).toThrow(/model/);
    expect(() => parseQemuNet('rtl9999,bridge=vmbr0')).toThrow(/model/);
    expect(() => parseQemuNet('virtio=AA:BB:CC:DD:EE:FF,e1000=AA:BB:CC:DD:EE:FF')).toThrow(/two NIC models/);
  });
});

describe('QEMU disks', () => {
  it('round-trips scsi0 values', () => {
    for (const s of [
      'local-lvm:vm-100-disk-0,size=32G',
      'local-lvm:vm-100-disk-0,discard=on,iothread=1,ssd=1,size=32G',
      'local:iso/debian-12.iso,media=cdrom',
      'local-lvm:0,import-from=local:import/debian-12-genericcloud-amd64.qcow2',
      'local-lvm:cloudinit,media=cdrom',
    ]) {
      const d = parseQemuDisk(s);
      expect(parseQemuDisk(formatQemuDisk(d))).toEqual(d);
    }
    expect(parseQemuDisk('volume=local-lvm:vm-1-disk-0,cache=writeback,serial=abc')).toEqual({
      file: 'local-lvm:vm-1-disk-0',
      cache: 'writeback',
      extra: { serial: 'abc' },
    });
    expect(formatQemuDisk({ file: 'local-lvm:32', ssd: true, discard: 'on' })).toBe(
      'local-lvm:32,discard=on,ssd=1',
    );
    expect(() => parseQemuDisk('size=4G')).toThrow(/volume/);
  });
});

describe('ipconfig[n]', () => {
  it('round-trips static, dhcp and dual-stack configs', () => {
    for (const s of [
      'ip=dhcp',
      'ip=10.0.0.5/24,gw=10.0.0.1',
      'ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto',
      'ip6=fd00::5/64,gw6=fd00::1',
    ]) {
      expect(formatIpConfig(parseIpConfig(s))).toBe(s);
    }
  });
  it('refuses gateways without a static address and unknown keys', () => {
    expect(() => formatIpConfig({ ip: 'dhcp', gw: '10.0.0.1' })).toThrow(/gw requires/);
    expect(() => formatIpConfig({ ip6: 'auto', gw6: 'fd00::1' })).toThrow(/gw6 requires/);
    expect(() => parseIpConfig('ip=dhcp,dns=1.1.1.1')).toThrow(/unknown key/);
  });
});

describe('LXC rootfs and net[n]', () => {
  it('round-trips rootfs', () => {
    const r = parseLxcRootfs('local-zfs:subvol-101-disk-0,size=8G,acl=1,mountoptions=noatime;nodev');
    expect(r).toEqual({
      volume: 'local-zfs:subvol-101-disk-0',
      size: '8G',
      acl: true,
      mountoptions: 'noatime;nodev',
    });
    expect(parseLxcRootfs(formatLxcRootfs(r))).toEqual(r);
    expect(formatLxcRootfs({ volume: 'local-lvm:8' })).toBe('local-lvm:8');
  });

  it('round-trips net0', () => {
    const s =
      'name=eth0,bridge=vmbr0,firewall=1,gw=10.0.0.1,hwaddr=BC:24:11:00:00:01,ip=10.0.0.7/24,tag=5,type=veth';
    const n = parseLxcNet(s);
    expect(n.ip).toBe('10.0.0.7/24');
    expect(n.tag).toBe(5);
    expect(formatLxcNet(n)).toBe(s);
    expect(formatLxcNet({ name: 'eth0', bridge: 'vmbr0', ip: 'dhcp' })).toBe(
      'name=eth0,bridge=vmbr0,ip=dhcp',
    );
    expect(() => parseLxcNet('bridge=vmbr0')).toThrow(/name/);
  });
});
