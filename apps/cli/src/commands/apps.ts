/** `apps catalog|deploy|list|get|logs|update|remove|templates`: one-click apps (docs/apps.md). */
import { readFileSync } from 'node:fs';
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { followOperation } from './instances.ts';
import { resolveLaunchNetworking } from './networks.ts';

type App = components['schemas']['App'];
type TemplateSummary = components['schemas']['AppTemplateSummary'];
type AppOperation = components['schemas']['AppOperation'];

const APP_ID = /^app-[0-9a-f]{17}$/;

export async function resolveApp(ctx: Context, ref: string): Promise<App> {
  const api = ctx.api();
  if (APP_ID.test(ref)) return unwrap(api.GET('/api/v1/apps/{id}', { params: { path: { id: ref } } }));
  const page = (await unwrap(api.GET('/api/v1/apps', { params: { query: { limit: 1000 } } }))) as Page<App>;
  const hit = page.items.find((a) => a.name === ref);
  if (!hit) throw new CliError(`No app named "${ref}"`, { exitCode: ExitCode.notFound });
  return hit;
}

/** `--param key=value` (repeatable): numbers and true/false become JSON values. */
function parseParam(value: string, prev: Record<string, string | number | boolean> = {}) {
  const eq = value.indexOf('=');
  if (eq < 1) throw new CliError(`--param wants key=value, got "${value}"`, { exitCode: ExitCode.usage });
  const key = value.slice(0, eq);
  const raw = value.slice(eq + 1);
  const v = /^-?\d+$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
  return { ...prev, [key]: v };
}

const healthColor = (text: string, c: Context['out']['c']): string =>
  text === 'healthy' || text === 'ready'
    ? c.green(text)
    : text === 'failed' || text === 'unhealthy'
      ? c.red(text)
      : c.yellow(text);

const appColumns: Column<App>[] = [
  { header: 'ID', value: (a) => a.id },
  { header: 'NAME', value: (a) => a.name },
  {
    header: 'APP',
    value: (a) => `${a.templateName} ${a.version}${a.updateAvailable ? ` (→ ${a.latestVersion})` : ''}`,
  },
  { header: 'STATUS', value: (a) => a.status, color: healthColor },
  { header: 'HEALTH', value: (a) => a.health.status, color: healthColor },
  { header: 'URL', value: (a) => a.url },
];

/** "name (id)" for the app's instance and volumes, falling back to the bare id when one cannot be read. */
async function namesOf(ctx: Context, a: App): Promise<{ instance: string | null; volumes: string[] }> {
  const api = ctx.api();
  const named = (name: string | undefined, id: string) => (name && name !== id ? `${name} (${id})` : id);
  const [instance, volumes] = await Promise.all([
    a.instanceId
      ? unwrap(api.GET('/api/v1/instances/{id}', { params: { path: { id: a.instanceId } } })).then(
          (i) => named(i.name, i.id),
          () => a.instanceId,
        )
      : null,
    Promise.all(
      a.volumeIds.map((id) =>
        unwrap(api.GET('/api/v1/volumes/{id}', { params: { path: { id } } })).then(
          (v) => named(v.name, v.id),
          () => id,
        ),
      ),
    ),
  ]);
  return { instance, volumes };
}

async function printApp(ctx: Context, a: App): Promise<void> {
  if (ctx.out.json) {
    ctx.out.printJson(a);
    return;
  }
  const names = await namesOf(ctx, a);
  ctx.out.details([
    ['ID', a.id],
    ['Name', a.name],
    ['App', `${a.templateName} ${a.version} (${a.templateId})`],
    [
      'Update',
      a.updateAvailable
        ? a.baseType === 'vm'
          ? `${a.latestVersion} in the catalog (a VM app: update inside the VM, or deploy it anew)`
          : `${a.latestVersion} available: proxicloud apps update ${a.name}`
        : null,
    ],
    ['Status', a.status],
    ['Health', `${a.health.status}${a.health.detail ? ` (${a.health.detail})` : ''}`],
    ['URL', a.url],
    ['Instance', names.instance],
    ['IP', a.ip],
    ['Volumes', names.volumes.join(', ') || null],
    ['Error', a.error ? `${a.error.step ? `[${a.error.step}] ` : ''}${a.error.message}` : null],
    ['Created', formatTimestamp(a.createdAt)],
  ]);
  if (a.notes) {
    ctx.out.line();
    ctx.out.line(a.notes.trimEnd());
  }
}

/** Follow an app operation, printing new setup log lines as they arrive. */
async function follow(ctx: Context, answer: AppOperation): Promise<void> {
  const api = ctx.api();
  let after = 0;
  const drain = async () => {
    const logs = await unwrap(
      api.GET('/api/v1/apps/{id}/logs', { params: { path: { id: answer.app.id }, query: { after } } }),
    ).catch(() => null);
    if (!logs) return;
    for (const l of logs.items) if (!ctx.out.json) ctx.out.note(`  [${l.step}] ${l.line}`);
    after = logs.next;
  };
  const timer = setInterval(() => void drain(), 1000);
  try {
    await followOperation(ctx, answer.operation.id);
  } finally {
    clearInterval(timer);
    await drain();
  }
}

type TemplateDetail = components['schemas']['AppTemplateDetail'];
type Parameter = TemplateDetail['template']['parameters'][number];

/** What a parameter accepts, in words: `--param` values are checked against it. */
export function parameterRule(p: Parameter): string {
  const parts: string[] = [];
  if (p.type === 'choice' && p.choices) parts.push(`one of ${p.choices.join(', ')}`);
  else if (p.type === 'int')
    parts.push(
      p.min !== undefined && p.max !== undefined
        ? `whole number ${p.min}–${p.max}`
        : p.min !== undefined
          ? `whole number ≥ ${p.min}`
          : p.max !== undefined
            ? `whole number ≤ ${p.max}`
            : 'whole number',
    );
  else if (p.type === 'bool') parts.push('true or false');
  else if (p.minLength !== undefined || p.maxLength !== undefined)
    parts.push(`${p.minLength ?? 0}–${p.maxLength ?? '…'} characters`);
  if (p.default !== undefined) parts.push(`default ${String(p.default)}`);
  else if (p.generate) parts.push('generated when not given');
  else if (p.required) parts.push('required');
  return parts.join('; ');
}

async function printTemplate(ctx: Context, id: string): Promise<void> {
  const t = await unwrap(ctx.api().GET('/api/v1/app-templates/{id}', { params: { path: { id } } }));
  if (ctx.out.json) return ctx.out.printJson(t);
  ctx.out.details([
    ['ID', t.id],
    ['Name', `${t.name} ${t.version}`],
    ['Category', t.category],
    ['Runs in', t.baseType === 'vm' ? 'a VM' : 'a container'],
    ['Needs', `${t.minimums.vcpu} vCPU, ${t.minimums.memoryMib} MiB, ${t.minimums.diskGib} GiB`],
    ['About', t.description],
  ]);
  ctx.out.line();
  ctx.out.table(
    [
      { header: 'PARAMETER', value: (p: Parameter) => p.key },
      { header: 'LABEL', value: (p) => p.label },
      { header: 'TYPE', value: (p) => p.type },
      { header: 'ACCEPTS', value: (p) => parameterRule(p) },
    ],
    t.template.parameters,
    'No parameters: deploy it with just a name.',
  );
  ctx.out.line();
  ctx.out.note(
    `Deploy: proxicloud apps deploy ${t.id} <name>${
      t.template.parameters[0] ? ` --param ${t.template.parameters[0].key}=…` : ''
    } --wait`,
  );
}

export function registerAppCommands(program: Command): void {
  const apps = program
    .command('apps')
    .alias('app')
    .description(
      'One-click apps: a catalog of pinned app templates deployed as instances and checked for health',
    )
    .addHelpText(
      'after',
      `
An app is an ordinary instance (tag app=<template>) set up by the template's script inside the
container. Deploys run as one operation: creating → installing → configuring → health-check → ready.
${examples(
  'proxicloud apps catalog',
  'proxicloud apps catalog nextcloud',
  'proxicloud apps deploy jellyfin media --wait',
  'proxicloud apps deploy nextcloud cloud --param adminUser=me --memory 4096 --wait',
  'proxicloud apps logs cloud',
  'proxicloud apps update cloud --wait',
  'proxicloud apps remove cloud --delete-volumes --yes',
)}`,
    );

  apps
    .command('catalog [template]')
    .description(
      'List the app templates you can deploy (built-in, yours, shared); with a template id, its parameters',
    )
    .option(
      '--category <category>',
      'media, storage, security, monitoring, development, home-automation, other',
    )
    .action(async (template: string | undefined, opts: { category?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (template) return printTemplate(ctx, template);
      const page = (await unwrap(ctx.api().GET('/api/v1/app-templates'))) as Page<TemplateSummary>;
      const items = page.items.filter((t) => !opts.category || t.category === opts.category);
      if (ctx.out.json) return ctx.out.printJson({ ...page, items });
      ctx.out.table(
        [
          { header: 'ID', value: (t: TemplateSummary) => t.id },
          { header: 'NAME', value: (t) => t.name },
          { header: 'VERSION', value: (t) => t.version },
          { header: 'CATEGORY', value: (t) => t.category },
          {
            header: 'NEEDS',
            value: (t) => `${t.minimums.vcpu} vCPU, ${t.minimums.memoryMib} MiB, ${t.minimums.diskGib} GiB`,
          },
          { header: 'SOURCE', value: (t) => (t.builtin ? 'built-in' : t.shared ? 'shared' : 'yours') },
        ],
        items,
        'No templates match.',
      );
    });

  apps
    .command('deploy <template> <name>')
    .description('Deploy an app from a template; parameters are checked before anything is created')
    .option(
      '--param <key=value>',
      'a template parameter (repeatable; the keys: proxicloud apps catalog <template>)',
      parseParam,
    )
    .option('--type <instanceType>', 'instance type (must meet the template minimums)')
    .option('--vcpu <n>', 'vCPUs (default: the template minimum)', (v) => Number(v))
    .option('--memory <MiB>', 'memory in MiB (default: the template minimum)', (v) => Number(v))
    .option('--disk <GiB>', 'root disk in GiB (default: the template minimum)', (v) => Number(v))
    .option('--network <network...>', 'ProxiCloud network names or ids (first = primary)')
    .option(
      '--security-group <group...>',
      'security group names or ids for the NICs on --network (open the app ports)',
    )
    .option('-w, --wait', 'wait until ready, showing the steps and the setup log as the script prints it')
    .addHelpText(
      'after',
      `
Without --type or --vcpu/--memory/--disk the app gets the template's minimums. The name is also the
instance's name and hostname.
${examples(
  'proxicloud apps catalog nextcloud            # its parameters and minimums',
  'proxicloud apps deploy nextcloud cloud --param adminUser=me --wait',
  'proxicloud apps deploy jellyfin media --memory 4096 --disk 50',
  'proxicloud apps deploy uptime-kuma status --network lab --security-group web --wait',
)}`,
    )
    .action(
      async (
        template: string,
        name: string,
        opts: {
          param?: Record<string, string | number | boolean>;
          type?: string;
          vcpu?: number;
          memory?: number;
          disk?: number;
          network?: string[];
          securityGroup?: string[];
          wait?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const sized = opts.vcpu !== undefined || opts.memory !== undefined || opts.disk !== undefined;
        if (sized && opts.type)
          throw new CliError('Give --type or --vcpu/--memory/--disk, not both', { exitCode: ExitCode.usage });
        const instanceType = opts.type
          ? opts.type
          : sized
            ? {
                ...(opts.vcpu !== undefined ? { vcpu: opts.vcpu } : {}),
                ...(opts.memory !== undefined ? { memoryMib: opts.memory } : {}),
                ...(opts.disk !== undefined ? { diskGib: opts.disk } : {}),
              }
            : undefined;
        const answer = await unwrap(
          ctx.api().POST('/api/v1/apps', {
            body: {
              templateId: template,
              name,
              ...(opts.param && Object.keys(opts.param).length ? { params: opts.param } : {}),
              ...(instanceType ? { instanceType } : {}),
              ...(await resolveLaunchNetworking(ctx, opts.network, opts.securityGroup)),
            },
          }),
        );
        if (!opts.wait) {
          if (ctx.out.json) return ctx.out.printJson(answer);
          ctx.out.success(
            `Deploying ${answer.app.templateName} as ${name} (operation ${answer.operation.id}).`,
          );
          ctx.out.note(`Follow it: proxicloud apps logs ${name} --follow`);
          return;
        }
        await follow(ctx, answer);
        await printApp(ctx, await resolveApp(ctx, answer.app.id));
      },
    );

  apps
    .command('list')
    .alias('ls')
    .description('Your deployed apps with status, health and URL')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/apps', { params: { query: { limit: 1000 } } }),
      )) as Page<App>;
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        appColumns,
        page.items,
        'No apps yet. Deploy one: proxicloud apps catalog, then proxicloud apps deploy <template> <name>.',
      );
    });

  apps
    .command('get <app>')
    .description('One app: status, health, URL and the post-install notes')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      await printApp(ctx, await resolveApp(ctx, ref));
    });

  apps
    .command('logs <app>')
    .description('The setup log (every step), oldest first')
    .option('-f, --follow', 'keep printing new lines until the running operation ends')
    .action(async (ref: string, opts: { follow?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const app = await resolveApp(ctx, ref);
      const logs = await unwrap(
        ctx.api().GET('/api/v1/apps/{id}/logs', { params: { path: { id: app.id } } }),
      );
      if (ctx.out.json && !opts.follow) return ctx.out.printJson(logs);
      for (const l of logs.items) ctx.out.line(`[${l.step}] ${l.line}`);
      if (opts.follow && app.activeOperationId) {
        let after = logs.next;
        for (;;) {
          const more = await unwrap(
            ctx.api().GET('/api/v1/apps/{id}/logs', { params: { path: { id: app.id }, query: { after } } }),
          );
          for (const l of more.items) ctx.out.line(`[${l.step}] ${l.line}`);
          after = more.next;
          const now = await resolveApp(ctx, app.id).catch(() => null);
          if (!now?.activeOperationId) break;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    });

  apps
    .command('update <app>')
    .description("Update to the catalog's newer version (volume snapshots are taken first)")
    .option('-w, --wait', 'wait until the app is ready again')
    .action(async (ref: string, opts: { wait?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const app = await resolveApp(ctx, ref);
      const answer = await unwrap(
        ctx.api().POST('/api/v1/apps/{id}/update', { params: { path: { id: app.id } } }),
      );
      if (!opts.wait) {
        if (ctx.out.json) return ctx.out.printJson(answer);
        ctx.out.success(`Updating ${app.name} to ${app.latestVersion} (operation ${answer.operation.id}).`);
        return;
      }
      await follow(ctx, answer);
      await printApp(ctx, await resolveApp(ctx, app.id));
    });

  apps
    .command('remove <app>')
    .alias('rm')
    .description("Remove an app: terminates its instance; --delete-volumes also deletes the app's volumes")
    .option('--delete-volumes', "also delete the app's volumes (their data is gone)")
    .option('-y, --yes', 'do not ask for confirmation')
    .option('-w, --wait', 'wait until removed')
    .action(
      async (ref: string, opts: { yes?: boolean; deleteVolumes?: boolean; wait?: boolean }, cmd: Command) => {
        const ctx = contextOf(cmd);
        await confirmOrExit(
          `Remove app ${ref} and terminate its instance${opts.deleteVolumes ? ', deleting its volumes' : ' (volumes are kept)'}?`,
          opts.yes,
        );
        const app = await resolveApp(ctx, ref);
        const answer = await unwrap(
          ctx.api().DELETE('/api/v1/apps/{id}', {
            params: {
              path: { id: app.id },
              query: { confirm: app.id, ...(opts.deleteVolumes ? { deleteVolumes: true } : {}) },
            },
          }),
        );
        if (opts.wait) await followOperation(ctx, answer.operation.id);
        if (ctx.out.json) return ctx.out.printJson(answer);
        ctx.out.success(
          opts.wait ? `Removed ${app.name}.` : `Removing ${app.name} (operation ${answer.operation.id}).`,
        );
      },
    );

  const templates = apps
    .command('templates')
    .description('Custom app templates (validated against the schema)');
  templates
    .command('add [file]')
    .description('Add a template from a YAML/JSON file (or --git-url); errors name the line')
    .option('--git-url <url>', 'https URL of a raw template file (pin it to a commit)')
    .option('--shared', 'share with every user (admins)')
    .option('--replace', 'replace your template with the same id (a new version for its apps)')
    .action(
      async (
        file: string | undefined,
        opts: { gitUrl?: string; shared?: boolean; replace?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (!file && !opts.gitUrl)
          throw new CliError('Give a file or --git-url', { exitCode: ExitCode.usage });
        const text = file ? readFileSync(file, 'utf8') : undefined;
        const res = await ctx.api().POST('/api/v1/app-templates', {
          body: {
            ...(text !== undefined ? { text } : {}),
            ...(opts.gitUrl ? { gitUrl: opts.gitUrl } : {}),
            ...(opts.shared ? { shared: true } : {}),
            ...(opts.replace ? { replace: true } : {}),
          },
        });
        if (res.error) {
          const problems = (
            res.error as {
              error?: { details?: { problems?: { line?: number; path: string; message: string }[] } };
            }
          ).error?.details?.problems;
          if (problems?.length && !ctx.out.json) {
            for (const p of problems)
              ctx.out.warn(
                `${file ?? opts.gitUrl}${p.line ? `:${p.line}` : ''}: ${p.path || '/'}: ${p.message}`,
              );
          }
        }
        const t = await unwrap(Promise.resolve(res) as Promise<typeof res>);
        if (ctx.out.json) return ctx.out.printJson(t);
        ctx.out.success(`Added template ${t.id} (${t.name} ${t.version}).`);
      },
    );
}
