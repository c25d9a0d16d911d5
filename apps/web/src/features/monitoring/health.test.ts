import { describe, expect, it } from 'vitest';
import { healthOf } from './health.ts';

describe('health map colours', () => {
  it('green < 70 %, yellow 70–90 %, red > 90 % or unreachable, grey without a value', () => {
    expect(healthOf(0, true)).toBe('green');
    expect(healthOf(69.9, true)).toBe('green');
    expect(healthOf(70, true)).toBe('yellow');
    expect(healthOf(90, true)).toBe('yellow');
    expect(healthOf(90.1, true)).toBe('red');
    expect(healthOf(10, false)).toBe('red');
    expect(healthOf(null, true)).toBe('grey');
  });
});
