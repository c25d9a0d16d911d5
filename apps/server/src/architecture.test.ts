/**
 * The module boundary, checked over the source: a module's files are its own; another module
 * (or app code outside modules/) may import only its index.ts. Platform code imports no module.
 * A failure names the file and the import to route through the other module's index.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const MODULES = join(SRC, 'modules');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative specifiers of every static import/export and dynamic import() in a file. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.[^'"]+)\1/g;
  for (const m of text.matchAll(re)) out.push(m[2]!);
  return out;
}

/** 'instances' for …/modules/instances/x.ts; null outside modules/ or for modules/index.ts. */
function moduleOf(file: string): string | null {
  const rel = relative(MODULES, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0]! : null;
}

export function violations(files: string[], read: (f: string) => string): string[] {
  const found: string[] = [];
  for (const file of files) {
    const from = moduleOf(file);
    const inPlatform = !relative(join(SRC, 'platform'), file).startsWith('..');
    for (const spec of importsOf(read(file))) {
      const target = resolve(dirname(file), spec);
      const to = moduleOf(target);
      if (to === null || to === from) continue;
      const where = `${relative(SRC, file)} imports '${spec}'`;
      if (inPlatform && !file.endsWith('.test.ts'))
        found.push(`${where}: platform code must not import a module`);
      else if (relative(join(MODULES, to), target) !== 'index.ts')
        found.push(`${where}: import modules/${to}/index.ts instead`);
    }
  }
  return found;
}

describe('architecture', () => {
  it('modules import each other only through index.ts', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(violations(files, (f) => readFileSync(f, 'utf8'))).toEqual([]);
  });

  it('the check sees deep imports, dynamic imports and re-exports', () => {
    const a = join(MODULES, 'volumes', 'volumes.service.ts');
    const sources: Record<string, string> = {
      [a]: [
        "import type { InstanceRow } from '../instances/instances.repository.ts';",
        "import { refOf } from '../instances/index.ts';",
        "export { x } from '../quotas/quotas.service.ts';",
        "const m = await import('../metrics/metrics.service.ts');",
        "import { y } from './volumes.repository.ts';",
      ].join('\n'),
      [join(SRC, 'platform', 'jobs.ts')]: "import type { EventBus } from '../modules/events/index.ts';",
    };
    expect(violations(Object.keys(sources), (f) => sources[f]!)).toEqual([
      "modules/volumes/volumes.service.ts imports '../instances/instances.repository.ts': import modules/instances/index.ts instead",
      "modules/volumes/volumes.service.ts imports '../quotas/quotas.service.ts': import modules/quotas/index.ts instead",
      "modules/volumes/volumes.service.ts imports '../metrics/metrics.service.ts': import modules/metrics/index.ts instead",
      "platform/jobs.ts imports '../modules/events/index.ts': platform code must not import a module",
    ]);
  });
});
