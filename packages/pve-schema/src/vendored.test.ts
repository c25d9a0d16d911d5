import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reduceApidoc } from '../scripts/reduce.ts';

const apidoc = fileURLToPath(new URL('../../../../shared/pve/apidoc.json', import.meta.url));
const vendored = fileURLToPath(new URL('../schema/pve-api.json', import.meta.url));

describe('vendored schema', () => {
  it('carries the attribution', () => {
    const text = readFileSync(fileURLToPath(new URL('../schema/ATTRIBUTION.md', import.meta.url)), 'utf8');
    expect(text).toContain('Proxmox Server Solutions GmbH');
    expect(text).toContain('AGPL-3.0-or-later');
  });
  // Tests never need ../shared; when it is there, the committed copy must match a fresh reduction.
  it.skipIf(!existsSync(apidoc))('is up to date with ../shared/pve/apidoc.json (npm run vendor)', () => {
    expect(reduceApidoc(readFileSync(apidoc)) === readFileSync(vendored, 'utf8')).toBe(true);
  });
});
