import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/errors.ts';
import { withDetachHint } from './volumes.ts';

describe('volumes detach error hints', () => {
  it('volume_mounted: names the mountpoint to unmount and the --force escape', () => {
    const e = withDetachHint(
      new ApiError(409, '/dev/sdb is mounted at /srv/data inside instance i-1', {
        code: 'volume_mounted',
        details: { mountpoint: '/srv/data', device: '/dev/sdb' },
      }),
      'data',
    ) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.exitCode).toBe(6);
    expect(e.code).toBe('volume_mounted');
    expect(e.hint).toContain('sudo umount /srv/data');
    expect(e.hint).toContain('proxicloud volumes detach data --force');
  });
  it('volume_maybe_mounted: explains that the guest agent could not tell', () => {
    const e = withDetachHint(
      new ApiError(409, 'cannot check', { code: 'volume_maybe_mounted', details: { device: '/dev/sdc' } }),
      'logs',
    ) as ApiError;
    expect(e.hint).toContain('could not tell whether /dev/sdc is mounted');
    expect(e.hint).toContain('proxicloud volumes detach logs --force');
  });
  it('leaves other errors alone', () => {
    const other = new ApiError(409, 'busy', { code: 'volume_busy' });
    expect(withDetachHint(other, 'data')).toBe(other);
  });
});
