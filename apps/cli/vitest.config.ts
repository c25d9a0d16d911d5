import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts'],
    // The integration suite spawns the real CLI (node on a bundle built per run) against a real
    // server: give each subprocess room on a shared 2-core machine.
    globalSetup: ['src/testing/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
