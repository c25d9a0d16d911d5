import { describe, expect, it } from 'vitest';
import type { Page } from './api.ts';
import { fetchListPage, type PageQuery, printPage } from './command.ts';
import type { Context } from './context.ts';
import { Output } from './output.ts';

const page = <T>(items: T[], total: number, offset = 0): Page<T> => ({
  items,
  total,
  limit: items.length,
  offset,
});

describe('fetchListPage', () => {
  it('asks for the page the user gave, and only the keys given', async () => {
    const asked: PageQuery[] = [];
    const get = async (q: PageQuery) => {
      asked.push(q);
      return page(['a'], 1);
    };
    await fetchListPage({}, get);
    await fetchListPage({ limit: 5 }, get);
    await fetchListPage({ limit: 5, offset: 10 }, get);
    expect(asked).toEqual([{}, { limit: 5 }, { limit: 5, offset: 10 }]);
  });

  it('with --all fetches every page and returns them as one', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => i);
    const asked: PageQuery[] = [];
    const result = await fetchListPage({ all: true }, async (q) => {
      asked.push(q);
      const offset = q.offset ?? 0;
      return page(all.slice(offset, offset + (q.limit ?? 20)), all.length, offset);
    });
    expect(asked).toEqual([
      { limit: 1000, offset: 0 },
      { limit: 1000, offset: 1000 },
      { limit: 1000, offset: 2000 },
    ]);
    expect(result.items).toEqual(all);
    expect(result.total).toBe(2500);
  });
});

describe('printPage', () => {
  const run = (format: 'table' | 'json', quiet: boolean, withId: boolean) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const out = new Output({
      format,
      quiet,
      stdout: { isTTY: false, write: (c: string) => stdout.push(c) } as never,
      stderr: { isTTY: false, write: (c: string) => stderr.push(c) } as never,
      env: {},
    });
    const rows = [{ id: 'v-1', name: 'data' }];
    printPage({ out } as Context, page(rows, 3), {
      columns: [{ header: 'NAME', value: (r) => r.name }],
      empty: 'No volumes.',
      noun: 'volumes',
      ...(withId ? { id: (r: { id: string }) => r.id } : {}),
    });
    return { stdout: stdout.join(''), stderr: stderr.join('') };
  };

  it('prints the table and says where the next page starts', () => {
    const r = run('table', false, true);
    expect(r.stdout).toContain('NAME');
    expect(r.stdout).toContain('data');
    expect(r.stderr).toContain('Showing 1-1 of 3 volumes. Next page: --offset 1');
  });

  it('prints ids with --quiet, the page as JSON with -o json', () => {
    expect(run('table', true, true).stdout).toBe('v-1\n');
    expect(JSON.parse(run('json', false, true).stdout)).toEqual(page([{ id: 'v-1', name: 'data' }], 3));
  });
});
