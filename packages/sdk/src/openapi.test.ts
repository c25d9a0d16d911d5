import { describe, expect, it } from 'vitest';
import {
  CATALOG_PATH,
  OPENAPI_PATH,
  readCommitted,
  renderCatalog,
  renderOpenApi,
  renderSchemaTypes,
  SCHEMA_PATH,
} from '../scripts/generate.ts';

const HOW = 'run `npm run gen -w @proxicloud/sdk` and commit packages/sdk/openapi.json + src/schema.d.ts';

describe('generated SDK files', () => {
  it('openapi.json matches the server route schemas', async () => {
    const fresh = await renderOpenApi();
    expect(readCommitted(OPENAPI_PATH), `openapi.json is stale: ${HOW}`).toBe(fresh);
  });

  it('schema.d.ts matches openapi.json', async () => {
    const committed = readCommitted(OPENAPI_PATH);
    expect(committed).not.toBeNull();
    const fresh = await renderSchemaTypes(committed!);
    expect(readCommitted(SCHEMA_PATH), `schema.d.ts is stale: ${HOW}`).toBe(fresh);
  });

  it('catalog.ts (event resources, permissions) matches openapi.json', () => {
    const committed = readCommitted(OPENAPI_PATH);
    expect(committed).not.toBeNull();
    expect(readCommitted(CATALOG_PATH), `catalog.ts is stale: ${HOW}`).toBe(renderCatalog(committed!));
  });

  it('is an OpenAPI 3.1 document with the contract endpoints and security schemes', () => {
    const doc = JSON.parse(readCommitted(OPENAPI_PATH)!) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'accessKey',
      'bearerAuth',
      'cookieAuth',
    ]);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/password',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/api/v1/users/{id}/password',
      '/api/v1/roles',
      '/api/v1/access-keys',
      '/api/v1/access-keys/{accessKeyId}',
      '/api/v1/logs/audit',
      '/api/v1/logs/audit.csv',
      '/api/v1/logs/audit/verify',
      '/api/v1/system/info',
      '/healthz',
      '/readyz',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item))
        expect(op.operationId, `${method} ${path}`).toBeTruthy();
    }
  });
});
