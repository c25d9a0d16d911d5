import { defineConfig } from 'vitest/config';

// One Vitest run covers every workspace; each package is a named project so
// `vitest run --project server` (used by the PostgreSQL suite) can pick one.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/server', 'apps/cli', 'apps/web', 'deploy'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
