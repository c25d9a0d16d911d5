/**
 * Converts the Perl regular expressions found in the PVE schema to JavaScript ones.
 *
 * PVE checks a `pattern` as `$value =~ m/^$pattern$/`: the pattern is concatenated between `^`
 * and `$` without a group, and Perl's `$` also matches before one trailing newline. Patterns in
 * the schema are mostly stringified `qr//` objects such as `(?^i:…)`; JavaScript (Node 20) has no
 * inline modifier groups, so a pattern containing `(?^i:` is compiled case-insensitive as a whole
 * (every such pattern in the 9.2 schema is case-insensitive throughout, or only around
 * alternatives that already list both cases).
 */

const cache = new Map<string, RegExp>();

/** Rewrites Perl-only syntax into the JavaScript equivalent. Returns the source and flags. */
export function perlToJs(pattern: string): { source: string; flags: string } {
  let flags = '';
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      // \Z and \z have no JS equivalent inside a pattern; the schema does not use them.
      if (next === '@' || next === '/' || next === '_') {
        out += next === '/' ? '\\/' : next;
      } else {
        out += c + next;
      }
      i++;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?' && pattern[i + 2] === '^') {
      // (?^flags:  → (?:   and remember the flags
      let j = i + 3;
      let f = '';
      while (j < pattern.length && /[a-z]/.test(pattern[j]!)) f += pattern[j++];
      if (pattern[j] === ':') {
        if (f.includes('i') && !flags.includes('i')) flags += 'i';
        if (f.includes('s') && !flags.includes('s')) flags += 's';
        out += '(?:';
        i = j;
        continue;
      }
    }
    if (c === '{' && pattern[i + 1] === ',') {
      // Perl ≥ 5.34 reads {,n} as {0,n}; JavaScript would read it literally.
      const m = /^\{,(\d+)\}/.exec(pattern.slice(i));
      if (m) {
        out += `{0,${m[1]}}`;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return { source: out, flags };
}

/** The regex PVE applies for a schema `pattern`: `^PATTERN$` with Perl's `$` semantics. */
export function anchoredPattern(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const { source, flags } = perlToJs(pattern);
    re = new RegExp(`^${source}(?=\\n?$(?![\\s\\S]))`, flags);
    cache.set(pattern, re);
  }
  return re;
}
