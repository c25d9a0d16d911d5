/**
 * What a simulated VM's VNC screen shows: a title bar, a few lines of boot text, and an input line
 * that echoes the keys the client sends (RFB KeyEvent keysyms). Typed characters are drawn as
 * "barcode" glyphs: in an 8×12 cell, column k (0–6) is lit on rows 2–9 when bit k of the character
 * code is set — recognisable on the canvas and decodable by tests (see `decodeGlyph`).
 */
export const CELL_W = 8;
export const CELL_H = 12;
/** Top-left of the input line. */
export const INPUT_X = 16;
export const INPUT_Y = 32 + 7 * 18;
export const INPUT_COLS = 96;

export const COLORS = {
  title: [0x2b, 0x4f, 0x81],
  text: [0xc0, 0xc0, 0xc0],
  glyph: [0x4a, 0xe0, 0x6a],
  cursor: [0xe0, 0xe0, 0xe0],
  background: [0x10, 0x10, 0x14],
} as const satisfies Record<string, readonly [number, number, number]>;

const KEYSYM_ENTER = 0xff0d;
const KEYSYM_BACKSPACE = 0xff08;

export class GuestScreen {
  /** The characters typed on the input line since the last Enter. */
  line = '';
  /** Lines entered so far (Enter), newest last. */
  readonly history: string[] = [];

  constructor(private readonly vmid: number) {}

  /** A KeyEvent; true when the screen changed. */
  key(down: boolean, keysym: number): boolean {
    if (!down) return false;
    if (keysym === KEYSYM_ENTER) {
      this.history.push(this.line);
      this.line = '';
      return true;
    }
    if (keysym === KEYSYM_BACKSPACE) {
      if (!this.line) return false;
      this.line = this.line.slice(0, -1);
      return true;
    }
    // Latin-1 keysyms are the characters themselves; Unicode keysyms are 0x01000000 + code point
    const code = keysym >= 0x20 && keysym <= 0xff ? keysym : keysym >= 0x1000100 ? keysym - 0x1000000 : -1;
    if (code < 0x20 || code > 0x7e) return false;
    if (this.line.length >= INPUT_COLS) this.line = '';
    this.line += String.fromCharCode(code);
    return true;
  }

  color(x: number, y: number, frame: number): readonly [number, number, number] {
    if (y < 24) return COLORS.title;
    if (y >= INPUT_Y && y < INPUT_Y + CELL_H && x >= INPUT_X) {
      const col = Math.floor((x - INPUT_X) / CELL_W);
      const cx = (x - INPUT_X) % CELL_W;
      const cy = y - INPUT_Y;
      if (col < this.line.length) {
        const code = this.line.charCodeAt(col);
        return cx < 7 && cy >= 2 && cy < 10 && (code >> cx) & 1 ? COLORS.glyph : COLORS.background;
      }
      if (col === this.line.length && frame % 2 === 0 && cx < 7) return COLORS.cursor;
      return COLORS.background;
    }
    const row = Math.floor((y - 32) / 18);
    const inText =
      y >= 32 &&
      (y - 32) % 18 < 12 &&
      row < 6 &&
      x >= 16 &&
      x < 16 + ((this.vmid * 37 + row * 113) % 520) + 80;
    if (inText && (x >> 2) % 3 !== 2) return COLORS.text;
    return COLORS.background;
  }
}

/** The character drawn in an 8×12 glyph cell, given a pixel test (lit = glyph colour). */
export function decodeGlyph(lit: (cx: number, cy: number) => boolean): string {
  let code = 0;
  for (let k = 0; k < 7; k++) if (lit(k, 5)) code |= 1 << k;
  return code ? String.fromCharCode(code) : '';
}
