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
    // One server for the run (global setup) and a browser per file; two files at a time: the
    // journeys mostly wait on the server, the simulator's tasks and the browser, so two files run
    // side by side at about the speed of one (the suite: 707 s one at a time, 352 s two at a time,
    // on 2 cores). Every spec makes its own users and names, so specs do not see each other.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // expect.poll waits on what the browser draws: seconds, not vitest's default 1 s, on a busy machine
    expect: { poll: { timeout: 30_000, interval: 250 } },
  },
});
