import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser journeys against the real server (separate process, temp data dir, demo mode) and the
// production web build, driven through Debian's chromium with playwright-core.
// Not part of `npm test`; run from the repo root: npx vitest run --config e2e/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['e2e/specs/**/*.test.ts'],
    globalSetup: ['e2e/setup/global-setup.ts'],
    // One server and one browser per file; files run one after another (2 shared cores).
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // expect.poll waits on what the browser draws: seconds, not vitest's default 1 s, on a busy machine
    expect: { poll: { timeout: 30_000, interval: 250 } },
  },
});
