/**
 * Output: human tables (default) or raw API JSON (`-o json`). In JSON mode stdout carries exactly one
 * JSON document and nothing else; every message goes to stderr. Tables are borderless and aligned,
 * so ids can be double-click-copied as plain text; status words are colored when stdout is a TTY.
 */
import Table from 'cli-table3';
import pc from 'picocolors';
export type Colors = ReturnType<typeof pc.createColors>;

import { UsageError } from './errors.ts';

export type OutputFormat = 'table' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json'];

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface OutputOptions {
  format: OutputFormat;
  /** false with --no-color or NO_COLOR; undefined = decide from the stream (TTY, FORCE_COLOR). */
  color?: boolean | undefined;
  quiet?: boolean;
  stdout?: Writable;
  stderr?: Writable;
  env?: NodeJS.ProcessEnv;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  /** Optional color for the cell (only applied when color is on). */
  color?: (text: string, c: Colors, row: T) => string;
  align?: 'left' | 'right';
}

export function parseOutputFormat(value: string): OutputFormat {
  const v = value.toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(v)) return v as OutputFormat;
  throw new UsageError(`Unknown output format "${value}"`, `Use one of: ${OUTPUT_FORMATS.join(', ')}.`);
}

function wantsColor(stream: Writable, explicit: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (explicit === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export class Output {
  readonly format: OutputFormat;
  readonly quiet: boolean;
  /** Colors for stdout (never on in JSON mode). */
  readonly c: Colors;
  /** Colors for stderr messages. */
  readonly ce: Colors;
  private readonly stdout: Writable;
  private readonly stderr: Writable;

  constructor(options: OutputOptions) {
    const env = options.env ?? process.env;
    this.format = options.format;
    this.quiet = options.quiet ?? false;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.c = pc.createColors(options.format === 'table' && wantsColor(this.stdout, options.color, env));
    this.ce = pc.createColors(wantsColor(this.stderr, options.color, env));
  }

  get json(): boolean {
    return this.format === 'json';
  }

  /** Write raw text to stdout (e.g. a CSV stream chunk). */
  raw(text: string): void {
    this.stdout.write(text);
  }

  /** One line to stdout. */
  line(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  /** Print a JSON document to stdout (JSON mode's only stdout output). */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * A status message ("User created"). Goes to stdout in table mode and stderr in JSON mode (so stdout
   * stays parseable); suppressed by --quiet.
   */
  info(message: string): void {
    if (this.quiet) return;
    if (this.json) this.stderr.write(`${message}\n`);
    else this.stdout.write(`${message}\n`);
  }

  success(message: string): void {
    if (this.quiet) return;
    if (this.json) this.stderr.write(`${this.ce.green('✔')} ${message}\n`);
    else this.stdout.write(`${this.c.green('✔')} ${message}\n`);
  }

  /** A warning: always stderr, never suppressed (it is about safety or data). */
  warn(message: string): void {
    this.stderr.write(`${this.ce.yellow('Warning:')} ${message}\n`);
  }

  /** An error line: always stderr. */
  error(message: string): void {
    this.stderr.write(`${this.ce.red(message)}\n`);
  }

  /** Progress/notes to stderr, suppressed by --quiet. */
  note(message: string): void {
    if (!this.quiet) this.stderr.write(`${this.ce.dim(message)}\n`);
  }

  /** Render rows as an aligned, borderless table (returns the text; does not print). */
  renderTable<T>(columns: Column<T>[], rows: readonly T[]): string {
    const c = this.c;
    const table = new Table({
      head: columns.map((col) => c.bold(col.header)),
      chars: {
        top: '',
        'top-mid': '',
        'top-left': '',
        'top-right': '',
        bottom: '',
        'bottom-mid': '',
        'bottom-left': '',
        'bottom-right': '',
        left: '',
        'left-mid': '',
        mid: '',
        'mid-mid': '',
        right: '',
        'right-mid': '',
        middle: '   ',
      },
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
      colAligns: columns.map((col) => col.align ?? 'left'),
    });
    for (const row of rows) {
      table.push(
        columns.map((col) => {
          const raw = col.value(row);
          const text = raw === null || raw === undefined || raw === '' ? '-' : String(raw);
          return col.color && raw !== null && raw !== undefined && raw !== ''
            ? col.color(text, c, row)
            : text;
        }),
      );
    }
    return table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n');
  }

  /** Print a table, or "No <noun> found." for an empty list. */
  table<T>(columns: Column<T>[], rows: readonly T[], empty = 'Nothing found.'): void {
    if (rows.length === 0) {
      this.info(this.c.dim(empty));
      return;
    }
    this.line(this.renderTable(columns, rows));
  }

  /** Print "key  value" pairs for a single object (e.g. `users get`). */
  details(pairs: ReadonlyArray<readonly [string, string | number | null | undefined]>): void {
    const width = Math.max(...pairs.map(([k]) => k.length));
    for (const [key, value] of pairs) {
      const text = value === null || value === undefined || value === '' ? this.c.dim('-') : String(value);
      this.line(`${this.c.bold(`${key}:`.padEnd(width + 1))}  ${text}`);
    }
  }
}

/** Color a status word consistently in every table. */
export function colorStatus(text: string, c: Colors): string {
  switch (text) {
    case 'active':
    case 'success':
    case 'valid':
    case 'ok':
      return c.green(text);
    case 'disabled':
    case 'inactive':
    case 'denied':
      return c.yellow(text);
    case 'failure':
    case 'broken':
    case 'error':
      return c.red(text);
    default:
      return text;
  }
}

/** `2024-05-01T10:00:00.000Z` → `2024-05-01 10:00:00Z` (UTC, short, sortable). */
export function formatTimestamp(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** "512 B", "1.5 KiB", "20.0 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
