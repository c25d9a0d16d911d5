/**
 * `functions list|get|create|deploy|invoke|logs|url|schedules|delete`: code functions run in
 * sandboxes on the function runners (docs/functions.md). Code comes from a directory (zipped here)
 * or a .zip file.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { zipSync } from 'fflate';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { registerFunctionRunnerCommands } from './function-runners.ts';

type Fn = components['schemas']['Function'];
type Invocation = components['schemas']['FunctionInvocation'];
const RUNTIMES = ['nodejs', 'python3', 'go'] as const;
const SKIP = new Set(['.git', '.DS_Store']);

/** A directory (zipped, .git skipped) or a .zip file → base64 ZIP. */
export function zipOf(path: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`No such file or directory: ${path}`);
  }
  if (st.isFile()) {
    if (!path.endsWith('.zip')) throw new UsageError(`${path} is not a directory or a .zip file`);
    return readFileSync(path).toString('base64');
  }
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const full = join(dir, name);
      const s = statSync(full);
      if (s.isDirectory()) walk(full);
      else if (s.isFile()) files[relative(path, full).split('\\').join('/')] = readFileSync(full);
    }
  };
  walk(path);
  if (!Object.keys(files).length) throw new UsageError(`${path} holds no files`);
  return Buffer.from(zipSync(files)).toString('base64');
}

const pairs = (list: string[] | undefined, what: string): Record<string, string> | undefined => {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`${what} "${item}" is not NAME=VALUE`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];
const parsePayload = (text: string | undefined): unknown => {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--payload is not JSON: ${text.slice(0, 80)}`);
  }
};

const columns: Column<Fn>[] = [
  { header: 'NAME', value: (f) => f.name },
  { header: 'RUNTIME', value: (f) => f.runtime },
  {
    header: 'VERSION',
    value: (f) => `${f.liveVersion}${f.version !== f.liveVersion ? ` (latest ${f.version})` : ''}`,
  },
  { header: 'MEMORY', value: (f) => `${f.memoryMb} MiB` },
  { header: 'URL', value: (f) => f.url?.url ?? '-' },
  { header: 'LAST INVOKED', value: (f) => formatTimestamp(f.lastInvokedAt) ?? 'never' },
  { header: 'ID', value: (f) => f.id },
];

async function listFunctions(ctx: Context): Promise<Fn[]> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/functions', { params: { query: { limit: 1000 } } }),
  )) as Page<Fn>;
  return page.items;
}

/** A function by id (fn-…) or name. */
export async function resolveFunction(ctx: Context, ref: string): Promise<Fn> {
  if (/^fn-[0-9a-f]{17}$/.test(ref))
    return unwrap(ctx.api().GET('/api/v1/functions/{id}', { params: { path: { id: ref } } }));
  const found = (await listFunctions(ctx)).find((f) => f.name === ref);
  if (!found) throw new UsageError(`No function "${ref}"`, 'List yours with `proxicloud functions list`.');
  return found;
}

function printFunction(ctx: Context, f: Fn): void {
  ctx.out.details([
    ['Name', f.name],
    ['ID', f.id],
    ['Runtime', `${f.runtime} (${f.handler})`],
    ['Memory / timeout', `${f.memoryMb} MiB / ${f.timeoutSeconds} s`],
    ['Version', `live ${f.liveVersion}, latest ${f.version}`],
    ['Network', f.network ? 'on' : 'off'],
    ['Concurrency', f.concurrency],
    ['Env', Object.keys(f.env).join(', ') || '-'],
    [
      'Secrets',
      Object.entries(f.secrets)
        .map(([k, v]) => `${k}←${v}`)
        .join(', ') || '-',
    ],
    ['URL', f.url ? `${f.url.url} (auth ${f.url.auth})` : '-'],
    ['Last invoked', formatTimestamp(f.lastInvokedAt) ?? 'never'],
  ]);
}

function printLogs(ctx: Context, inv: Invocation): void {
  const head = `${formatTimestamp(inv.finishedAt ?? inv.createdAt)} ${inv.id} ${inv.trigger} v${inv.version} ${inv.status}${inv.durationMs !== null ? ` ${inv.durationMs} ms` : ''}${inv.coldStart ? ' (cold)' : ''}`;
  ctx.out.line(head);
  for (const l of (inv.logs ?? '').split('\n').filter(Boolean)) ctx.out.line(`  ${l}`);
  if (inv.error) ctx.out.line(`  ${inv.error.type}: ${inv.error.message}`);
}

export function registerFunctionCommands(program: Command): void {
  const fns = program
    .command('functions')
    .alias('fn')
    .description('Code functions in sandboxes: deploy, invoke, URLs, cron schedules, logs')
    .addHelpText(
      'after',
      `
A function is a handler in a directory or ZIP: Node.js (index.mjs exporting handler(event, context)),
Python 3 (app.py with handler(event, context)) or Go (package main with func Handler(ctx, event)
(result, error), handler main.Handler; compiled when deployed, a build error shows the compiler's
output). Every deploy creates a new immutable version; the 'live' alias follows it. Functions have
no network unless created with --network.
${examples(
  'proxicloud functions create hello --runtime nodejs --handler index.handler --dir ./hello',
  'proxicloud functions create hello-go --runtime go --handler main.Handler --dir ./hello-go',
  'proxicloud functions deploy hello ./hello',
  `proxicloud functions invoke hello --payload '{"name":"Ada"}'`,
  'proxicloud functions logs hello --follow',
  'proxicloud functions url hello --auth none',
  `proxicloud functions schedules hello --add '*/5 * * * *' --payload '{"job":"sync"}'`,
  'proxicloud functions delete hello --yes',
)}`,
    );
  registerFunctionRunnerCommands(fns);

  fns
    .command('list')
    .alias('ls')
    .description('Your functions')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const items = await listFunctions(ctx);
      if (ctx.out.json) return ctx.out.printJson({ items, total: items.length });
      ctx.out.table(
        columns,
        items,
        'No functions. Create one with `proxicloud functions create <name> --runtime nodejs --handler index.handler --dir <dir>`.',
      );
    });

  fns
    .command('get <function>')
    .description('One function: configuration, versions, URL')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const f = await resolveFunction(ctx, ref);
      if (ctx.out.json) return ctx.out.printJson(f);
      printFunction(ctx, f);
    });

  const config = (c: Command) =>
    c
      .option('--memory <mib>', 'memory in MiB (64-10240)', (v) => Number(v))
      .option('--timeout <seconds>', 'timeout in seconds (1-900)', (v) => Number(v))
      .option('--env <NAME=VALUE>', 'environment variable (repeat)', collect)
      .option('--secret <ENV=secret>', 'inject a secret from the vault as ENV (repeat)', collect)
      .option('--network', 'allow outbound network')
      .option('--concurrency <n>', 'invocations at once', (v) => Number(v))
      .option('--description <text>', 'description');

  config(
    fns
      .command('create <name>')
      .description('Create a function from a directory or a .zip')
      .addOption(new Option('--runtime <runtime>', 'runtime').choices(RUNTIMES).makeOptionMandatory())
      .requiredOption('--handler <handler>', 'handler, e.g. index.handler, app.handler or main.Handler (Go)')
      .requiredOption('--dir <path>', 'code: a directory (zipped) or a .zip file'),
  ).action(async (name: string, o: Record<string, unknown>, cmd: Command) => {
    const ctx = contextOf(cmd);
    const f = await unwrap(
      ctx.api().POST('/api/v1/functions', {
        body: {
          name,
          runtime: o.runtime as 'nodejs',
          handler: o.handler as string,
          memoryMb: (o.memory as number | undefined) ?? 128,
          timeoutSeconds: (o.timeout as number | undefined) ?? 10,
          code: { zipBase64: zipOf(o.dir as string) },
          ...(o.env ? { env: pairs(o.env as string[], '--env')! } : {}),
          ...(o.secret ? { secrets: pairs(o.secret as string[], '--secret')! } : {}),
          ...(o.network ? { network: true } : {}),
          ...(o.concurrency ? { concurrency: o.concurrency as number } : {}),
          ...(o.description ? { description: o.description as string } : {}),
        },
      }),
    );
    if (ctx.out.json) return ctx.out.printJson(f);
    ctx.out.success(`Created function ${f.name} (${f.id}), version ${f.version}`);
  });

  config(
    fns
      .command('deploy <function> [path]')
      .description('Deploy new code (directory or .zip) and/or configuration: a new version')
      .option('--handler <handler>', 'handler')
      .option('--no-publish', "keep 'live' on the current version"),
  ).action(async (ref: string, path: string | undefined, o: Record<string, unknown>, cmd: Command) => {
    const ctx = contextOf(cmd);
    const f = await resolveFunction(ctx, ref);
    const updated = await unwrap(
      ctx.api().PUT('/api/v1/functions/{id}', {
        params: { path: { id: f.id } },
        body: {
          ...(path ? { code: { zipBase64: zipOf(path) } } : {}),
          ...(o.handler ? { handler: o.handler as string } : {}),
          ...(o.memory ? { memoryMb: o.memory as number } : {}),
          ...(o.timeout ? { timeoutSeconds: o.timeout as number } : {}),
          ...(o.env ? { env: pairs(o.env as string[], '--env')! } : {}),
          ...(o.secret ? { secrets: pairs(o.secret as string[], '--secret')! } : {}),
          ...(o.network ? { network: true } : {}),
          ...(o.concurrency ? { concurrency: o.concurrency as number } : {}),
          ...(o.description ? { description: o.description as string } : {}),
          publish: o.publish !== false,
        },
      }),
    );
    if (ctx.out.json) return ctx.out.printJson(updated);
    ctx.out.success(`Deployed ${updated.name} version ${updated.version} (live: ${updated.liveVersion})`);
  });

  fns
    .command('invoke <function>')
    .description('Invoke and print the result (exit 1 when the invocation failed)')
    .option('--payload <json>', 'event JSON (default {})')
    .option('--async', 'queue it and print the invocation id')
    .option('--qualifier <version|alias>', "version or alias (default 'live')")
    .action(
      async (ref: string, o: { payload?: string; async?: boolean; qualifier?: string }, cmd: Command) => {
        const ctx = contextOf(cmd);
        const f = await resolveFunction(ctx, ref);
        const res = await ctx.api().POST('/api/v1/functions/{id}/invoke', {
          params: { path: { id: f.id } },
          body: {
            payload: parsePayload(o.payload),
            ...(o.async ? { async: true } : {}),
            ...(o.qualifier ? { qualifier: o.qualifier } : {}),
          },
        });
        const out = (res.data ??
          (res.response.status === 429 ? (res.error as unknown) : await unwrap(Promise.resolve(res)))) as
          | components['schemas']['FunctionInvokeResult']
          | undefined;
        if (!out) return;
        if (ctx.out.json) ctx.out.printJson(out);
        else if (out.status === 'queued') ctx.out.success(`Queued ${out.invocationId}`);
        else {
          if (out.logTail) ctx.out.raw(out.logTail.endsWith('\n') ? out.logTail : `${out.logTail}\n`);
          ctx.out.note(
            `${out.invocationId} v${out.version} ${out.status} ${out.durationMs ?? '-'} ms (billed ${out.billedDurationMs ?? '-'} ms, ${out.memoryUsedMb ?? '-'} MiB${out.coldStart ? ', cold start' : ''})`,
          );
          if (out.status === 'success') ctx.out.line(JSON.stringify(out.result, null, 2));
          else ctx.out.error(`${out.error?.type ?? out.status}: ${out.error?.message ?? ''}`);
        }
        if (out.status !== 'success' && out.status !== 'queued') process.exitCode = 1;
      },
    );

  fns
    .command('logs <function>')
    .description('Recent invocations with their logs; --follow keeps printing new ones')
    .option('-f, --follow', 'poll for new invocations (Ctrl-C stops)')
    .option('--limit <n>', 'how many recent invocations', (v) => Number(v), 10)
    .action(async (ref: string, o: { follow?: boolean; limit: number }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const f = await resolveFunction(ctx, ref);
      const recent = await unwrap(
        ctx.api().GET('/api/v1/functions/{id}/invocations', {
          params: { path: { id: f.id }, query: { limit: o.limit } },
        }),
      );
      let since = new Date(0).toISOString();
      const first = [...recent.items].reverse();
      for (const summary of first) {
        const inv = await unwrap(
          ctx.api().GET('/api/v1/invocations/{id}', { params: { path: { id: summary.id } } }),
        );
        if (ctx.out.json) ctx.out.line(JSON.stringify(inv));
        else printLogs(ctx, inv);
        if (inv.finishedAt && inv.finishedAt > since) since = inv.finishedAt;
      }
      if (!o.follow) return;
      if (since === new Date(0).toISOString()) since = new Date().toISOString();
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000));
        const next = await unwrap(
          ctx
            .api()
            .GET('/api/v1/functions/{id}/invocations', { params: { path: { id: f.id }, query: { since } } }),
        );
        for (const inv of next.items) {
          if (ctx.out.json) ctx.out.line(JSON.stringify(inv));
          else printLogs(ctx, inv);
          if (inv.finishedAt && inv.finishedAt > since) since = inv.finishedAt;
        }
      }
    });

  fns
    .command('url <function>')
    .description('Show, create or change the function URL (/fn/<id>/…)')
    .addOption(
      new Option('--auth <auth>', 'none (public) or iam (token/access key)').choices(['none', 'iam']),
    )
    .option('--cors-origin <origin>', 'allow this browser origin (repeat; * for any)', collect)
    .option('--delete', 'remove the URL')
    .action(
      async (
        ref: string,
        o: { auth?: 'none' | 'iam'; corsOrigin?: string[]; delete?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const f = await resolveFunction(ctx, ref);
        if (o.delete) {
          await unwrap(ctx.api().DELETE('/api/v1/functions/{id}/url', { params: { path: { id: f.id } } }));
          return ctx.out.success(`Removed the URL of ${f.name}`);
        }
        let url = f.url;
        if (o.auth || o.corsOrigin || !url)
          url = await unwrap(
            ctx.api().PUT('/api/v1/functions/{id}/url', {
              params: { path: { id: f.id } },
              body: {
                auth: o.auth ?? url?.auth ?? 'iam',
                ...(o.corsOrigin ? { cors: { allowOrigins: o.corsOrigin } } : {}),
              },
            }),
          );
        const full = new URL(url!.url, ctx.serverUrl).toString();
        if (ctx.out.json) return ctx.out.printJson({ ...url, fullUrl: full });
        ctx.out.line(full);
        ctx.out.note(
          `auth ${url!.auth}${url!.auth === 'iam' ? ' (send Authorization: Bearer <token> or AccessKey <id>:<secret>)' : ' (public)'}`,
        );
      },
    );

  fns
    .command('schedules <function>')
    .description('List, add (--add <cron>) or delete (--delete <id>) cron triggers')
    .option('--add <cron>', 'cron expression (5 fields, or 6 with seconds)')
    .option('--timezone <zone>', 'IANA time zone (default UTC)')
    .option('--payload <json>', 'fixed event JSON for --add')
    .option('--delete <scheduleId>', 'remove a schedule')
    .action(
      async (
        ref: string,
        o: { add?: string; timezone?: string; payload?: string; delete?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const f = await resolveFunction(ctx, ref);
        if (o.add) {
          const s = await unwrap(
            ctx.api().POST('/api/v1/functions/{id}/schedules', {
              params: { path: { id: f.id } },
              body: {
                cron: o.add,
                ...(o.timezone ? { timezone: o.timezone } : {}),
                payload: parsePayload(o.payload),
              },
            }),
          );
          if (ctx.out.json) return ctx.out.printJson(s);
          return ctx.out.success(`Added schedule ${s.id}; next runs ${s.nextRuns.join(', ')}`);
        }
        if (o.delete) {
          await unwrap(
            ctx.api().DELETE('/api/v1/functions/{id}/schedules/{scheduleId}', {
              params: { path: { id: f.id, scheduleId: o.delete } },
            }),
          );
          return ctx.out.success(`Deleted schedule ${o.delete}`);
        }
        const list = await unwrap(
          ctx.api().GET('/api/v1/functions/{id}/schedules', { params: { path: { id: f.id } } }),
        );
        if (ctx.out.json) return ctx.out.printJson(list);
        ctx.out.table(
          [
            { header: 'CRON', value: (s) => `${s.cron} ${s.timezone}` },
            { header: 'NEXT', value: (s) => formatTimestamp(s.nextRunAt) ?? '-' },
            {
              header: 'LAST',
              value: (s) => (s.lastRunAt ? `${formatTimestamp(s.lastRunAt)} ${s.lastStatus ?? ''}` : 'never'),
            },
            { header: 'ID', value: (s) => s.id },
          ],
          list.items,
          `No schedules. Add one with \`proxicloud functions schedules ${f.name} --add '*/5 * * * *'\`.`,
        );
      },
    );

  fns
    .command('delete <function>')
    .alias('rm')
    .description('Delete a function with its versions, URL, schedules and invocation history')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const f = await resolveFunction(ctx, ref);
      await confirmOrExit(`Delete function ${f.name} with its versions, schedules and history?`, opts.yes);
      await unwrap(ctx.api().DELETE('/api/v1/functions/{id}', { params: { path: { id: f.id } } }));
      if (ctx.out.json) return ctx.out.printJson({ id: f.id, deleted: true });
      ctx.out.success(`Deleted function ${f.name}`);
    });
}
