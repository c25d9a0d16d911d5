import { describe, expect, it } from 'vitest';
import { healthBadge } from './api.ts';

describe('app health badge', () => {
  it('reads "checking" while the health-check step runs and the probes still fail', () => {
    expect(healthBadge({ status: 'health-check', health: { status: 'unhealthy' } })).toEqual({
      tone: 'neutral',
      label: 'checking',
    });
    expect(healthBadge({ status: 'health-check', health: { status: 'unknown' } }).label).toBe('checking');
  });
  it('shows the real state otherwise', () => {
    expect(healthBadge({ status: 'ready', health: { status: 'unhealthy' } })).toEqual({
      tone: 'red',
      label: 'unhealthy',
    });
    expect(healthBadge({ status: 'health-check', health: { status: 'healthy' } }).tone).toBe('green');
  });
});
