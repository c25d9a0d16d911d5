/** Writes schema/infra.schema.json (the published JSON Schema of infrastructure files, for editors). */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema } from '../src/kinds.ts';

const out = fileURLToPath(new URL('../schema/infra.schema.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(buildSchema(), null, 2)}\n`);
// in the repository's format, so `biome check` stays clean after a regeneration
execFileSync('npx', ['biome', 'format', '--write', out], { stdio: 'ignore' });
console.log(`wrote ${out}`);
