#!/usr/bin/env node
// Entry shim for the `proxicloud` CLI. In a checkout (src/ present) it runs the TypeScript source
// through tsx's ESM loader; an installation (release tarball: dist/ only, scripts/build-server.mjs)
// runs the esbuild bundle with plain node.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source) && process.env.PROXICLOUD_CLI_BUNDLE !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/main.mjs', import.meta.url).href);
}
