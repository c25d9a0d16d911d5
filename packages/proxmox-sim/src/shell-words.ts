/**
 * Splits a command line into words with POSIX quoting rules — and does nothing else: no
 * expansion, no substitution, no operators. `;`, `|`, `&`, `$(…)`, backticks and newlines stay
 * literal characters inside words, so they reach the command's own argument validation.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') cur += line[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!closed) throw new Error('unterminated double quote');
      inWord = true;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < line.length) {
        if (line[i + 1] !== '\n') cur += line[i + 1];
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(cur);
  return words;
}
