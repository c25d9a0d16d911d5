import { describe, expect, test } from 'vitest';
import { ApiError } from '../../lib/api/errors.ts';
import { isUserDataError, userDataProblem } from './userData.ts';

describe('cloud-init user-data in the wizard', () => {
  test('accepts what the API accepts, empty included', () => {
    expect(userDataProblem('')).toBeNull();
    expect(userDataProblem('  \n')).toBeNull();
    expect(userDataProblem('#cloud-config\npackages: [htop]\n')).toBeNull();
    expect(userDataProblem('#!/bin/sh\necho hi\n')).toBeNull();
    expect(userDataProblem('\uFEFF#cloud-boothook\n')).toBeNull();
    expect(userDataProblem('#include\nhttps://example.test/x\n')).toBeNull();
  });
  test('refuses an unknown first line and more than 64 KiB', () => {
    expect(userDataProblem('packages: [htop]')).toMatch(/first line must start with #cloud-config/);
    expect(userDataProblem(' #cloud-config')).toMatch(/first line/);
    expect(userDataProblem(`#cloud-config\n${'x'.repeat(64 * 1024)}`)).toMatch(/64 KiB/);
  });
  test("the API's 422 about user-data goes under the field; other errors do not", () => {
    expect(isUserDataError(new ApiError(422, 'user_data_invalid', 'userData must start with …'))).toBe(true);
    expect(isUserDataError(new ApiError(422, 'host_agent_required', 'no host agent'))).toBe(true);
    expect(isUserDataError(new ApiError(422, 'host_agent_unavailable', 'cannot reach pve1'))).toBe(true);
    expect(isUserDataError(new ApiError(422, 'no_snippets_storage', 'no snippets'))).toBe(true);
    expect(isUserDataError(new ApiError(422, 'quota_exceeded', 'over quota'))).toBe(false);
    expect(isUserDataError(new ApiError(409, 'user_data_invalid', 'x'))).toBe(false);
    expect(isUserDataError(new Error('network'))).toBe(false);
  });
});
