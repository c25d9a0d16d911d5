import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema } from './kinds.ts';

describe('published schema', () => {
  it('schema/infra.schema.json is current (npm run gen:schema -w @proxicloud/iac)', () => {
    const published = JSON.parse(
      readFileSync(new URL('../schema/infra.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(buildSchema());
  });
});
