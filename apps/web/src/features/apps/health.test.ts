import { describe, expect, it } from 'vitest';
import { healthBadge, memoryLabel } from './api.ts';

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

describe('memory label', () => {
  it('says GiB from 1 GiB up, as the catalogue cards do', () => {
    expect(memoryLabel(2048)).toBe('2 GiB');
    expect(memoryLabel(512)).toBe('512 MiB');
  });
});
