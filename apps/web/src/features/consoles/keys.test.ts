import { describe, expect, it } from 'vitest';
import { COMBOS, comboEvents, KEY, keysymOf, textEvents } from './keys.ts';

describe('console keys', () => {
  it('presses combinations modifiers first and releases them in reverse', () => {
    const cad = COMBOS.find((c) => c.label === 'Ctrl+Alt+Del')!;
    expect(comboEvents(cad.keys)).toEqual([
      [KEY.Control, true],
      [KEY.Alt, true],
      [KEY.Delete, true],
      [KEY.Delete, false],
      [KEY.Alt, false],
      [KEY.Control, false],
    ]);
  });

  it('types text as keysyms: ASCII and Latin-1 as themselves, Unicode as 0x01000000 + code point', () => {
    expect(keysymOf('a')).toBe(0x61);
    expect(keysymOf('é')).toBe(0xe9);
    expect(keysymOf('€')).toBe(0x010020ac);
    expect(keysymOf('\n')).toBe(KEY.Return);
    expect(textEvents('a\r\nb').map(([k]) => k)).toEqual([0x61, 0x61, KEY.Return, KEY.Return, 0x62, 0x62]);
  });
});
