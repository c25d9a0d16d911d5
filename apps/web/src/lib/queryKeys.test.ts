import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('..', import.meta.url));

describe('query keys', () => {
  it('are built from the key each feature exports, never from string literals', () => {
    const offenders: string[] = [];
    for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/queryKey:\s*\[\s*['"`]/.test(line)) offenders.push(`${path.slice(SRC.length)}:${i + 1}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
