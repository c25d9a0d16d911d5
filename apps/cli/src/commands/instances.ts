/**
 * `instances list|get|launch|start|stop|reboot|terminate|wait` and the operation follower shared
 * by the compute commands (progress on stderr, `--wait`, exit code 1 when the operation failed).
 */
import fs from 'node:fs';
import type { components } from '@proxicloud/sdk';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import {
  addListOptions,
  confirmOrExit,
  examples,
  fetchListPage,
  intInRange,
  type ListOptions,
  printPage,
} from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { ApiError, CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, colorStatus, formatTimestamp } from '../lib/output.ts';
import { resolveLaunchNetworking } from './networks.ts';

export type Instance = components['schemas']['Instance'];
export type Operation = components['schemas']['Operation'];
type CatalogImage = components['schemas']['CatalogImage'];

const INSTANCE_ID = /^i-[0-9a-f]{17}$/;
const OPERATION_ID = /^op-[0-9a-f]{17}$/;

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

export function instanceStatusColor(text: string, c: Context['out']['c']): string {
  if (text === 'running') return c.green(text);
  if (text === 'stopped' || text === 'terminated') return c.dim(text);
  if (text === 'error') return c.red(text);
  if (/ing$/.test(text)) return c.yellow(text);
  return colorStatus(text, c);
}

const columns: Column<Instance>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'NAME', value: (i) => i.name },
  { header: 'TYPE', value: (i) => i.type },
  { header: 'STATUS', value: (i) => i.status, color: instanceStatusColor },
  { header: 'NODE', value: (i) => i.node },
  { header: 'IP', value: (i) => i.ipAddresses[0] },
  { header: 'VCPU', value: (i) => i.vcpu, align: 'right' },
  { header: 'MEMORY', value: (i) => `${i.memory} MiB`, align: 'right' },
  {
    header: 'CPU',
    value: (i) => (i.usage && i.status === 'running' ? `${(i.usage.cpu * 100).toFixed(0)}%` : ''),
    align: 'right',
  },
  { header: 'CREATED', value: (i) => formatTimestamp(i.createdAt) },
];

/**
 * An instance by id or by name. A name means a live instance first; with `includeTerminated` (for
 * commands that make sense on a terminated one: get, wait, metrics) a terminated instance is found
 * by its name too (the newest one when several terminated instances had that name). Without it, a
 * name that only a terminated instance had says so.
 */
export async function resolveInstance(
  ctx: Context,
  ref: string,
  opts: { includeTerminated?: boolean } = {},
): Promise<Instance> {
  const api = ctx.api();
  if (INSTANCE_ID.test(ref))
    return unwrap(api.GET('/api/v1/instances/{id}', { params: { path: { id: ref } } }));
  const page = (await unwrap(
    api.GET('/api/v1/instances', {
      params: { query: { q: ref, limit: 1000, usage: false, includeTerminated: true } },
    }),
  )) as Page<Instance>;
  const named = page.items.filter((i) => i.name === ref);
  const live = named.filter((i) => i.status !== 'terminated');
  if (live.length === 1) return live[0]!;
  if (live.length > 1) {
    throw new CliError(`Several instances are named "${ref}"; use its id`, {
      exitCode: ExitCode.conflict,
      code: 'ambiguous',
    });
  }
  const gone = named
    .filter((i) => i.status === 'terminated')
    .sort((a, b) => (b.terminatedAt ?? b.updatedAt).localeCompare(a.terminatedAt ?? a.updatedAt));
  if (gone.length && opts.includeTerminated) return gone[0]!;
  if (gone.length) {
    const last = gone[0]!;
    throw new CliError(
      `No live instance named "${ref}": ${last.id} had that name and was terminated${last.terminatedAt ? ` at ${formatTimestamp(last.terminatedAt)}` : ''}`,
      {
        exitCode: ExitCode.notFound,
        code: 'not_found',
        hint: `Details: proxicloud instances get ${ref}; all of them: proxicloud instances list --include-terminated`,
      },
    );
  }
  throw new CliError(`No instance named "${ref}"`, {
    exitCode: ExitCode.notFound,
    code: 'not_found',
    hint: 'List them with `proxicloud instances list` (terminated ones: --include-terminated).',
  });
}

/** Names for the ids an instance refers to (key pairs, attached volumes); an id stays when unknown. */
async function instanceRefs(ctx: Context, i: Instance): Promise<{ keys: string[]; volumes: string[] }> {
  const api = ctx.api();
  const keys = await Promise.all(
    i.keyPairIds.map(async (id) => {
      try {
        const k = await unwrap(api.GET('/api/v1/key-pairs/{id}', { params: { path: { id } } }));
        return k.name;
      } catch {
        return id; // deleted since, or not visible to you
      }
    }),
  );
  let volumes: string[] = [];
  if (i.status !== 'terminated') {
    try {
      const page = (await unwrap(
        api.GET('/api/v1/volumes', { params: { query: { instanceId: i.id, limit: 1000 } } }),
      )) as Page<{ name: string; deviceName: string | null }>;
      volumes = page.items.map((v) => (v.deviceName ? `${v.name} (${v.deviceName})` : v.name));
    } catch {
      volumes = [];
    }
  }
  return { keys, volumes };
}

/* ------------------------------------------------------------------ operations */

export interface FollowOptions {
  /** seconds; default 30 min */
  timeout?: number;
}

/**
 * Follow an operation until it ends, showing its steps on stderr (a spinner line on a terminal,
 * one line per step change otherwise). Throws a CliError (exit 1) when it failed, with the Proxmox
 * task log tail in the hint.
 */
/** Follow an operation (if any) to its end; a failed one is an error naming `what`. */
export async function waitForOperation(
  ctx: Context,
  opId: string | null | undefined,
  what: string,
): Promise<void> {
  if (!opId) return;
  const op = await followOperation(ctx, opId);
  if (op.status !== 'succeeded')
    throw new CliError(`${what} failed: ${op.error?.message ?? op.status}`, { code: 'operation_failed' });
}

export async function followOperation(
  ctx: Context,
  id: string,
  options: FollowOptions = {},
): Promise<Operation> {
  const api = ctx.api();
  const deadline = Date.now() + (options.timeout ?? 1800) * 1000;
  const tty = Boolean(process.stderr.isTTY) && !ctx.out.quiet;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  const seen = new Map<string, string>();
  let op: Operation;
  for (let delay = 200; ; delay = Math.min(delay * 1.3, 1000)) {
    op = await unwrap(api.GET('/api/v1/operations/{id}', { params: { path: { id } } }));
    for (const s of op.steps) {
      if (s.status === 'pending' || seen.get(s.name) === s.status) continue;
      seen.set(s.name, s.status);
      if (tty) continue;
      const mark =
        s.status === 'succeeded' ? '✔' : s.status === 'failed' ? '✖' : s.status === 'skipped' ? '-' : '…';
      ctx.out.note(`${mark} ${s.title}${s.detail && s.status !== 'running' ? ` (${s.detail})` : ''}`);
    }
    if (tty) {
      const current = op.steps.find((s) => s.status === 'running');
      const text = `${frames[frame++ % frames.length]} ${op.progress}% ${current ? current.title : op.status}${current?.detail ? ` — ${current.detail}` : ''}`;
      process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    }
    if (op.status === 'succeeded' || op.status === 'failed') break;
    if (Date.now() > deadline) {
      if (tty) process.stderr.write('\r\x1b[2K');
      throw new CliError(`Operation ${id} is still ${op.status} after ${options.timeout ?? 1800} s`, {
        hint: `It keeps running on the server: proxicloud instances wait ${id}`,
      });
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  if (tty) process.stderr.write('\r\x1b[2K');
  if (op.status === 'failed') {
    const log = op.error?.details?.log;
    const tail = Array.isArray(log)
      ? `\nProxmox task log:\n${(log as string[]).map((l) => `  ${l}`).join('\n')}`
      : '';
    throw new CliError(`Operation ${op.action} failed: ${op.error?.message ?? 'unknown error'}`, {
      code: op.error?.code ?? 'operation_failed',
      details: op.error?.details,
      hint: `Operation ${op.id}${tail}`,
    });
  }
  return op;
}

/** After an action answered 202: follow it with --wait, or say how to follow it. */
async function afterAction(
  ctx: Context,
  answer: { instance: Instance; operation: Operation },
  opts: { wait?: boolean; timeout?: number },
  done: string,
): Promise<void> {
  if (!opts.wait) {
    if (ctx.out.json) return ctx.out.printJson(answer);
    ctx.out.success(`${done} (operation ${answer.operation.id}, status ${answer.instance.status}).`);
    ctx.out.note(`Follow it: proxicloud instances wait ${answer.instance.id}`);
    return;
  }
  await followOperation(ctx, answer.operation.id, opts);
  const inst = await unwrap(
    ctx.api().GET('/api/v1/instances/{id}', { params: { path: { id: answer.instance.id } } }),
  );
  if (ctx.out.json) return ctx.out.printJson(inst);
  ctx.out.success(`${done}: ${inst.name} is ${inst.status}.`);
  if (inst.status !== 'terminated') await printInstance(ctx, inst);
}

export async function printInstance(ctx: Context, i: Instance): Promise<void> {
  if (ctx.out.json) {
    ctx.out.printJson(i);
    return;
  }
  const refs = await instanceRefs(ctx, i);
  ctx.out.details([
    ['ID', i.id],
    ['Name', i.name],
    ['Type', `${i.type}${i.instanceType ? ` (${i.instanceType})` : ''}`],
    ['Status', `${i.status}${i.statusReason ? ` — ${i.statusReason}` : ''}`],
    ['Node / VMID', i.vmid !== null ? `${i.node} / ${i.vmid}` : i.node],
    ['Template', `${i.template}${i.os ? ` (${i.os})` : ''}`],
    ['vCPU / memory / disk', `${i.vcpu} / ${i.memory} MiB / ${i.sizeGib} GiB`],
    ['Storage / bridge', `${i.storage} / ${i.bridge}`],
    [
      'Network',
      i.network.mode === 'static'
        ? `${i.network.address}${i.network.gateway ? ` via ${i.network.gateway}` : ''}`
        : 'dhcp',
    ],
    ['IP addresses', i.ipAddresses.join(', ')],
    ['Login user', i.user],
    ['Key pairs', refs.keys.join(', ')],
    ['Volumes', refs.volumes.join(', ')],
    [
      'Tags',
      Object.entries(i.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    ['Protected', i.protected ? 'yes' : 'no'],
    [
      'Usage',
      i.usage
        ? `CPU ${(i.usage.cpu * 100).toFixed(1)}%, memory ${gib(i.usage.memoryBytes)} of ${gib(i.usage.memoryMaxBytes)}, up ${Math.round(i.usage.uptimeSeconds / 60)} min`
        : null,
    ],
    ['Operation', i.activeOperationId],
    ['Created', formatTimestamp(i.createdAt)],
    ['Terminated', formatTimestamp(i.terminatedAt)],
  ]);
}

/* ------------------------------------------------------------------ option parsers */

function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Key pairs by id or name → ids. */
async function resolveKeys(ctx: Context, refs: string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const page = (await unwrap(
    ctx.api().GET('/api/v1/key-pairs', { params: { query: { limit: 1000 } } }),
  )) as Page<{ id: string; name: string }>;
  return refs.map((ref) => {
    const hit = page.items.find((k) => k.id === ref || k.name === ref);
    if (!hit)
      throw new CliError(`No key pair "${ref}"`, {
        exitCode: ExitCode.notFound,
        hint: 'See `proxicloud keys list`.',
      });
    return hit.id;
  });
}

const waitOption = () => new Option('-w, --wait', 'wait until the operation finishes, showing its progress');
const timeoutOption = () =>
  new Option('--timeout <seconds>', 'give up waiting after this long (default 1800)').argParser(
    intInRange(1, 86_400),
  );

interface LaunchOptions {
  template: string;
  network?: string[];
  securityGroup?: string[];
  type?: 'vm' | 'lxc';
  instanceType?: string;
  vcpu?: number;
  memory?: number;
  disk?: number;
  node?: string;
  storage?: string;
  bridge?: string;
  ip?: string;
  gateway?: string;
  key?: string[];
  user?: string;
  userData?: string;
  secretEnv?: Record<string, string>;
  tag?: Record<string, string>;
  protected?: boolean;
  start: boolean;
  wait?: boolean;
  timeout?: number;
  idempotencyKey?: string;
}

/** The --user-data file as text (the server checks format and size; binary is refused here already). */
async function readUserData(file: string): Promise<string> {
  let buf: Buffer;
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
      buf = Buffer.concat(chunks);
    } else buf = fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (buf.length > 64 * 1024)
    throw new UsageError(`${file} is ${buf.length} bytes; user-data may be at most 65536 bytes (64 KiB)`);
  if (buf.includes(0) || (buf[0] === 0x1f && buf[1] === 0x8b))
    throw new UsageError(`${file} is binary (gzip?); user-data must be text`);
  return buf.toString('utf8');
}

/** Registers `instances …`; returns the group so other files add subcommands (metrics). */
/** Does `template` (an id, a file name or an <os>-<version> alias) name a launchable image in `images`? */
export function templateMatches(images: readonly CatalogImage[], template: string): boolean {
  const alias = /^([a-z][a-z0-9]*)-(\d+(?:\.\d+)*)$/.exec(template.toLowerCase());
  return images.some(
    (i) =>
      i.launchable &&
      (i.id === template ||
        i.name === template ||
        (alias !== null &&
          i.kind !== 'iso' &&
          i.os === alias[1] &&
          typeof i.version === 'string' &&
          (i.version === alias[2] || i.version.startsWith(`${alias[2]}.`)))),
  );
}

/**
 * `-t alpine-3.20` asks for a VM unless --type says otherwise, and Alpine exists as a container
 * template only: when the template is unknown (or of the other kind) for `type` but exists for the
 * other type, say so with the option that fixes it.
 */
async function withTemplateTypeHint(ctx: Context, err: unknown, template: string, type: 'vm' | 'lxc') {
  if (!(err instanceof ApiError) || !['unknown_template', 'template_mismatch'].includes(err.code ?? ''))
    return err;
  const other = type === 'vm' ? 'lxc' : 'vm';
  let images: CatalogImage[];
  try {
    images = (
      (await unwrap(
        ctx.api().GET('/api/v1/catalog', { params: { query: { type: other, limit: 1000 } } }),
      )) as Page<CatalogImage>
    ).items;
  } catch {
    return err; // the original error is the one to show
  }
  if (!templateMatches(images, template)) return err;
  const what = other === 'lxc' ? 'containers (LXC)' : 'virtual machines';
  return new CliError(`${err.message}. '${template}' exists for ${what} only: add --type ${other}`, {
    exitCode: err.exitCode,
    ...(err.code ? { code: err.code } : {}),
    ...(err.requestId ? { requestId: err.requestId } : {}),
    hint: `Run: proxicloud instances launch <name> -t ${template} --type ${other} …`,
  });
}

export function registerInstanceCommands(program: Command): Command {
  const instances = program
    .command('instances')
    .alias('instance')
    .description(
      'Virtual machines and containers: launch, list, start, stop, reboot, terminate, metrics, console',
    )
    .addHelpText(
      'after',
      `
An instance is given by id (i-…) or by name.
${examples(
  'proxicloud catalog                                # what can be launched',
  'proxicloud instances launch web-1 --template debian-12-genericcloud-amd64.qcow2 --key laptop --wait',
  'proxicloud instances launch ct-1 --template debian-12-standard_12.7-1_amd64.tar.zst --instance-type t.micro',
  'proxicloud instances list --status running',
  'proxicloud instances stop web-1 --wait',
  'proxicloud instances metrics web-1                # CPU, memory, network, disk over the last hour',
  'proxicloud instances console web-1                # its serial console (a container: its shell)',
  'proxicloud instances terminate web-1 --yes --wait',
)}`,
    );

  addListOptions(
    instances
      .command('list')
      .alias('ls')
      .description('List your instances with live status (admins: everyone’s)')
      .option('--status <statuses>', 'comma-separated: running,stopped,error,…')
      .option('--query <text>', 'name contains')
      .addOption(new Option('--type <type>', 'vm or lxc').choices(['vm', 'lxc']))
      .addOption(
        new Option('--sort <field>', 'sort by').choices([
          'name',
          'createdAt',
          'status',
          'vcpu',
          'memory',
          'node',
        ]),
      )
      .option('--desc', 'descending order')
      .option('--include-terminated', 'also list terminated instances'),
    'instances',
  )
    .addHelpText(
      'after',
      examples(
        'proxicloud instances list',
        'proxicloud instances list --status running,stopped --sort name',
        'proxicloud -q instances list   # ids only',
      ),
    )
    .action(
      async (
        opts: ListOptions & {
          status?: string;
          query?: string;
          type?: 'vm' | 'lxc';
          sort?: string;
          desc?: boolean;
          includeTerminated?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const query = {
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.query ? { q: opts.query } : {}),
          ...(opts.type ? { type: opts.type } : {}),
          ...(opts.sort ? { sort: opts.sort as 'name' } : {}),
          ...(opts.desc ? { order: 'desc' as const } : {}),
          ...(opts.includeTerminated ? { includeTerminated: true } : {}),
        };
        const page = await fetchListPage(
          opts,
          (paging) =>
            unwrap(
              ctx.api().GET('/api/v1/instances', { params: { query: { ...query, ...paging } } }),
            ) as Promise<Page<Instance>>,
        );
        printPage(ctx, page, {
          columns,
          empty: 'No instances. Launch one with `proxicloud instances launch`.',
          noun: 'instances',
          id: (i) => i.id,
        });
      },
    );

  instances
    .command('get <instance>')
    .description('Show one instance: status, addresses, usage')
    .addHelpText(
      'after',
      examples('proxicloud instances get web-1', 'proxicloud instances get i-0f3a… -o json'),
    )
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      await printInstance(ctx, await resolveInstance(ctx, ref, { includeTerminated: true }));
    });

  instances
    .command('launch <name>')
    .alias('run')
    .description('Launch a VM (cloud image + cloud-init) or an LXC container')
    .requiredOption(
      '-t, --template <template>',
      'catalog id, file name, or alias like debian-12 / ubuntu-22.04 (see `proxicloud catalog`)',
    )
    .addOption(new Option('--type <type>', 'vm or lxc (default: from the template)').choices(['vm', 'lxc']))
    .option('-i, --instance-type <type>', 'size preset, e.g. t.small (see `proxicloud catalog types`)')
    .option('--vcpu <n>', 'vCPUs', intInRange(1, 128))
    .option('--memory <MiB>', 'memory in MiB', intInRange(128, 1_048_576))
    .option('--disk <GiB>', 'root disk size in GiB', intInRange(1, 16_384))
    .option('--node <node>', 'Proxmox node (default: placed by free resources)')
    .option('--storage <storage>', 'Proxmox storage for the root disk')
    .option('--bridge <bridge>', 'network bridge (default vmbr0)')
    .option('--ip <cidr>', 'static IPv4 address with prefix, e.g. 192.168.1.50/24 (default: DHCP)')
    .option('--gateway <ip>', 'IPv4 gateway for --ip')
    .option('-k, --key <key>', 'key pair name or id (repeatable)', collect)
    .option('--network <network>', 'network name or id, one NIC each, first = primary (repeatable)', collect)
    .option('--security-group <group>', 'security group name or id (repeatable)', collect)
    .option('-u, --user <name>', 'cloud-init login user (VMs)')
    .option(
      '--user-data <file>',
      'cloud-init user-data file for VMs (#cloud-config, #! script, …; ≤ 64 KiB; - = stdin)',
    )
    .option(
      '--secret-env <ENV=secret>',
      'environment variable from a secret, written to /etc/proxicloud/secrets.env in the guest (repeatable)',
      keyValue,
    )
    .option('--tag <key=value>', 'label (repeatable)', keyValue)
    .option('--protected', 'refuse termination until unset')
    .option('--no-start', 'create it stopped')
    .option('--idempotency-key <key>', 'make retries of this launch safe (8-128 characters)')
    .addOption(waitOption())
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      `
Names are DNS labels (lowercase letters, digits, hyphens). Without --instance-type, --vcpu or
--memory the t.small preset is used. The launch is asynchronous: --wait shows its steps.
--user-data is merged with the login user, key pairs and hostname ProxiCloud generates and written
to a snippets storage on the node over the SSH host agent (which must be configured).
${examples(
  'proxicloud instances launch web-1 -t local:import/noble-server-cloudimg-amd64.img -i t.medium -k laptop --wait',
  'proxicloud instances launch db-1 -t debian-12-genericcloud-amd64.qcow2 --disk 40 --ip 192.168.1.50/24 --gateway 192.168.1.1',
  'proxicloud instances launch ct-1 -t debian-12-standard_12.7-1_amd64.tar.zst --tag env=dev --no-start',
  'proxicloud instances launch app-1 -t debian-12 -k laptop --user-data ./cloud-init.yaml --wait',
)}`,
    )
    .action(async (name: string, opts: LaunchOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      if (opts.gateway && !opts.ip) throw new UsageError('--gateway needs --ip');
      const type = opts.type ?? (/vztmpl|\.tar\.(zst|xz|gz)$/.test(opts.template) ? 'lxc' : 'vm');
      if (opts.userData && type === 'lxc')
        throw new UsageError('--user-data applies to VMs only (containers do not run cloud-init)');
      const userData = opts.userData ? await readUserData(opts.userData) : undefined;
      const keyPairIds = await resolveKeys(ctx, opts.key ?? []);
      const networking = await resolveLaunchNetworking(ctx, opts.network, opts.securityGroup);
      const body = {
        name,
        type,
        template: opts.template,
        ...(opts.instanceType ? { instanceType: opts.instanceType } : {}),
        ...(opts.vcpu !== undefined ? { vcpu: opts.vcpu } : {}),
        ...(opts.memory !== undefined ? { memory: opts.memory } : {}),
        ...(opts.disk !== undefined ? { sizeGib: opts.disk } : {}),
        ...(opts.node ? { node: opts.node } : {}),
        ...(opts.storage ? { storage: opts.storage } : {}),
        ...(opts.bridge ? { bridge: opts.bridge } : {}),
        ...(opts.ip
          ? {
              network: {
                mode: 'static' as const,
                address: opts.ip,
                ...(opts.gateway ? { gateway: opts.gateway } : {}),
              },
            }
          : {}),
        ...(keyPairIds.length ? { keyPairIds } : {}),
        ...networking,
        ...(opts.user ? { user: opts.user } : {}),
        ...(userData !== undefined ? { userData } : {}),
        ...(opts.secretEnv ? { secretEnv: opts.secretEnv } : {}),
        ...(opts.tag ? { tags: opts.tag } : {}),
        ...(opts.protected ? { protected: true } : {}),
        ...(opts.start === false ? { start: false } : {}),
      };
      const launchRequest = () =>
        unwrap(
          ctx.api().POST('/api/v1/instances', {
            body,
            ...(opts.idempotencyKey
              ? { params: { header: { 'idempotency-key': opts.idempotencyKey } } }
              : {}),
          }),
        );
      let answer: Awaited<ReturnType<typeof launchRequest>>;
      try {
        answer = await launchRequest();
      } catch (err) {
        throw await withTemplateTypeHint(ctx, err, opts.template, type);
      }
      await afterAction(ctx, answer, opts, `Launched ${answer.instance.id}`);
    });

  const action = (
    verb: 'start' | 'stop' | 'reboot',
    description: string,
    extra?: (c: Command) => Command,
  ) => {
    let c = instances
      .command(`${verb} <instance>`)
      .description(description)
      .addOption(waitOption())
      .addOption(timeoutOption());
    if (extra) c = extra(c);
    c.addHelpText('after', examples(`proxicloud instances ${verb} web-1 --wait`)).action(
      async (
        ref: string,
        opts: { wait?: boolean; timeout?: number; force?: boolean; shutdownTimeout?: number },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const inst = await resolveInstance(ctx, ref);
        const path = { params: { path: { id: inst.id } } };
        const api = ctx.api();
        const answer =
          verb === 'start'
            ? await unwrap(api.POST('/api/v1/instances/{id}/start', path))
            : verb === 'reboot'
              ? await unwrap(api.POST('/api/v1/instances/{id}/reboot', path))
              : await unwrap(
                  api.POST('/api/v1/instances/{id}/stop', {
                    ...path,
                    body: {
                      ...(opts.force ? { force: true } : {}),
                      ...(opts.shutdownTimeout !== undefined ? { timeoutSeconds: opts.shutdownTimeout } : {}),
                    },
                  }),
                );
        await afterAction(
          ctx,
          answer,
          opts,
          `${verb === 'start' ? 'Starting' : verb === 'stop' ? 'Stopping' : 'Rebooting'} ${inst.name}`,
        );
      },
    );
  };
  action('start', 'Start a stopped instance');
  action('stop', 'Shut down (ACPI, forced after the shutdown timeout)', (c) =>
    c
      .option('-f, --force', 'power off immediately')
      .option(
        '--shutdown-timeout <seconds>',
        'graceful shutdown time before the forced stop (default 60)',
        intInRange(5, 3600),
      ),
  );
  action('reboot', 'Reboot a running instance');

  instances
    .command('terminate <instance>')
    .alias('rm')
    .description('Terminate: detach volumes (kept), delete the guest and its root disk')
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(waitOption())
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      examples('proxicloud instances terminate web-1', 'proxicloud instances terminate i-0f3a… --yes --wait'),
    )
    .action(async (ref: string, opts: { yes?: boolean; wait?: boolean; timeout?: number }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const inst = await resolveInstance(ctx, ref);
      await confirmOrExit(
        `Terminate ${inst.name} (${inst.id})? Its root disk is deleted; volumes are kept.`,
        opts.yes,
      );
      const answer = await unwrap(
        ctx.api().DELETE('/api/v1/instances/{id}', {
          params: { path: { id: inst.id }, query: { confirm: inst.id } },
        }),
      );
      await afterAction(ctx, answer, opts, `Terminating ${inst.name}`);
    });

  instances
    .command('wait <target>')
    .description('Wait for an instance’s current operation (or an operation id) to finish')
    .addOption(
      new Option('--for <status>', 'also wait until the instance has this status').choices([
        'running',
        'stopped',
        'terminated',
      ]),
    )
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      examples(
        'proxicloud instances wait web-1',
        'proxicloud instances wait op-4c1d… ',
        'proxicloud instances wait web-1 --for running',
      ),
    )
    .action(async (target: string, opts: { for?: string; timeout?: number }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const deadline = Date.now() + (opts.timeout ?? 1800) * 1000;
      if (OPERATION_ID.test(target)) {
        const op = await followOperation(ctx, target, opts);
        if (ctx.out.json) return ctx.out.printJson(op);
        ctx.out.success(`Operation ${op.action} succeeded.`);
        return;
      }
      let inst = await resolveInstance(ctx, target, { includeTerminated: true });
      for (;;) {
        if (inst.activeOperationId)
          await followOperation(ctx, inst.activeOperationId, {
            timeout: Math.max(1, (deadline - Date.now()) / 1000),
          });
        inst = await unwrap(ctx.api().GET('/api/v1/instances/{id}', { params: { path: { id: inst.id } } }));
        if (!inst.activeOperationId && (!opts.for || inst.status === opts.for)) break;
        if (inst.status === 'error' && opts.for)
          throw new CliError(`Instance ${inst.name} is in error: ${inst.statusReason ?? ''}`);
        if (inst.status === 'terminated' && opts.for)
          throw new CliError(
            `Instance ${inst.name} (${inst.id}) is terminated; it will never be ${opts.for}`,
          );
        if (Date.now() > deadline)
          throw new CliError(`Instance ${inst.name} is ${inst.status}, not ${opts.for}, after the timeout`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (ctx.out.json) return ctx.out.printJson(inst);
      ctx.out.success(`${inst.name} is ${inst.status}.`);
    });
  return instances;
}
