import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../../apps/server/src/openapi.ts';

export const SDK_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OPENAPI_PATH = join(SDK_ROOT, 'openapi.json');
export const SCHEMA_PATH = join(SDK_ROOT, 'src/schema.d.ts');

const HEADER = `/**
 * GENERATED FILE — do not edit. Regenerate with \`npm run gen -w @proxicloud/sdk\`
 * (packages/sdk/scripts/gen-openapi.ts: server route schemas → openapi.json → this file).
 */
`;

/** The spec text as committed: stable key order from the server, 2-space JSON, trailing newline. */
export async function renderOpenApi(): Promise<string> {
  return `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`;
}

export async function renderSchemaTypes(openapiText: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(openapiText), { alphabetize: false });
  return HEADER + astToString(ast);
}

export function readCommitted(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
