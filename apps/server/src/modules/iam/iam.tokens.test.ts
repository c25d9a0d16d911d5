import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { TokenSigner } from './iam.tokens.ts';

const secret = new Uint8Array(Buffer.from('a-test-jwt-secret-of-at-least-32-bytes!!'));

describe('TokenSigner.verify cache', () => {
  it('answers a repeated token from the cache but still refuses it once expired', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const signer = new TokenSigner(secret, 60, clock);
    const token = await signer.sign('usr-1', 'admin', 'ses-1');
    const first = await signer.verify(token);
    expect(first).toMatchObject({ sub: 'usr-1', role: 'admin', sid: 'ses-1' });
    expect(await signer.verify(token)).toBe(first); // the cached object
    clock.advance(59_000);
    expect(await signer.verify(token)).toBe(first);
    clock.advance(1_000); // exp reached
    await expect(signer.verify(token)).rejects.toThrow('Access token expired');
    await expect(signer.verify(token)).rejects.toThrow('Access token expired');
  });

  it('never caches a refusal or a token signed with another key', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const signer = new TokenSigner(secret, 60, clock);
    const other = new TokenSigner(
      new Uint8Array(Buffer.from('another-secret-of-at-least-32-bytes-long')),
      60,
      clock,
    );
    const forged = await other.sign('usr-1', 'admin', 'ses-1');
    await expect(signer.verify(forged)).rejects.toThrow('Invalid access token');
    await expect(signer.verify(forged)).rejects.toThrow('Invalid access token');
    const good = await signer.sign('usr-1', 'admin', 'ses-1');
    const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
    await signer.verify(good);
    await expect(signer.verify(tampered)).rejects.toThrow('Invalid access token');
  });
});
