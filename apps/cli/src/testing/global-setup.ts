/**
 * Vitest global setup for the CLI project: bundles the CLI once per test run (esbuild, ≈ 2 s), the
 * way a release ships it, and hands the bundle's path to the harness (`inject('cliBundle')`). Every
 * CLI call in the suite is a new process; plain `node` on the bundle starts in ≈ 0.25 s, the TypeScript
 * source through tsx in ≈ 0.65 s, and the suite makes over a thousand calls. One test
 * (cli.test.ts) still runs the checkout's shim, bin/proxicloud.mjs, on the source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the CLI bundle's main.mjs built for this run. */
    cliBundle: string;
  }
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  // Inside the repository (node_modules/.cache), so the bundle's external imports resolve from the
  // root node_modules; one directory per run, so parallel runs do not share a bundle.
  const cache = path.join(ROOT, 'node_modules', '.cache');
  const outDir = path.join(cache, `proxicloud-cli-test-${process.pid}`);
  // a run that was killed left its bundle: remove those whose process is gone
  for (const name of fs.existsSync(cache) ? fs.readdirSync(cache) : []) {
    const pid = Number(/^proxicloud-cli-test-(\d+)$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid))
      fs.rmSync(path.join(cache, name), { recursive: true, force: true });
  }
  const { buildCli } = (await import(path.join(ROOT, 'scripts/build-server.mjs'))) as {
    buildCli: (outDir: string, opts?: { quiet?: boolean }) => Promise<string>;
  };
  project.provide('cliBundle', await buildCli(outDir, { quiet: true }));
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
