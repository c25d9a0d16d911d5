import { describe, expect, test } from 'vitest';
import { parseTags } from './tags.ts';

describe('parseTags', () => {
  test('reads key=value lines, trims, ignores blank lines, allows bare keys', () => {
    expect(parseTags(' env = dev \n\nowner=me=you\nflag')).toEqual({
      tags: { env: 'dev', owner: 'me=you', flag: '' },
      error: null,
    });
  });
  test('refuses invalid keys, long values and more than 20 tags', () => {
    expect(parseTags('-bad=1').error).toBe('"-bad" is not a valid tag key.');
    expect(parseTags('=x').error).toBe('"" is not a valid tag key.');
    expect(parseTags(`k=${'v'.repeat(257)}`).error).toMatch(/longer than 256/);
    const many = Array.from({ length: 21 }, (_, i) => `k${i}=v`).join('\n');
    expect(parseTags(many).error).toBe('At most 20 tags.');
    expect(parseTags(many.split('\n').slice(0, 20).join('\n')).error).toBeNull();
  });
});
