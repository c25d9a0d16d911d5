import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../../apps/server/src/openapi.ts';

export const SDK_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OPENAPI_PATH = join(SDK_ROOT, 'openapi.json');
export const SCHEMA_PATH = join(SDK_ROOT, 'src/schema.d.ts');
export const CATALOG_PATH = join(SDK_ROOT, 'src/catalog.ts');

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

/**
 * Runtime lists the clients need (not only types): the event resources /events streams and the
 * permission catalogue, read from the spec's `EventResource` and `Permission` enums.
 */
export function renderCatalog(openapiText: string): string {
  const schemas = (
    JSON.parse(openapiText) as { components: { schemas: Record<string, { enum?: string[] }> } }
  ).components.schemas;
  const list = (name: string) => {
    const values = schemas[name]?.enum;
    if (!values) throw new Error(`openapi.json has no ${name} enum`);
    return `[\n${values.map((v) => `  '${v.replace(/[\\']/g, '\\$&')}',`).join('\n')}\n] as const`;
  };
  return `${HEADER}
/** Resources whose changes GET /api/v1/events streams (schema EventResource). */
export const EVENT_RESOURCES = ${list('EventResource')};
export type EventResource = (typeof EVENT_RESOURCES)[number];

/** The permission catalogue, \`resource:action\` (schema Permission). */
export const PERMISSIONS = ${list('Permission')};
export type Permission = (typeof PERMISSIONS)[number];
`;
}
