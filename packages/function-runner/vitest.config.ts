import { defineConfig } from 'vitest/config';

// The runner is tested through the server's functions tests (real sandboxes); none of its own yet.
export default defineConfig({ test: { name: 'function-runner', passWithNoTests: true } });
