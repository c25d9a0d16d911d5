import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { migrate } from './migrate.ts';
import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/database.ts';
import { createLogger } from './platform/logger.ts';

/**
 * The OpenAPI document exactly as the server serves it, built without listening (in-memory
 * SQLite, fixed dummy secrets). Used by packages/sdk/scripts/gen-openapi.ts and the staleness test.
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    env: {
      PROXICLOUD_DATA_DIR: join(tmpdir(), 'proxicloud-openapi'),
      PROXICLOUD_JWT_SECRET: 'openapi-generation-only-not-a-real-secret-0000',
      PROXICLOUD_MASTER_KEY: '0'.repeat(64),
      PROXICLOUD_LOG_LEVEL: 'silent',
    },
    generateSecrets: false,
  });
  const db = openDatabase({ kind: 'sqlite', sqlitePath: ':memory:', url: null });
  try {
    await migrate(db);
    const app = await buildApp({ config, db, logger: createLogger('silent') }, { bootstrap: false });
    await app.ready();
    const doc = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  } finally {
    await db.close();
  }
}
