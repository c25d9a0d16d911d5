import { describe, expect, it } from 'vitest';
import { defaultRetentionText, retainUntilFromDate } from './objectlock.ts';

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
