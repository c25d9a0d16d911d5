import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from './backoff.ts';
import { apiErrorFromResponse, ProxmoxApiError, ProxmoxAuthError, ProxmoxTaskError } from './errors.ts';

describe('error mapping', () => {
  const ref = { method: 'POST', path: '/nodes/pve1/qemu' };

  it('maps a 400 parameter error with per-parameter errors', () => {
    const e = apiErrorFromResponse(ref, 400, 'Parameter verification failed.', {
      data: null,
      errors: { vmid: 'VM 100 already exists\n', memory: 'value must have a minimum value of 16' },
    });
    expect(e).toBeInstanceOf(ProxmoxApiError);
    expect(e).not.toBeInstanceOf(ProxmoxAuthError);
    expect(e.status).toBe(400);
    expect(e.pveMessage).toBe('Parameter verification failed.');
    expect(e.errors).toEqual({
      vmid: 'VM 100 already exists',
      memory: 'value must have a minimum value of 16',
    });
    expect(e.message).toContain('vmid: VM 100 already exists');
    expect(e.method).toBe('POST');
    expect(e.path).toBe('/nodes/pve1/qemu');
  });

  it('maps a 500 whose message is only in the status line', () => {
    const e = apiErrorFromResponse(ref, 500, 'VM 100 is locked (create)', { data: null });
    expect(e.pveMessage).toBe('VM 100 is locked (create)');
    expect(e.errors).toEqual({});
  });

  it('prefers a body message, falls back to text or the status', () => {
    expect(apiErrorFromResponse(ref, 500, 'x', { message: 'from body\n' }).pveMessage).toBe('from body');
    expect(apiErrorFromResponse(ref, 502, '', 'Bad Gateway page').pveMessage).toBe('Bad Gateway page');
    expect(apiErrorFromResponse(ref, 503, undefined, undefined).pveMessage).toBe('HTTP 503');
  });

  it('maps 401 to ProxmoxAuthError', () => {
    const e = apiErrorFromResponse({ method: 'GET', path: '/version' }, 401, 'authentication failure', {
      data: null,
    });
    expect(e).toBeInstanceOf(ProxmoxAuthError);
    expect(e).toBeInstanceOf(ProxmoxApiError);
  });

  it('task errors carry node, upid, exit status and the log tail', () => {
    const e = new ProxmoxTaskError({
      node: 'pve2',
      upid: 'UPID:pve2:00000001:00000002:00000003:qmstart:100:root@pam:',
      exitstatus: 'start failed: QEMU exited with code 1',
      logTail: ['kvm: -drive ...: Could not open', 'TASK ERROR: start failed'],
    });
    expect(e.message).toContain('pve2');
    expect(e.message).toContain('start failed: QEMU exited with code 1');
    expect(e.message).toContain('TASK ERROR: start failed');
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap', () => {
    const opts = { baseMs: 100, maxMs: 2000, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, opts))).toEqual([
      100, 200, 400, 800, 1600, 2000, 2000,
    ]);
  });

  it('applies jitter within [bound*(1-j), bound]', () => {
    const lo = backoffDelay(3, { baseMs: 100, maxMs: 10_000, jitter: 0.5, random: () => 0 });
    const hi = backoffDelay(3, { baseMs: 100, maxMs: 10_000, jitter: 0.5, random: () => 0.999999 });
    expect(lo).toBe(400);
    expect(hi).toBe(800);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2, { baseMs: 100, maxMs: 10_000 });
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });

  it('sleep is abortable', async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal);
    c.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
});
