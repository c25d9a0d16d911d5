import { writeFileSync } from 'node:fs';
import {
  CATALOG_PATH,
  OPENAPI_PATH,
  renderCatalog,
  renderOpenApi,
  renderSchemaTypes,
  SCHEMA_PATH,
} from './generate.ts';

/** Build the server app (no listen), write packages/sdk/openapi.json and src/schema.d.ts. */
const openapi = await renderOpenApi();
writeFileSync(OPENAPI_PATH, openapi);
writeFileSync(SCHEMA_PATH, await renderSchemaTypes(openapi));
writeFileSync(CATALOG_PATH, renderCatalog(openapi));
process.stdout.write(`wrote ${OPENAPI_PATH}\nwrote ${SCHEMA_PATH}\nwrote ${CATALOG_PATH}\n`);
