import { describe, expect, it } from 'vitest';
import { encryptionText } from './encryption.ts';

describe('encryptionText', () => {
  it('names each mode', () => {
    expect(encryptionText('AES256')).toContain('SSE-S3');
    expect(encryptionText('SSE-C')).toContain('customer key');
    expect(encryptionText(null)).toBe('None');
    expect(encryptionText(undefined)).toBe('None');
  });
});
