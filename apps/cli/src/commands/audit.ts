/** `audit list|export|verify`: the tamper-evident audit trail. */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Command, Option } from 'commander';
import { type AuditEntry, type Page, unwrap } from '../lib/api.ts';
import { addListOptions, examples, fetchListPage, type ListOptions, printPage } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { apiErrorFromResponse, CliError, ExitCode } from '../lib/errors.ts';
import { type Column, colorStatus, formatTimestamp } from '../lib/output.ts';
import { parseDateArg } from '../lib/time.ts';

interface FilterOptions {
  user?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  result?: string;
  since?: string;
  until?: string;
}

const columns: Column<AuditEntry>[] = [
  { header: 'ID', value: (e) => e.id, align: 'right' },
  { header: 'TIME', value: (e) => formatTimestamp(e.timestamp) },
  { header: 'USER', value: (e) => e.username ?? e.userId },
  { header: 'ACTION', value: (e) => e.action },
  {
    header: 'RESOURCE',
    value: (e) =>
      e.resourceType ? `${e.resourceType}${e.resourceId ? `/${e.resourceId}` : ''}` : e.resourceId,
  },
  { header: 'RESULT', value: (e) => e.result, color: colorStatus },
  { header: 'SOURCE IP', value: (e) => e.sourceIp },
  { header: 'REQUEST ID', value: (e) => e.requestId },
];

const TIMES_HELP = `
Times: an ISO date or date-time (2024-05-01, 2024-05-01T10:00:00Z; UTC unless a zone is given), or
an age back from now (90s, 30m, 24h, 7d, 2w). A bare date covers the whole day: --until 2024-05-31
includes May 31.
`;

function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--user <user>', 'entries of this user (username, or user id usr-…)')
    .option('--action <action>', 'action, e.g. auth.login, users.create; a prefix with * (auth.*)')
    .option('--resource-type <type>', 'resource type, e.g. user, access_key')
    .option('--resource-id <id>', 'resource id, e.g. usr-3f9a2c1b')
    .addOption(new Option('--result <result>', 'outcome').choices(['success', 'failure', 'denied']))
    .option('--since <when>', 'entries from this time on (24h, 7d, 2024-05-01, …)')
    .option('--until <when>', 'entries up to this time (inclusive)');
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkedDate(value: string, flag: string): string {
  parseDateArg(value, flag); // throws a usage error for 2024-13-45
  return value;
}

/** CLI filter flags → the API's query parameters. */
export function auditQuery(opts: FilterOptions, now = new Date()): Record<string, string> {
  const q: Record<string, string> = {};
  if (opts.user) {
    if (/^usr-/.test(opts.user)) q.userId = opts.user;
    else q.username = opts.user;
  }
  if (opts.action) q.action = opts.action;
  if (opts.resourceType) q.resourceType = opts.resourceType;
  if (opts.resourceId) q.resourceId = opts.resourceId;
  if (opts.result) q.result = opts.result;
  // A bare date goes to the server as is: `from` starts at its first and `to` ends at its last millisecond.
  if (opts.since)
    q.from = BARE_DATE.test(opts.since)
      ? checkedDate(opts.since, '--since')
      : parseDateArg(opts.since, '--since', now);
  if (opts.until)
    q.to = BARE_DATE.test(opts.until)
      ? checkedDate(opts.until, '--until')
      : parseDateArg(opts.until, '--until', now);
  return q;
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('Read, export and verify the tamper-evident audit trail')
    .addHelpText(
      'after',
      `
Admins see every entry; other users see their own.
${examples(
  'proxicloud audit list --since 24h',
  'proxicloud audit list --action auth.login_failed --since 7d',
  'proxicloud audit export --since 2024-05-01 --file may.csv',
  'proxicloud audit verify || echo "audit chain broken!"',
)}`,
    );

  addListOptions(
    addFilterOptions(audit.command('list').alias('ls').description('List audit entries')),
    'entries',
  )
    .addHelpText(
      'after',
      TIMES_HELP +
        examples(
          'proxicloud audit list',
          'proxicloud audit list --user alice --since 24h',
          'proxicloud audit list --result denied --since 7d --all',
          'proxicloud audit list --resource-type user --resource-id usr-3f9a2c1b',
          'proxicloud audit list --since 2024-05-01 --until 2024-06-01 -o json',
        ),
    )
    .action(async (opts: FilterOptions & ListOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const query = auditQuery(opts);
      const api = ctx.api();
      const page = await fetchListPage(
        opts,
        (paging) =>
          unwrap(api.GET('/api/v1/logs/audit', { params: { query: { ...query, ...paging } } })) as Promise<
            Page<AuditEntry>
          >,
      );
      printPage(ctx, page, {
        columns,
        empty: 'No audit entries match.',
        noun: 'entries',
        id: (e) => String(e.id),
      });
    });

  addFilterOptions(
    audit
      .command('export')
      .description('Export audit entries as CSV (streamed; to stdout or a file)')
      .option('-f, --file <path>', 'write to this file instead of stdout (written completely or not at all)'),
  )
    .addHelpText(
      'after',
      TIMES_HELP +
        examples(
          'proxicloud audit export > audit.csv',
          'proxicloud audit export --since 30d --file last-month.csv',
          'proxicloud audit export --user alice --result denied | less',
        ),
    )
    .action(async (opts: FilterOptions & { file?: string }, cmd: Command) => {
      await exportCsv(contextOf(cmd), opts);
    });

  audit
    .command('verify')
    .description('Check the hash chain; exit 0 when intact, 1 at the first broken entry')
    .addHelpText(
      'after',
      `
Every entry carries a SHA-256 hash chained over the previous one. An edited, inserted or deleted row
breaks the chain from that entry on: verify prints the first broken entry id and exits with 1.
${examples('proxicloud audit verify', 'proxicloud audit verify -o json', 'proxicloud audit verify --quiet && echo ok')}`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const result = await unwrap(ctx.api().GET('/api/v1/logs/audit/verify'));
      if (ctx.out.json) {
        ctx.out.printJson(result);
      } else if (!ctx.out.quiet) {
        const c = ctx.out.c;
        ctx.out.details([
          ['Chain', result.valid ? c.green('valid') : c.red('BROKEN')],
          ['Entries checked', result.checked],
          ['First broken id', result.firstBrokenId],
          ['Reason', result.reason],
          [
            'Checkpoint',
            result.checkpoint ? `entry ${result.checkpoint.id} (${result.checkpoint.hash})` : undefined,
          ],
        ]);
      }
      if (!result.valid) {
        throw new CliError(
          `Audit chain is broken at entry ${result.firstBrokenId ?? '?'}${result.reason ? `: ${result.reason}` : ''}`,
          { exitCode: ExitCode.general, code: 'audit_chain_broken' },
        );
      }
    });
}

async function exportCsv(ctx: Context, opts: FilterOptions & { file?: string }): Promise<void> {
  const query = auditQuery(opts);
  const api = ctx.api();
  const result = await api.GET('/api/v1/logs/audit.csv', { params: { query }, parseAs: 'stream' });
  if (!result.response.ok) {
    // parseAs 'stream' leaves the error body unread: read it for the error envelope.
    const text = await result.response.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep text
    }
    throw apiErrorFromResponse(result.response, body);
  }
  const stream = result.data;
  if (!stream) throw new CliError('The server sent an empty export');
  let bytes = 0;
  let newlines = 0;
  const counted = Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>).map(
    (chunk: Buffer) => {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) newlines++;
      return chunk;
    },
  );

  if (!opts.file) {
    await pipeline(counted, process.stdout, { end: false });
    return;
  }
  const target = path.resolve(opts.file);
  const tmp = `${target}.partial-${process.pid}`;
  try {
    await pipeline(counted, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if (err instanceof CliError) throw err;
    throw new CliError(`Export to ${target} failed: ${(err as Error).message}`, { cause: err });
  }
  const entries = Math.max(0, newlines - 1); // header line
  if (ctx.out.json) ctx.out.printJson({ file: target, entries, bytes });
  else ctx.out.success(`Exported ${entries} audit entries to ${target} (${bytes} bytes).`);
}
