/** Writes schema/infra.schema.json (the published JSON Schema of infrastructure files, for editors). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema } from '../src/kinds.ts';

const out = fileURLToPath(new URL('../schema/infra.schema.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(buildSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);
