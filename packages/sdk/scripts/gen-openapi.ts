import { writeFileSync } from 'node:fs';
import { OPENAPI_PATH, renderOpenApi, renderSchemaTypes, SCHEMA_PATH } from './generate.ts';

/** Build the server app (no listen), write packages/sdk/openapi.json and src/schema.d.ts. */
const openapi = await renderOpenApi();
writeFileSync(OPENAPI_PATH, openapi);
writeFileSync(SCHEMA_PATH, await renderSchemaTypes(openapi));
process.stdout.write(`wrote ${OPENAPI_PATH}\nwrote ${SCHEMA_PATH}\n`);
