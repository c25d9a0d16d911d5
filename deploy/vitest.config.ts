import { defineConfig } from 'vitest/config';

// deploy/: install.sh, the systemd unit, the release tarball (slow: builds a release once).
export default defineConfig({
  test: {
    name: 'deploy',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
