import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// Colour utilities with a name that neither the theme (index.css) nor Tailwind's palette defines
// generate no CSS: `text-accent` links looked like plain text, `border-border` fell back to
// currentColor. Every semantic colour a component uses must be a theme token.
const src = join(import.meta.dirname, '..');
const css = readFileSync(join(src, 'index.css'), 'utf8');
const tokens = new Set([...css.matchAll(/--color-([a-z][a-z-]*):/g)].map((m) => m[1]));

const PALETTE =
  /^(red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose|slate|gray|zinc|neutral|stone)-\d{2,3}$/;
const KEYWORDS = new Set(['white', 'black', 'transparent', 'current', 'inherit']);
// The colour-bearing utilities whose names clash with nothing else (text-sm, border-b are not colours)
const COLOUR_UTILITY =
  /(?<![\w-])(text|bg|border|ring|divide|fill|stroke|outline)-([a-z][a-z0-9-]*)(?![\w-])/g;
const NOT_COLOURS: Record<string, RegExp> = {
  text: /^(xs|sm|base|lg|[2-9]?xl|left|right|center|justify|start|end|wrap|nowrap|balance|pretty|ellipsis|clip)$/,
  bg: /^(fixed|local|scroll|clip-.*|origin-.*|none|cover|contain|auto|center|top|bottom|left|right|repeat.*|no-repeat|gradient-.*|linear-.*|radial|conic)$/,
  border:
    /^([trblxyse]|[trblxyse]-\d+|\d+|solid|dashed|dotted|double|hidden|none|collapse|separate|spacing.*)$/,
  ring: /^(\d+|inset|offset-.*)$/,
  divide: /^([xy]|[xy]-\d+|[xy]-reverse|solid|dashed|dotted|double|none)$/,
  fill: /^none$/,
  stroke: /^(\d+|none)$/,
  outline: /^(\d+|none|hidden|solid|dashed|dotted|double|offset-.*)$/,
};

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) yield p;
  }
}

describe('theme colour tokens', () => {
  test('the theme defines the semantic tokens the components rely on', () => {
    for (const t of ['fg', 'muted', 'primary', 'panel', 'line', 'surface']) expect(tokens.has(t)).toBe(true);
  });

  test('every colour utility in the console names a theme token or a palette colour', () => {
    const unknown: string[] = [];
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(COLOUR_UTILITY)) {
        const [, kind, rawName] = m as unknown as [string, string, string];
        const name = rawName.replace(/\/\d+$/, ''); // opacity: bg-panel-muted/50
        if (tokens.has(name) || PALETTE.test(name) || KEYWORDS.has(name)) continue;
        if (NOT_COLOURS[kind]?.test(name)) continue;
        unknown.push(`${file.slice(src.length + 1)}: ${kind}-${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
