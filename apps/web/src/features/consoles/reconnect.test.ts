import { describe, expect, it } from 'vitest';
import { closeText, MAX_ATTEMPTS, reconnectDelayMs, shouldReconnect } from './reconnect.ts';

describe('console reconnect policy', () => {
  it('retries lost connections but not the final closes', () => {
    expect(shouldReconnect(1006, 0)).toBe(true);
    expect(shouldReconnect(1011, 2)).toBe(true);
    expect(shouldReconnect(1001, 0)).toBe(true);
    for (const code of [1000, 4000, 4001, 4002, 4003]) expect(shouldReconnect(code, 0)).toBe(false);
    expect(shouldReconnect(1006, MAX_ATTEMPTS)).toBe(false);
  });

  it('backs off exponentially up to 30 s with jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => reconnectDelayMs(a, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(reconnectDelayMs(0, () => 0)).toBe(800);
    expect(reconnectDelayMs(0, () => 1)).toBe(1200);
  });

  it('explains closes', () => {
    expect(closeText(4002, 'the instance stopped')).toBe('The instance stopped');
    expect(closeText(1006, '')).toBe('The connection was lost');
  });
});
