import { describe, expect, test } from 'vitest';
import { ApiError } from '../../lib/api/errors.ts';
import { detachConflict } from './api.ts';

describe('detach conflicts', () => {
  test('volume_mounted names the mount point and how to unmount', () => {
    const c = detachConflict(
      new ApiError(409, 'volume_mounted', 'sdb is mounted at /data inside instance i-1 …', {
        mountpoint: '/data',
      }),
      'sdb',
    );
    expect(c).toMatchObject({ code: 'volume_mounted', title: 'sdb is mounted at /data inside the instance' });
    expect(c?.advice).toContain('sudo umount /data');
    expect(c?.message).toContain('i-1');
  });
  test('volume_maybe_mounted says the agent could not tell', () => {
    const c = detachConflict(new ApiError(409, 'volume_maybe_mounted', 'cannot check'), 'sdb');
    expect(c?.title).toBe('ProxiCloud cannot tell whether sdb is still mounted');
    expect(c?.advice).toMatch(/stop the instance/);
  });
  test('anything else is a plain error, not an offer to force', () => {
    expect(detachConflict(new ApiError(409, 'instance_running', 'stop it first'))).toBeNull();
    expect(detachConflict(new ApiError(500, 'volume_mounted', 'x'))).toBeNull();
    expect(detachConflict(null)).toBeNull();
  });
});
