import { defineConfig } from 'vitest/config';

// Unit tests of the runner's pieces (seccomp program); the sandboxes are tested for real through
// the server's functions tests.
export default defineConfig({ test: { name: 'function-runner', passWithNoTests: true } });
