import { describe, expect, it } from 'vitest';
import { formatUpid, isUpid, parseUpid } from './upid.ts';

describe('UPID', () => {
  it('parses the documented example', () => {
    const u = parseUpid('UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:');
    expect(u).toEqual({
      node: 'pve1',
      pid: 0x10d94,
      pstart: 0x1ca6ea,
      starttime: 0x6124e1b9,
      type: 'vzdump',
      id: '100',
      user: 'root@pam',
    });
  });

  it('parses token users and empty ids', () => {
    const u = parseUpid('UPID:node-2:0000ABCD:00000001:65F00000:qmstart:101:root@pam!ci:');
    expect(u.user).toBe('root@pam!ci');
    expect(parseUpid('UPID:pve:00000001:00000002:00000003:srvreload::root@pam:').id).toBe('');
  });

  it('accepts what PVE accepts: lower-case hex and a 9-digit pstart (uptime > 497 days)', () => {
    expect(parseUpid('UPID:pve1:00010d94:001ca6ea:6124e1b9:vzdump:100:root@pam:').pid).toBe(0x10d94);
    const u = parseUpid('UPID:pve1:00010D94:1001CA6EA:6124E1B9:imgdel:100@local-lvm:root@pam:');
    expect(u.pstart).toBe(0x1001ca6ea);
    expect(u.id).toBe('100@local-lvm');
    expect(formatUpid(u)).toBe('UPID:pve1:00010D94:1001CA6EA:6124E1B9:imgdel:100@local-lvm:root@pam:');
  });

  it('round-trips', () => {
    const s = 'UPID:pve3:0012F00D:0ABCDEF0:6601A2B3:qmcreate:105:svc@pve!proxicloud:';
    expect(formatUpid(parseUpid(s))).toBe(s);
    const u = {
      node: 'a',
      pid: 1,
      pstart: 2,
      starttime: 1_700_000_000,
      type: 'vzcreate',
      id: '200',
      user: 'u@pve',
    };
    expect(parseUpid(formatUpid(u))).toEqual(u);
    expect(formatUpid(u)).toBe('UPID:a:00000001:00000002:6553F100:vzcreate:200:u@pve:');
  });

  it('rejects malformed ids', () => {
    for (const bad of [
      '',
      'UPID:pve1:10D94:001CA6EA:6124E1B9:vzdump:100:root@pam:', // pid too short
      'UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam', // no trailing colon
      'upid:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:',
      'UPID:pve 1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:',
      'UPID:pve1:00010D94:001CA6EA:6124E1B9:imgdel:local-lvm:vm-1-disk-0:root@pam:', // ':' in id
      'UPID:pve.example:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:', // node is a short name
    ]) {
      expect(isUpid(bad)).toBe(false);
      expect(() => parseUpid(bad)).toThrow(/UPID/);
    }
  });

  it('refuses to format out-of-range or unsafe fields', () => {
    const base = {
      node: 'pve',
      pid: 1,
      pstart: 1,
      starttime: 1,
      type: 'qmstart',
      id: '100',
      user: 'root@pam',
    };
    expect(() => formatUpid({ ...base, pid: -1 })).toThrow(RangeError);
    expect(() => formatUpid({ ...base, starttime: 2 ** 32 })).toThrow(RangeError);
    expect(() => formatUpid({ ...base, id: 'a:b' })).toThrow(TypeError);
    expect(() => formatUpid({ ...base, user: '' })).toThrow(TypeError);
  });
});
