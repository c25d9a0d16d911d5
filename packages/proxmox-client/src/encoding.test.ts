import { describe, expect, it } from 'vitest';
import {
  decodeSshKeys,
  encodeForm,
  encodeSshKeys,
  formatMemory,
  parseMemory,
  parseVmid,
  toWireParams,
} from './encoding.ts';

const KEY1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq+/Zx9= alice@laptop';
const KEY2 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob@host';

describe('form encoding', () => {
  it('turns booleans into 0/1, drops undefined/null, repeats array keys', () => {
    const wire = toWireParams({
      a: true,
      b: false,
      c: 5,
      d: 'x y',
      e: undefined,
      f: null,
      g: ['1', 2, true],
    });
    expect(wire).toEqual({ a: '1', b: '0', c: '5', d: 'x y', g: ['1', '2', '1'] });
    expect(encodeForm(wire)).toBe('a=1&b=0&c=5&d=x%20y&g=1&g=2&g=1');
  });

  it('refuses objects and non-finite numbers', () => {
    expect(() => toWireParams({ net0: { bridge: 'vmbr0' } })).toThrow(/property strings/);
    expect(() => toWireParams({ cores: Number.NaN })).toThrow(/finite/);
  });
});

describe('sshkeys (format urlencoded)', () => {
  it('encodes keys with %20 and joins them with %0A', () => {
    const enc = encodeSshKeys([KEY1, KEY2]);
    expect(enc).toBe(encodeURIComponent(`${KEY1}\n${KEY2}`));
    expect(enc).toContain('%20');
    expect(enc).toContain('%0A');
    expect(enc).not.toContain('+');
    expect(enc).not.toContain(' ');
    // PVE's check for the urlencoded format
    expect(enc).toMatch(/^[-%a-zA-Z0-9_.!~*'()]*$/);
  });

  it('is double-encoded in the form body, as PVE expects', () => {
    const body = encodeForm(toWireParams({ sshkeys: encodeSshKeys(KEY1) }));
    // the %20 of the value becomes %2520 on the wire
    expect(body).toContain('%2520');
    expect(body).not.toContain('%20alice');
    const once = decodeURIComponent(body.slice('sshkeys='.length));
    expect(decodeURIComponent(once)).toBe(KEY1);
  });

  it('accepts a multi-line string, trims blank lines, and round-trips', () => {
    const enc = encodeSshKeys(`\n${KEY1}\r\n\n${KEY2}\n`);
    expect(decodeSshKeys(enc)).toEqual([KEY1, KEY2]);
    expect(decodeSshKeys(undefined)).toEqual([]);
  });
});

describe('memory and vmid', () => {
  it('parses memory property strings', () => {
    expect(parseMemory('2048')).toBe(2048);
    expect(parseMemory('current=4096')).toBe(4096);
    expect(parseMemory(1024)).toBe(1024);
    expect(parseMemory(undefined)).toBeUndefined();
    expect(() => parseMemory('lots')).toThrow();
    expect(formatMemory(2048)).toBe('2048');
    expect(() => formatMemory(8)).toThrow(RangeError);
  });

  it('turns nextid strings into numbers', () => {
    expect(parseVmid('100')).toBe(100);
    expect(parseVmid(123)).toBe(123);
    expect(() => parseVmid('99')).toThrow();
    expect(() => parseVmid('1e3')).toThrow();
    expect(() => parseVmid(null)).toThrow();
  });
});
