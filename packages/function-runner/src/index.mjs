// @ts-check
/** Where the runner's entry point is (the server starts it as a child process in local mode). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RUNNER_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'runner.mjs');
export { safeRelative } from './pool.mjs';
