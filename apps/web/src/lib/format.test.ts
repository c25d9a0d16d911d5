import { describe, expect, it } from 'vitest';
import { formatBytes } from './format.ts';

describe('formatBytes', () => {
  it('shows bytes as they are and larger sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatBytes(120 * 1024 ** 2)).toBe('120 MiB');
    expect(formatBytes(2048 * 1024 ** 4)).toBe('2048 TiB');
  });

  it('drops the decimal from wholeFrom on', () => {
    expect(formatBytes(17 * 1024 ** 2)).toBe('17 MiB');
    expect(formatBytes(17 * 1024 ** 2, { wholeFrom: 100 })).toBe('17.0 MiB');
    expect(formatBytes(300 * 1024 ** 3, { wholeFrom: 100 })).toBe('300 GiB');
  });
});
