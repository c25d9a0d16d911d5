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

  it('names every JSON property and query/path parameter in camelCase, with binary size units', () => {
    const doc = JSON.parse(readCommitted(OPENAPI_PATH)!) as unknown;
    const camel = /^[a-z][a-zA-Z0-9]*$/;
    const bad: string[] = [];
    const decimalUnits: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        for (const [i, v] of node.entries()) walk(v, `${at}[${i}]`);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      // Property names of schemas (not the keys of `paths`, `responses`, … which are not JSON fields).
      if (o.properties && typeof o.properties === 'object' && !Array.isArray(o.properties)) {
        for (const name of Object.keys(o.properties))
          if (!camel.test(name)) bad.push(`${at}.properties.${name}`);
      }
      // Parameters in the query string and the path (headers keep their HTTP spelling).
      if (typeof o.name === 'string' && (o.in === 'query' || o.in === 'path') && !camel.test(o.name))
        bad.push(`${at} (${o.in} parameter ${o.name})`);
      // Sizes are binary: GiB/MiB, never GB/MB.
      if (typeof o.description === 'string' && /\b[KMGTP]B\b/.test(o.description))
        decimalUnits.push(`${at}: ${o.description}`);
      for (const [k, v] of Object.entries(o)) walk(v, `${at}.${k}`);
    };
    walk(doc, '$');
    expect(bad, 'property names must be camelCase (e.g. sizeGib, not size_gb)').toEqual([]);
    expect(decimalUnits, 'sizes are binary units (GiB/MiB), see docs/api.md').toEqual([]);
  });
});
