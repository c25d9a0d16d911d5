import { describe, expect, it } from 'vitest';
import { groupPermissions } from './auth.ts';

describe('groupPermissions', () => {
  it('groups resource:action pairs by resource, sorted', () => {
    expect(groupPermissions(['users:read', 'audit:verify', 'users:create', 'audit:read', 'system'])).toEqual([
      'audit: read, verify',
      'system',
      'users: create, read',
    ]);
    expect(groupPermissions([])).toEqual([]);
  });
});
