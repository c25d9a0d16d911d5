/**
 * Infrastructure as code: `validate`, `plan`, `apply`, `destroy`, `drift` on a YAML file and
 * `stacks list|show|import`. Files are validated locally (positions in errors) and planned and
 * applied by the server, so the console and the CLI see the same plan and state.
 */
import fs from 'node:fs';
import {
  formatIssue,
  IacError,
  type Json,
  type LoadedFile,
  loadFile,
  stackNameFromFile,
} from '@proxicloud/iac';
import type { components } from '@proxicloud/sdk';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, ExitCode, QuietExit, UsageError } from '../lib/errors.ts';
import { formatTimestamp } from '../lib/output.ts';
import { renderDrift, renderPlan, type StackPlan, summaryLine } from './iac-render.ts';
import { followOperation } from './instances.ts';

type StackRun = components['schemas']['StackRun'];
type Stack = components['schemas']['Stack'];

interface FileOptions {
  file?: string;
  var?: string[];
  varFile?: string;
}

interface LoadedInput {
  file: string;
  document: string;
  variables: Record<string, Json>;
  loaded: LoadedFile;
}

const PLAN_FILE_VERSION = 1;

interface PlanFile {
  version: number;
  stack: string;
  file: string;
  document: string;
  variables: Record<string, Json>;
  stateHash: string;
  plan: StackPlan;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function addFileOptions(cmd: Command, required = true): Command {
  return cmd
    .option(
      '-f, --file <file>',
      `the infrastructure file (YAML)${required ? '' : '; default: the saved plan'}`,
    )
    .option(
      '--var <name=value>',
      'set a variable (repeatable); overrides PROXICLOUD_VAR_<name> and --var-file',
      collect,
    )
    .option('--var-file <file>', 'variables from a YAML or JSON file');
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${(err as Error).message}`, {
      exitCode: ExitCode.usage,
      code: 'file_unreadable',
    });
  }
}

/** Read and validate the file locally (errors with file:line:column), resolving variables. */
export function loadInput(opts: FileOptions, env: NodeJS.ProcessEnv = process.env): LoadedInput {
  if (!opts.file) throw new UsageError('Missing -f <file>: the infrastructure file to use');
  const document = readText(opts.file);
  const vars: Record<string, Json> = {};
  for (const kv of opts.var ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--var ${kv}: expected name=value`);
    vars[kv.slice(0, i)] = kv.slice(i + 1);
  }
  let varFile: Record<string, Json> = {};
  if (opts.varFile) {
    const parsed = parseYaml(readText(opts.varFile)) as unknown;
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new UsageError(`--var-file ${opts.varFile}: expected a mapping of variable names to values`);
    }
    varFile = (parsed ?? {}) as Record<string, Json>;
  }
  let loaded: LoadedFile;
  try {
    loaded = loadFile(document, { defaultStack: stackNameFromFile(opts.file), vars, varFile, env });
  } catch (err) {
    if (err instanceof IacError) {
      throw new CliError(
        `${opts.file} is not valid:\n${err.issues.map((i) => `  ${formatIssue(i, opts.file)}`).join('\n')}`,
        {
          exitCode: ExitCode.validation,
          code: 'invalid_document',
          details: err.issues,
        },
      );
    }
    throw err;
  }
  // the server resolves again from these (env and var-file already merged, typed by the file)
  return { file: opts.file, document, variables: loaded.variables, loaded };
}

async function planOnServer(ctx: Context, input: LoadedInput): Promise<StackPlan> {
  const res = await unwrap(
    ctx.api().POST('/api/v1/stacks/{name}/plan', {
      params: { path: { name: input.loaded.stack } },
      body: { document: input.document, variables: input.variables },
    }),
  );
  return res.plan;
}

function hasChanges(plan: StackPlan): boolean {
  const s = plan.summary;
  return s.create + s.update + s.replace + s.delete > 0;
}

/** The server answered: nothing to do, or an operation that applies the plan; follow it to the end. */
async function followRun(ctx: Context, run: StackRun, verb: string): Promise<void> {
  if (run.result === 'no-changes' || !run.operation) {
    if (ctx.out.json) ctx.out.printJson(run);
    else ctx.out.success(`${verb}: no changes; stack ${run.stack.name} matches the file`);
    return;
  }
  if (!ctx.out.json) ctx.out.note(`${verb} runs as operation ${run.operation.id}; progress per resource:`);
  let op: Awaited<ReturnType<typeof followOperation>>;
  try {
    op = await followOperation(ctx, run.operation.id);
  } catch (err) {
    if (err instanceof CliError && err.code) {
      throw new CliError(`${verb} failed: ${err.message.replace(/^Operation [\w.]+ failed: /, '')}`, {
        code: err.code === 'stack_step_failed' ? 'apply_failed' : err.code,
        details: err.details,
        hint: 'What was done is recorded in the stack; fix the cause and apply again to continue.',
      });
    }
    throw err;
  }
  const stack = await unwrap(
    ctx.api().GET('/api/v1/stacks/{name}', { params: { path: { name: run.stack.name } } }),
  );
  if (ctx.out.json) {
    ctx.out.printJson({ ...run, operation: op, stack });
    return;
  }
  const s = run.plan.summary;
  ctx.out.success(
    `${verb} complete: ${s.create} added, ${s.update} changed, ${s.replace} replaced, ${s.delete} destroyed (stack ${stack.name}, ${stack.resources.length} resources)`,
  );
}

export function registerStackCommands(program: Command): void {
  addFileOptions(
    program
      .command('validate')
      .description(
        'Check an infrastructure file (YAML syntax, schema, variables, references, cycles) without the server',
      )
      .addHelpText(
        'after',
        examples('proxicloud validate -f infra.yaml', 'proxicloud validate -f infra.yaml --var env=prod'),
      ),
  ).action(function (this: Command) {
    const ctx = contextOf(this);
    const input = loadInput(this.opts<FileOptions>());
    if (ctx.out.json) {
      ctx.out.printJson({
        valid: true,
        stack: input.loaded.stack,
        resources: input.loaded.resources.map((r) => r.address),
      });
      return;
    }
    ctx.out.success(
      `${input.file} is valid: stack ${input.loaded.stack}, ${input.loaded.resources.length} resources`,
    );
  });

  addFileOptions(
    program
      .command('plan')
      .description('Show what apply would change: + create, ~ update in place, -/+ replace, - destroy')
      .option(
        '--detailed-exitcode',
        'exit 0 when there are no changes, 2 when there are, 1 on errors (for CI)',
      )
      .option(
        '--out <planfile>',
        'save the plan (apply it later with `proxicloud apply <planfile>`); also -out',
      )
      .addHelpText(
        'after',
        examples(
          'proxicloud plan -f infra.yaml',
          'proxicloud plan -f infra.yaml -out lab.plan && proxicloud apply lab.plan',
          'proxicloud plan -f infra.yaml --detailed-exitcode   # CI: 2 = changes pending',
        ),
      ),
  ).action(async function (this: Command) {
    const ctx = contextOf(this);
    const opts = this.opts<FileOptions & { detailedExitcode?: boolean; out?: string }>();
    const input = loadInput(opts);
    const plan = await planOnServer(ctx, input);
    if (ctx.out.json) ctx.out.printJson(plan);
    else ctx.out.line(renderPlan(ctx.out.c, plan));
    if (opts.out) {
      const saved: PlanFile = {
        version: PLAN_FILE_VERSION,
        stack: plan.stack,
        file: input.file,
        document: input.document,
        variables: input.variables,
        stateHash: plan.stateHash,
        plan,
      };
      fs.writeFileSync(opts.out, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
      ctx.out.note(`Saved the plan to ${opts.out}; apply exactly this with: proxicloud apply ${opts.out}`);
    }
    if (opts.detailedExitcode && hasChanges(plan)) throw new QuietExit(2);
  });

  addFileOptions(
    program
      .command('apply [planfile]')
      .description('Create, update, replace and delete resources so the stack matches the file')
      .option('--auto-approve', 'do not ask for confirmation (scripts)')
      .addHelpText(
        'after',
        examples(
          'proxicloud apply -f infra.yaml',
          'proxicloud apply -f infra.yaml --auto-approve --var env=prod',
          'proxicloud apply lab.plan            # a saved plan; refused if the stack changed since',
        ),
      ),
  ).action(async function (this: Command, planfile: string | undefined) {
    const ctx = contextOf(this);
    const opts = this.opts<FileOptions & { autoApprove?: boolean }>();
    let document: string;
    let variables: Record<string, Json>;
    let stack: string;
    let plan: StackPlan;
    if (planfile) {
      if (opts.file) throw new UsageError('Give either a saved plan or -f <file>, not both');
      const saved = JSON.parse(readText(planfile)) as PlanFile;
      if (saved.version !== PLAN_FILE_VERSION || !saved.document)
        throw new UsageError(`${planfile} is not a saved plan`);
      ({ document, variables, stack, plan } = saved);
      if (!ctx.out.json) ctx.out.line(renderPlan(ctx.out.c, plan));
    } else {
      const input = loadInput(opts);
      ({ document, variables } = input);
      stack = input.loaded.stack;
      plan = await planOnServer(ctx, input);
      if (!ctx.out.json) ctx.out.line(renderPlan(ctx.out.c, plan));
      if (!hasChanges(plan)) {
        if (ctx.out.json) ctx.out.printJson({ result: 'no-changes', plan });
        return;
      }
      await confirmOrExit(`Apply these changes to stack ${stack}?`, opts.autoApprove);
    }
    const run = await unwrap(
      ctx.api().POST('/api/v1/stacks/{name}/apply', {
        params: { path: { name: stack } },
        body: { document, variables, expectedStateHash: plan.stateHash },
      }),
    );
    await followRun(ctx, run, 'Apply');
  });

  addFileOptions(
    program
      .command('destroy')
      .description("Delete every resource the file's stack owns (dependents first); nothing else is touched")
      .option('--auto-approve', 'do not ask for confirmation (scripts)')
      .addHelpText(
        'after',
        examples('proxicloud destroy -f infra.yaml', 'proxicloud destroy -f infra.yaml --auto-approve'),
      ),
  ).action(async function (this: Command) {
    const ctx = contextOf(this);
    const opts = this.opts<FileOptions & { autoApprove?: boolean }>();
    const input = loadInput(opts);
    const name = input.loaded.stack;
    const stack = await unwrap(ctx.api().GET('/api/v1/stacks/{name}', { params: { path: { name } } }));
    if (stack.resources.length === 0) {
      ctx.out.info(`Stack ${name} owns no resources; nothing to destroy`);
      return;
    }
    if (!ctx.out.json) {
      ctx.out.line(`ProxiCloud will destroy these resources of stack ${ctx.out.c.bold(name)}:\n`);
      for (const r of stack.resources)
        ctx.out.line(`  ${ctx.out.c.red('-')} ${r.address} ${ctx.out.c.dim(`(${r.id})`)}`);
      ctx.out.line(`\nPlan: 0 to add, 0 to change, ${stack.resources.length} to destroy.`);
    }
    await confirmOrExit(`Destroy ${stack.resources.length} resources of stack ${name}?`, opts.autoApprove);
    const run = await unwrap(
      ctx.api().POST('/api/v1/stacks/{name}/destroy', {
        params: { path: { name } },
        body: { expectedStateHash: stack.stateHash },
      }),
    );
    await followRun(ctx, run, 'Destroy');
  });

  addFileOptions(
    program
      .command('drift')
      .description(
        'Show what changed outside ProxiCloud since the last apply (and what apply would do about it)',
      )
      .option('--detailed-exitcode', 'exit 2 when something drifted')
      .addHelpText('after', examples('proxicloud drift -f infra.yaml')),
  ).action(async function (this: Command) {
    const ctx = contextOf(this);
    const opts = this.opts<FileOptions & { detailedExitcode?: boolean }>();
    const plan = await planOnServer(ctx, loadInput(opts));
    const drifted = plan.changes.filter(
      (c) => c.drift.length > 0 || c.reason === 'deleted outside ProxiCloud',
    );
    if (ctx.out.json) ctx.out.printJson({ stack: plan.stack, drift: drifted });
    else if (drifted.length === 0)
      ctx.out.success(`No drift: what exists matches the last apply of stack ${plan.stack}`);
    else ctx.out.line([...renderDrift(ctx.out.c, plan), summaryLine(plan)].join('\n'));
    if (opts.detailedExitcode && drifted.length > 0) throw new QuietExit(2);
  });

  const stacks = program
    .command('stacks')
    .description('Stacks: the server-side state of infrastructure files')
    .addHelpText(
      'after',
      examples(
        'proxicloud stacks list',
        'proxicloud stacks show lab',
        'proxicloud stacks import -f infra.yaml',
      ),
    );

  stacks
    .command('list')
    .alias('ls')
    .description('Your stacks')
    .action(async function (this: Command) {
      const ctx = contextOf(this);
      const page = await unwrap(ctx.api().GET('/api/v1/stacks', { params: { query: { limit: 1000 } } }));
      if (ctx.out.json) return ctx.out.printJson(page);
      if (page.items.length === 0) {
        ctx.out.info('No stacks yet. Create one with: proxicloud apply -f infra.yaml');
        return;
      }
      ctx.out.table(
        [
          { header: 'NAME', value: (s) => s.name },
          { header: 'STATUS', value: (s) => s.status },
          { header: 'RESOURCES', value: (s) => String(s.resourceCount) },
          { header: 'LAST APPLIED', value: (s) => formatTimestamp(s.lastAppliedAt) ?? '-' },
          { header: 'BY', value: (s) => s.lastAppliedBy ?? '-' },
        ],
        page.items as Stack[],
      );
    });

  stacks
    .command('show <name>')
    .description('Resources of a stack (with ids), its last applied hash and its history')
    .action(async function (this: Command, name: string) {
      const ctx = contextOf(this);
      const s = await unwrap(ctx.api().GET('/api/v1/stacks/{name}', { params: { path: { name } } }));
      if (ctx.out.json) return ctx.out.printJson(s);
      ctx.out.details([
        ['Name', s.name],
        ['Status', s.status],
        ['Resources', String(s.resourceCount)],
        ['Last applied', `${formatTimestamp(s.lastAppliedAt) ?? '-'} by ${s.lastAppliedBy ?? '-'}`],
        ['File hash', s.specHash ?? '-'],
        [
          'Running',
          s.operationId
            ? `operation ${s.operationId} (follow: proxicloud instances wait ${s.operationId})`
            : '-',
        ],
      ]);
      if (s.resources.length) {
        ctx.out.line('\nResources:');
        ctx.out.table(
          [
            { header: 'ADDRESS', value: (r) => r.address },
            { header: 'ID', value: (r) => r.id },
          ],
          s.resources,
        );
      }
      if (s.history.length) {
        ctx.out.line('\nHistory:');
        ctx.out.table(
          [
            { header: 'WHEN', value: (h) => formatTimestamp(h.startedAt) ?? '' },
            { header: 'WHO', value: (h) => h.username },
            { header: 'ACTION', value: (h) => h.action },
            { header: 'STATUS', value: (h) => h.status },
            { header: 'OPERATION', value: (h) => h.operationId ?? '-' },
            {
              header: 'WHAT',
              value: (h) => h.changes.map((c) => `${c.action} ${c.address}`).join(', ') || '-',
            },
          ],
          s.history,
        );
      }
    });

  addFileOptions(
    stacks
      .command('import')
      .description("Adopt existing resources named like the file's into its stack (nothing is changed)"),
  ).action(async function (this: Command) {
    const ctx = contextOf(this);
    const input = loadInput(this.opts<FileOptions>());
    const res = await unwrap(
      ctx.api().POST('/api/v1/stacks/{name}/import', {
        params: { path: { name: input.loaded.stack } },
        body: { document: input.document, variables: input.variables },
      }),
    );
    if (ctx.out.json) return ctx.out.printJson(res);
    for (const i of res.imported) ctx.out.line(`${ctx.out.c.green('✔')} ${i.address} ← ${i.id}`);
    for (const a of res.notFound)
      ctx.out.line(`${ctx.out.c.dim('·')} ${a}: nothing of that name exists (apply will create it)`);
    ctx.out.success(`Imported ${res.imported.length} resources into stack ${res.stack.name}`);
  });
}
