/**
 * One table for docs and behaviour (storage.s3.support.ts): docs/object-storage.md must embed
 * exactly the generated table, and every row with a probe must behave as the table says —
 * "not implemented" rows answer 501 NotImplemented, the others never do.
 * Regenerate the docs section with UPDATE_S3_DOCS=1 npx vitest run <this file>.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSupportTable, S3_SUPPORT, SUPPORT_END, SUPPORT_START } from './storage.s3.support.ts';
import {
  rawRequest,
  type S3User,
  type StorageTest,
  signedRequest,
  startStorageTest,
} from './storage.test-helpers.ts';

const DOCS = new URL('../../../../../docs/object-storage.md', import.meta.url).pathname;
const B = 'support-probe';

/** Table rows as trimmed cells (formatting-insensitive). */
function cells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

describe('the S3 support table', () => {
  it('docs/object-storage.md embeds the table generated from the code', () => {
    const docs = readFileSync(DOCS, 'utf8');
    const start = docs.indexOf(SUPPORT_START);
    const end = docs.indexOf(SUPPORT_END);
    if (process.env.UPDATE_S3_DOCS === '1' && start >= 0 && end > start) {
      writeFileSync(
        DOCS,
        `${docs.slice(0, start + SUPPORT_START.length)}\n\n${renderSupportTable()}\n\n${docs.slice(end)}`,
      );
      return;
    }
    expect(start, `docs/object-storage.md needs the ${SUPPORT_START} marker`).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(cells(docs.slice(start + SUPPORT_START.length, end))).toEqual(cells(renderSupportTable()));
  });
});

describe('the S3 support table matches behaviour', () => {
  let t: StorageTest;
  let alice: S3User;
  beforeAll(async () => {
    t = await startStorageTest();
    alice = await t.newS3User('operator');
    await alice.s3.send(new CreateBucketCommand({ Bucket: B }));
    await alice.s3.send(new PutObjectCommand({ Bucket: B, Key: 'probe.txt', Body: 'probe' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const row of S3_SUPPORT.filter((r) => r.probe))
    it(`${row.operations}: ${row.status === 'no' ? '501 NotImplemented' : 'implemented'}`, async () => {
      const p = row.probe!;
      const path = p.target === 'service' ? '/' : p.target === 'bucket' ? `/${B}` : `/${B}/probe.txt`;
      let res: { status: number; text: string };
      if (p.anonymous) {
        const query = new URLSearchParams(p.query ?? {}).toString();
        res = await rawRequest(t.s3Url, {
          method: p.method,
          path: `${path}${query ? `?${query}` : ''}`,
          headers: {
            host: new URL(t.s3Url).host,
            'content-length': String(Buffer.byteLength(p.body ?? '')),
            ...p.headers,
          },
          body: p.body ?? '',
        });
      } else
        res = await signedRequest(t.s3Url, alice.key, {
          method: p.method,
          path,
          query: p.query ?? {},
          headers: p.headers ?? {},
          body: p.body ?? '',
        });
      if (row.status === 'no') {
        expect(res.status).toBe(501);
        if (p.method !== 'HEAD') expect(res.text).toContain('<Code>NotImplemented</Code>');
      } else expect(res.status).not.toBe(501);
    });
});
