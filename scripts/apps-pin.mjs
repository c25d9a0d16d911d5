#!/usr/bin/env node
// Fills the SHA-256 of every built-in app download that has none (sha256: null) by downloading the
// artefact once; run where the internet is reachable, review the diff, commit.
// Usage: node scripts/apps-pin.mjs [--check]   (--check: exit 1 when a download is still unpinned)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const dir = fileURLToPath(new URL('../apps/server/src/modules/apps/builtin/', import.meta.url));
const check = process.argv.includes('--check');
let missing = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()) {
  const path = join(dir, file);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const downloads = doc.get('downloads');
  let changed = false;
  for (const d of downloads?.items ?? []) {
    if (d.get('sha256') != null) continue; // null (or absent): not pinned yet
    const url = d.get('url');
    if (check) {
      console.log(`${file}: ${d.get('name')} is not pinned (${url})`);
      missing++;
      continue;
    }
    const res = await fetch(url, { redirect: 'follow' });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const sum = createHash('sha256')
      .update(Buffer.from(await res.arrayBuffer()))
      .digest('hex');
    d.set('sha256', sum);
    changed = true;
    console.log(`${file}: ${d.get('name')} ${sum}`);
  }
  if (changed) writeFileSync(path, doc.toString({ lineWidth: 0 }));
}
if (check && missing) process.exit(1);
