/** Shared option parsers and helpers for command definitions. */
import { randomInt } from 'node:crypto';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { fetchAll, type Page } from './api.ts';
import type { Context } from './context.ts';
import { CliError, ExitCode, UsageError } from './errors.ts';
import type { Column } from './output.ts';
import { canPrompt, confirm, promptHidden, readStdin } from './prompts.ts';

export function intInRange(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`must be a whole number (${min}-${max})`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}`);
    return n;
  };
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  all?: boolean;
}

/** --limit / --offset / --all for list commands. */
export function addListOptions(cmd: Command, noun: string): Command {
  return cmd
    .addOption(new Option('--limit <n>', `how many ${noun} per page (1-1000)`).argParser(intInRange(1, 1000)))
    .addOption(new Option('--offset <n>', `skip the first n ${noun}`).argParser(intInRange(0, 1e9)))
    .addOption(new Option('--all', `fetch every page (all matching ${noun})`).conflicts(['limit', 'offset']));
}

/** The paging part of a list request: only the keys the user gave (the server's defaults otherwise). */
export interface PageQuery {
  limit?: number;
  offset?: number;
}

/**
 * What a list command asked for: with --all every page (1000 rows a request), else the page of
 * --limit / --offset. `getPage` spreads the paging keys into its request's query.
 */
export function fetchListPage<T>(
  opts: ListOptions,
  getPage: (paging: PageQuery) => Promise<Page<T>>,
): Promise<Page<T>> {
  if (opts.all) return fetchAll((limit, offset) => getPage({ limit, offset }));
  return getPage({
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    ...(opts.offset !== undefined ? { offset: opts.offset } : {}),
  });
}

/**
 * Print a list command's page: the whole page with -o json, one id a line with --quiet (when `id`
 * is given), else the table (or `empty` when there are no rows) and the paging note.
 */
export function printPage<T>(
  ctx: Context,
  page: Page<T>,
  view: { columns: Column<T>[]; empty: string; noun: string; id?: (row: T) => string },
): void {
  if (ctx.out.json) {
    ctx.out.printJson(page);
    return;
  }
  if (view.id && ctx.out.quiet) {
    for (const row of page.items) ctx.out.line(view.id(row));
    return;
  }
  ctx.out.table(view.columns, page.items, view.empty);
  pagingNote(ctx, page, view.noun);
}

/** Tell the user (stderr, not in --quiet) that more rows exist beyond this page. */
export function pagingNote(ctx: Context, page: Page<unknown>, noun: string): void {
  const shown = page.items.length;
  if (shown === 0 || page.offset + shown >= page.total) return;
  ctx.out.note(
    `Showing ${page.offset + 1}-${page.offset + shown} of ${page.total} ${noun}. ` +
      `Next page: --offset ${page.offset + shown}; everything: --all`,
  );
}

/** Where confirmOrExit asks (tests pass fakes; the CLI uses the process's streams). */
export interface ConfirmStreams {
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * The one gate in front of every destructive command (delete, terminate, restore, rb --force,
 * rm --recursive). `--yes` confirms. On a terminal (stdin and stderr) the user is asked. Without a
 * terminal there is nobody to ask, so the command refuses with a usage error (exit 2) naming --yes,
 * as `login` refuses to read a password it cannot prompt for: a script must say --yes on purpose.
 * Call it before the first change, so a refusal leaves everything as it was.
 */
export async function confirmOrExit(
  question: string,
  yes: boolean | undefined,
  streams: ConfirmStreams = {},
): Promise<void> {
  if (yes) return;
  const input = streams.input ?? process.stdin;
  const output = streams.output ?? process.stderr;
  if (!input.isTTY || !output.isTTY) {
    throw new CliError(
      `Not confirmed: "${question}" needs --yes when ${input.isTTY ? 'stderr' : 'stdin'} is not a terminal; nothing was changed`,
      {
        exitCode: ExitCode.usage,
        code: 'confirmation_required',
        hint: 'Add --yes to the command to confirm it (scripts and pipes cannot answer the question).',
      },
    );
  }
  if (!(await confirm(question, { input, output }))) {
    throw new CliError('Aborted; nothing was changed', {
      code: 'aborted',
      hint: 'Pass --yes to skip this question.',
    });
  }
}

export interface PasswordSourceOptions {
  passwordStdin?: boolean;
  generatePassword?: boolean;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** 24 characters from an unambiguous alphabet (~137 bits). */
export function generatePassword(length = 24): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/**
 * A new password for `users create` / `users reset-password`: from stdin, generated, or typed twice
 * on a terminal. Checks the length policy locally (10-256) so typos fail before the request.
 */
export async function newPassword(
  opts: PasswordSourceOptions,
  who: string,
): Promise<{ password: string; generated: boolean }> {
  if (opts.passwordStdin && opts.generatePassword) {
    throw new UsageError('Use either --password-stdin or --generate-password, not both');
  }
  let password: string;
  if (opts.generatePassword) return { password: generatePassword(), generated: true };
  if (opts.passwordStdin) {
    password = await readStdin(process.stdin, 'password');
  } else if (canPrompt()) {
    password = await promptHidden(`New password for ${who}: `);
    const again = await promptHidden('Repeat the password: ');
    if (again !== password) throw new UsageError('The passwords do not match');
  } else {
    throw new UsageError(
      'No password given and stdin is not a terminal',
      'Use --password-stdin (e.g. `… --password-stdin < pwfile`) or --generate-password.',
    );
  }
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new UsageError(`The password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  }
  return { password, generated: false };
}

/** Standard "Examples:" block for addHelpText('after', …). */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}
