/** Types of gobuild.mjs for TypeScript callers (tests). */
export const GO_BOOTSTRAP_FILE: string;
export function goToolchain(): { go: string; version: string } | null;
export function goHandlerName(handler: string): string | null;
