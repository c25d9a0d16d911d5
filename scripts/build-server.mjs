#!/usr/bin/env node
// Production build of the server and the CLI: one ESM bundle each (esbuild), so production runs
// plain `node` without the tsx loader (≈ 36 MB less RSS, faster start; docs/benchmarks.md).
//
// What is bundled: our TypeScript (apps/server, apps/cli, packages/*) and any dependency that is
// not hoisted to the root node_modules (e.g. proxmox-client's own undici). What stays external:
// every hoisted package in node_modules (native modules such as better-sqlite3 must, and keeping
// the rest external keeps packages' own asset lookups working); the install ships node_modules.
//
// Outputs: apps/server/dist/main.mjs (+ schema/pve-api.json beside it), apps/cli/dist/main.mjs
// (+ chunks: the server code behind `proxicloud admin` loads only when used).
// Usage: node scripts/build-server.mjs [--check]   (--check: exit 1 when the build is stale)
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootModules = join(root, 'node_modules') + sep;

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Newest source the bundles depend on (server, CLI, workspace packages, the lock file). */
export function sourcesMtime() {
  return Math.max(
    newestMtime(join(root, 'apps', 'server', 'src')),
    newestMtime(join(root, 'apps', 'cli', 'src')),
    newestMtime(join(root, 'packages')),
    statSync(join(root, 'package-lock.json')).mtimeMs,
  );
}

export function isStale() {
  const outputs = [join(root, 'apps/server/dist/main.mjs'), join(root, 'apps/cli/dist/main.mjs')];
  if (!outputs.every(existsSync)) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return built < sourcesMtime();
}

/** esbuild plugin: hoisted node_modules packages stay external; everything else is bundled. */
const externalHoisted = {
  name: 'external-hoisted',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.probe || args.path.startsWith('node:')) return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { probe: true },
      });
      if (r.errors.length > 0 || r.external) return undefined;
      const real = realpathSync(r.path);
      // A hoisted dependency: Node finds it from dist/ at run time exactly as from src/.
      if (real.startsWith(rootModules)) return { path: args.path, external: true };
      return undefined; // workspace source or a nested (non-hoisted) dependency: bundle it
    });
  },
};

// CommonJS dependencies bundled into ESM call require() for Node built-ins.
const banner = {
  js: "import { createRequire as __pcCreateRequire } from 'node:module'; const require = __pcCreateRequire(import.meta.url);",
};

/**
 * Makes a bundle pure ASCII. esbuild escapes non-ASCII characters in code (charset 'ascii', its
 * default), but keeps them in the comments of bundled dependencies; one such character makes V8 hold
 * the whole module source as a two-byte string (≈ 6 MB instead of 3 MB for the server). Each UTF-16
 * code unit left is therefore inside a comment and becomes '?', which keeps source-map columns.
 */
function asciiOnly(dir) {
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(name));
    if (!file.endsWith('.mjs')) continue;
    const text = readFileSync(file, 'utf8');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
    if (/[^\x00-\x7f]/.test(text)) writeFileSync(file, text.replace(/[^\x00-\x7f]/g, '?'));
  }
}

const esbuildCommon = (quiet) => ({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [externalHoisted],
  banner,
  logLevel: quiet ? 'error' : 'warning',
  legalComments: 'none',
});

/** Assets the bundled code reads at run time, looked up beside the bundle (see pve-schema). */
function copyAssets(out) {
  mkdirSync(join(out, 'schema'), { recursive: true });
  copyFileSync(join(root, 'packages/pve-schema/schema/pve-api.json'), join(out, 'schema/pve-api.json'));
  // built-in app templates (apps module, apps.builtin.ts looks in apps-builtin/ beside the bundle)
  cpSync(join(root, 'apps/server/src/modules/apps/builtin'), join(out, 'apps-builtin'), { recursive: true });
  // Marks the directory as a build (package.json lookups for the version stop at the app's own).
  writeFileSync(join(out, 'BUILD'), `${new Date().toISOString()}\n`);
}

/**
 * The CLI bundle alone, into `outDir` (emptied first): what `build` ships, and what the CLI's test
 * suite runs (a fresh bundle per test run, apps/cli/src/testing/global-setup.ts). `outDir` must be
 * inside the repository, so Node finds the external packages in node_modules from there.
 */
export async function buildCli(outDir, { quiet = false } = {}) {
  const esbuild = await import('esbuild');
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    ...esbuildCommon(quiet),
    entryPoints: { main: join(root, 'apps/cli/src/main.ts') },
    outdir: outDir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  });
  asciiOnly(outDir);
  copyAssets(outDir);
  return join(outDir, 'main.mjs');
}

export async function build({ quiet = false } = {}) {
  const esbuild = await import('esbuild');
  const serverOut = join(root, 'apps/server/dist');
  rmSync(serverOut, { recursive: true, force: true });
  await esbuild.build({
    ...esbuildCommon(quiet),
    entryPoints: { main: join(root, 'apps/server/src/main.ts') },
    outdir: serverOut,
    outExtension: { '.js': '.mjs' },
  });
  asciiOnly(serverOut);
  copyAssets(serverOut);
  await buildCli(join(root, 'apps/cli/dist'), { quiet });
  if (!quiet) {
    for (const f of ['apps/server/dist/main.mjs', 'apps/cli/dist/main.mjs']) {
      console.log(`  ${f}  ${(statSync(join(root, f)).size / 1024).toFixed(0)} KiB`);
    }
  }
}

const isEntry = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  if (process.argv.includes('--check')) {
    const stale = isStale();
    console.log(stale ? 'stale' : 'fresh');
    process.exit(stale ? 1 : 0);
  }
  await build();
  console.log(`[proxicloud] built the server and CLI (${relative(process.cwd(), root) || '.'})`);
}
