import { describe, expect, it } from 'vitest';
import { defaultRetentionText, deleteGate, retainUntilFromDate } from './objectlock.ts';

describe('object lock helpers', () => {
  it('describes the default retention', () => {
    expect(defaultRetentionText(undefined)).toBeNull();
    expect(defaultRetentionText({ bucket: 'b', enabled: false, defaultRetention: null })).toBeNull();
    expect(defaultRetentionText({ bucket: 'b', enabled: true, defaultRetention: null })).toBe(
      'no default retention',
    );
    expect(
      defaultRetentionText({
        bucket: 'b',
        enabled: true,
        defaultRetention: { mode: 'COMPLIANCE', days: 30 },
      }),
    ).toBe('compliance, 30 days');
    expect(
      defaultRetentionText({
        bucket: 'b',
        enabled: true,
        defaultRetention: { mode: 'GOVERNANCE', years: 1 },
      }),
    ).toBe('governance, 1 year');
  });

  it('turns a date input into the end of that day (UTC)', () => {
    expect(retainUntilFromDate('2027-03-01')).toBe('2027-03-01T23:59:59.000Z');
    expect(retainUntilFromDate('')).toBeNull();
    expect(retainUntilFromDate('tomorrow')).toBeNull();
  });
});

describe('deleteGate', () => {
  const now = Date.parse('2026-12-07T00:00:00Z');
  const future = '2027-01-01T00:00:00.000Z';
  const past = '2026-01-01T00:00:00.000Z';
  it('allows versions without a lock, or with an expired retention', () => {
    expect(deleteGate(undefined, now, false)).toEqual({ disabled: false, bypass: false, reason: null });
    expect(deleteGate({ retention: null, legalHold: null }, now, false).disabled).toBe(false);
    expect(
      deleteGate({ retention: { mode: 'COMPLIANCE', retainUntil: past }, legalHold: false }, now, false),
    ).toEqual({ disabled: false, bypass: false, reason: null });
  });
  it('blocks a legal hold for everyone', () => {
    expect(deleteGate({ retention: null, legalHold: true }, now, true)).toEqual({
      disabled: true,
      bypass: false,
      reason: 'Legal hold',
    });
  });
  it('blocks COMPLIANCE for everyone, GOVERNANCE for all but bypassers', () => {
    const compliance = { retention: { mode: 'COMPLIANCE' as const, retainUntil: future }, legalHold: null };
    expect(deleteGate(compliance, now, true)).toEqual({
      disabled: true,
      bypass: false,
      reason: `Locked until ${future} (COMPLIANCE)`,
    });
    const governance = { retention: { mode: 'GOVERNANCE' as const, retainUntil: future }, legalHold: false };
    expect(deleteGate(governance, now, false)).toEqual({
      disabled: true,
      bypass: false,
      reason: `Locked until ${future} (GOVERNANCE)`,
    });
    expect(deleteGate(governance, now, true, () => '1 Jan 2027')).toEqual({
      disabled: false,
      bypass: true,
      reason: 'Locked until 1 Jan 2027 (GOVERNANCE)',
    });
  });
});
