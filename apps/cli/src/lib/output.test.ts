import { describe, expect, it } from 'vitest';
import { colorStatus, formatTimestamp, Output, parseOutputFormat } from './output.ts';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (c: string) => chunks.push(c), text: () => chunks.join('') };
}

interface Row {
  id: string;
  name: string;
  status: string;
}
const rows: Row[] = [
  { id: 'usr-aaaaaaaa', name: 'alice', status: 'active' },
  { id: 'usr-b', name: 'bob the builder', status: 'disabled' },
];
const columns = [
  { header: 'ID', value: (r: Row) => r.id },
  { header: 'NAME', value: (r: Row) => r.name },
  { header: 'STATUS', value: (r: Row) => r.status, color: colorStatus },
];

describe('Output tables', () => {
  it('renders aligned borderless columns with plain ids', () => {
    const out = new Output({ format: 'table', stdout: sink(), stderr: sink(), env: {} });
    const lines = out.renderTable(columns, rows).split('\n');
    expect(lines).toEqual([
      'ID             NAME              STATUS',
      'usr-aaaaaaaa   alice             active',
      'usr-b          bob the builder   disabled',
    ]);
  });

  it('colors status cells only on a TTY and never with --no-color / NO_COLOR', () => {
    const tty = new Output({ format: 'table', stdout: sink(true), stderr: sink(true), env: {} });
    const colored = tty.renderTable(columns, rows);
    expect(colored).toContain('\u001b[32mactive\u001b[39m');
    // The id is still a plain token (no escape codes inside it).
    expect(colored).toMatch(/(^|\n)usr-aaaaaaaa /);
    for (const opts of [{ color: false, env: {} }, { env: { NO_COLOR: '1' } }]) {
      const plain = new Output({ format: 'table', stdout: sink(true), stderr: sink(true), ...opts });
      expect(plain.renderTable(columns, rows)).not.toContain('\u001b[');
    }
  });

  it('shows "-" for empty cells and a message for an empty list', () => {
    const stdout = sink();
    const out = new Output({ format: 'table', stdout, stderr: sink(), env: {} });
    expect(out.renderTable([{ header: 'A', value: () => null }], [{}])).toBe('A\n-');
    out.table(columns, [], 'No users found.');
    expect(stdout.text()).toBe('No users found.\n');
  });
});

describe('Output JSON mode', () => {
  it('keeps stdout for the document only and sends messages to stderr', () => {
    const stdout = sink(true);
    const stderr = sink();
    const out = new Output({ format: 'json', stdout, stderr, env: { FORCE_COLOR: '1' } });
    out.info('User created');
    out.success('done');
    out.printJson({ id: 'usr-1' });
    expect(JSON.parse(stdout.text())).toEqual({ id: 'usr-1' });
    expect(stderr.text()).toContain('User created');
    expect(out.c.isColorSupported).toBe(false);
  });

  it('--quiet suppresses info but never warnings', () => {
    const stdout = sink();
    const stderr = sink();
    const out = new Output({ format: 'table', quiet: true, stdout, stderr, env: {} });
    out.info('hello');
    out.note('note');
    out.warn('careful');
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe('Warning: careful\n');
  });
});

describe('helpers', () => {
  it('parses output formats', () => {
    expect(parseOutputFormat('JSON')).toBe('json');
    expect(() => parseOutputFormat('yaml')).toThrowError(/Unknown output format "yaml"/);
  });
  it('formats timestamps in UTC', () => {
    expect(formatTimestamp('2024-05-01T10:00:00.123Z')).toBe('2024-05-01 10:00:00Z');
    expect(formatTimestamp(null)).toBeUndefined();
    expect(formatTimestamp('garbage')).toBe('garbage');
  });
});
