import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // Each test file gets its own database (SQLite temp file or a fresh PostgreSQL database).
  },
});
