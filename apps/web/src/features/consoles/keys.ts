/** X11 keysyms (what RFB KeyEvents carry) for the toolbar's key combinations and the paste dialog. */
export const KEY = {
  Control: 0xffe3,
  Alt: 0xffe9,
  Super: 0xffeb,
  Shift: 0xffe1,
  Delete: 0xffff,
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
  F1: 0xffbe,
} as const;

export interface KeyCombo {
  label: string;
  keys: number[];
}

export const COMBOS: KeyCombo[] = [
  { label: 'Ctrl+Alt+Del', keys: [KEY.Control, KEY.Alt, KEY.Delete] },
  ...[1, 2, 3, 7].map((n) => ({ label: `Ctrl+Alt+F${n}`, keys: [KEY.Control, KEY.Alt, KEY.F1 + n - 1] })),
  { label: 'Alt+Tab', keys: [KEY.Alt, KEY.Tab] },
  { label: 'Ctrl+C', keys: [KEY.Control, 0x63] },
  { label: 'Ctrl+D', keys: [KEY.Control, 0x64] },
  { label: 'Esc', keys: [KEY.Escape] },
  { label: 'Tab', keys: [KEY.Tab] },
  { label: 'Super (Windows key)', keys: [KEY.Super] },
];

/** The keysym that types one character (Latin-1 directly, the rest as Unicode keysyms). */
export function keysymOf(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch === '\n' || ch === '\r') return KEY.Return;
  if (ch === '\t') return KEY.Tab;
  if (ch === '\b') return KEY.BackSpace;
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return 0x01000000 + cp;
}

/** Key events (keysym, down) that press a combination: modifiers down in order, released in reverse. */
export function comboEvents(keys: number[]): [number, boolean][] {
  return [
    ...keys.map((k): [number, boolean] => [k, true]),
    ...[...keys].reverse().map((k): [number, boolean] => [k, false]),
  ];
}

/** Key events that type a text (CRLF counts once). */
export function textEvents(text: string): [number, boolean][] {
  const out: [number, boolean][] = [];
  for (const ch of text.replace(/\r\n/g, '\n')) {
    const k = keysymOf(ch);
    out.push([k, true], [k, false]);
  }
  return out;
}
