import { ApiError } from '../../lib/api/errors.ts';

const USER_DATA_CODES = /^(user_data_|host_agent_|no_snippets_storage$)/;
const USER_DATA_START = /^(#cloud-config|#!|#cloud-boothook|#include)/;

/**
 * What the API would refuse in cloud-init user-data, checked while you type (empty is fine): at most
 * 64 KiB, and the first line (after a byte-order mark) starts with a format cloud-init recognises.
 */
export function userDataProblem(text: string): string | null {
  if (!text.trim()) return null;
  if (new TextEncoder().encode(text).length > 64 * 1024) return 'At most 64 KiB of user-data.';
  if (!USER_DATA_START.test(text.replace(/^\uFEFF/, '')))
    return 'The first line must start with #cloud-config (YAML), #! (a script), #cloud-boothook or #include.';
  return null;
}

/** A 422 of the launch about the user-data (its message belongs under the field). */
export function isUserDataError(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 422 && USER_DATA_CODES.test(e.code);
}
