import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts'],
    // The integration suite spawns the real CLI (node + tsx) against a real server: give each
    // subprocess room on a shared 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
