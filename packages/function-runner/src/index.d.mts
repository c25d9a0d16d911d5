/** Types of index.mjs. */
export const RUNNER_ENTRY: string;
export function safeRelative(p: string): string | null;
