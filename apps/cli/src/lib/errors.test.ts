import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse, ExitCode, exitCodeForStatus, formatError, networkError } from './errors.ts';

describe('exitCodeForStatus', () => {
  it('maps HTTP statuses to the documented exit codes', () => {
    expect([400, 401, 403, 404, 409, 422, 429, 500, 502, 503].map((s) => [s, exitCodeForStatus(s)])).toEqual([
      [400, 7],
      [401, 3],
      [403, 4],
      [404, 5],
      [409, 6],
      [422, 7],
      [429, 8],
      [500, 1],
      [502, 1],
      [503, 1],
    ]);
  });
});

describe('apiErrorFromResponse', () => {
  it('reads the error envelope and prints message, code and request id', () => {
    const res = new Response(null, { status: 409, headers: { 'x-request-id': 'hdr-id' } });
    const err = apiErrorFromResponse(res, {
      error: { code: 'conflict', message: 'Username "bob" is taken', requestId: 'req-1' },
    });
    expect(err.exitCode).toBe(ExitCode.conflict);
    expect(formatError(err)).toBe('Error: Username "bob" is taken (conflict, request id req-1)');
  });

  it('falls back to the status line and the header request id for non-JSON bodies', () => {
    const res = new Response(null, {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'x-request-id': 'r9' },
    });
    const err = apiErrorFromResponse(res, '<html>nginx</html>');
    expect(err.exitCode).toBe(ExitCode.general);
    expect(formatError(err)).toBe('Error: Server answered 502 Bad Gateway (request id r9)');
  });

  it('prints validation details and the Retry-After hint', () => {
    const v = apiErrorFromResponse(new Response(null, { status: 400 }), {
      error: {
        code: 'validation_error',
        message: 'Invalid request body',
        details: { issues: [{ path: '/username', message: 'must match pattern' }] },
        requestId: 'r',
      },
    });
    expect(formatError(v)).toContain('Invalid request body (validation_error, request id r)');
    expect(formatError(v)).toContain('/username: must match pattern');
    const r = apiErrorFromResponse(new Response(null, { status: 429, headers: { 'retry-after': '30' } }), {
      error: { code: 'rate_limited', message: 'Too many attempts', requestId: 'x' },
    });
    expect(r.exitCode).toBe(ExitCode.rateLimited);
    expect(formatError(r)).toContain('Retry after 30 seconds.');
  });
});

describe('networkError', () => {
  it('names the server and the low-level reason', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const err = networkError(new TypeError('fetch failed', { cause }), 'http://127.0.0.1:1');
    expect(err.exitCode).toBe(ExitCode.unreachable);
    expect(err.message).toBe('Cannot reach the server at http://127.0.0.1:1 (connection refused)');
  });
});

describe('formatError with server validation details', () => {
  it('does not repeat issues already in the message', () => {
    const err = apiErrorFromResponse(new Response(null, { status: 400 }), {
      error: {
        code: 'validation_error',
        message: 'Invalid request: body.username must match pattern',
        details: {
          issues: [
            { field: 'body.username', message: 'must match pattern' },
            { field: 'body.role', message: 'is required' },
          ],
        },
        requestId: 'r',
      },
    });
    expect(formatError(err)).toBe(
      'Error: Invalid request: body.username must match pattern (validation_error, request id r)\n' +
        '  issues:\n    - body.role: is required',
    );
  });
});

describe('networkError for TLS problems', () => {
  it('explains how to trust a private CA', () => {
    const cause = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const err = networkError(new TypeError('fetch failed', { cause }), 'https://pc.lan');
    expect(formatError(err)).toBe(
      'Error: Cannot reach the server at https://pc.lan (self-signed TLS certificate) (unreachable)\n' +
        'For a private CA or self-signed certificate, point NODE_EXTRA_CA_CERTS at its PEM file.',
    );
  });
});
