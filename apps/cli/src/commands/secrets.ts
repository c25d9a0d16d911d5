/**
 * `secrets list|get|put|delete|restore|versions|grant|revoke|rotate-master-key`: the vault.
 * Values never go on the command line: `put` reads them from stdin, a file or a hidden prompt;
 * `get` prints only the value, for `$(proxicloud secrets get app/db/password)`.
 */
import fs from 'node:fs';
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples, intInRange } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { ApiError, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { canPrompt, promptHidden, readStdin } from '../lib/prompts.ts';
import { resolveUserId } from './users.ts';

type Secret = components['schemas']['Secret'];
type SecretVersion = components['schemas']['SecretVersion'];
type Grant = components['schemas']['SecretPolicy']['grants'][number];

const columns: Column<Secret>[] = [
  { header: 'NAME', value: (s) => s.name },
  { header: 'VERSION', value: (s) => String(s.currentVersion) },
  { header: 'ACCESS', value: (s) => s.access },
  { header: 'DESCRIPTION', value: (s) => s.description },
  {
    header: 'UPDATED',
    value: (s) =>
      s.deletedAt ? `deleted, purged ${formatTimestamp(s.purgeAt!)}` : formatTimestamp(s.updatedAt),
  },
  { header: 'ID', value: (s) => s.id },
];

const path = (name: string) => ({ params: { path: { name } } });

/** The value for `put`: --file, else stdin when piped, else a hidden prompt. */
async function readValue(opts: {
  file?: string;
  binary?: boolean;
}): Promise<{ text: string; bytes?: Buffer }> {
  if (opts.file) {
    let bytes: Buffer;
    try {
      bytes =
        opts.file === '-'
          ? Buffer.from(await readStdin(process.stdin, 'secret value'))
          : fs.readFileSync(opts.file);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`Cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    // a file is taken byte for byte, except one trailing newline for text (editors add one)
    return opts.binary ? { text: '', bytes } : { text: bytes.toString('utf8').replace(/\r?\n$/, '') };
  }
  if (!process.stdin.isTTY) {
    if (opts.binary) {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
      return { text: '', bytes: Buffer.concat(chunks) };
    }
    return { text: await readStdin(process.stdin, 'secret value') };
  }
  if (!canPrompt())
    throw new UsageError('Give the value on stdin or with --file (never on the command line)');
  const text = await promptHidden('Value (hidden): ');
  if (!text) throw new UsageError('The value is empty; nothing was stored');
  return { text };
}

async function principalOf(ctx: Context, principal: string): Promise<string> {
  const m = /^(user|role|instance|function):(.+)$/.exec(principal);
  if (!m)
    throw new UsageError(
      `"${principal}" is not a principal: use user:<name|id>, role:<admin|operator|readonly>, instance:<id> or function:<id>`,
    );
  if (m[1] === 'user') return `user:${await resolveUserId(ctx, m[2]!)}`;
  return principal;
}

export function registerSecretCommands(program: Command): void {
  const secrets = program
    .command('secrets')
    .alias('secret')
    .description('Secrets vault: encrypted, versioned values; reads are audited')
    .addHelpText(
      'after',
      examples(
        'printf %s "$DB_PASS" | proxicloud secrets put app/db/password --description "prod database"',
        'proxicloud secrets put tls/key --file server.key',
        'export DB_PASSWORD="$(proxicloud secrets get app/db/password)"',
        'proxicloud secrets grant app/db/password user:bob --access read',
        'proxicloud instances launch web -t debian-12 --secret-env DB_PASSWORD=app/db/password',
      ),
    );

  secrets
    .command('list')
    .alias('ls')
    .description('Names and metadata of your secrets and those shared with you (never values)')
    .option('--prefix <folder>', "only names under this folder, e.g. 'app/'")
    .option('--deleted', 'include secrets scheduled for deletion')
    .action(async (opts: { prefix?: string; deleted?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/secrets', {
          params: {
            query: {
              limit: 1000,
              ...(opts.prefix ? { prefix: opts.prefix } : {}),
              ...(opts.deleted ? { includeDeleted: true } : {}),
            },
          },
        }),
      )) as Page<Secret>;
      if (ctx.out.json) return ctx.out.printJson(page);
      if (ctx.out.quiet) {
        for (const s of page.items) ctx.out.line(s.name);
        return;
      }
      ctx.out.table(
        columns,
        page.items,
        'No secrets. Store one with `printf %s "$VALUE" | proxicloud secrets put <name>`.',
      );
    });

  secrets
    .command('get <name>')
    .description('Print the value only (current version, or --version-id); the read is audited')
    .addOption(
      new Option('--version-id <n>', 'an older version (1, 2, …; see `secrets versions`)').argParser(
        intInRange(1, 1_000_000),
      ),
    )
    .option('--decode', 'binary secrets: write the raw bytes instead of base64')
    .addHelpText(
      'after',
      examples(
        'psql "postgres://app:$(proxicloud secrets get app/db/password)@db/app"',
        'proxicloud secrets get tls/key --decode > server.key',
      ),
    )
    .action(async (name: string, opts: { versionId?: number; decode?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const v = await unwrap(
        ctx.api().GET('/api/v1/secrets/{name}', {
          params: { path: { name }, query: opts.versionId ? { version: opts.versionId } : {} },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(v);
      if (v.encoding === 'base64' && opts.decode) {
        process.stdout.write(Buffer.from(String(v.value), 'base64'));
        return;
      }
      ctx.out.line(v.encoding === 'json' ? JSON.stringify(v.value) : String(v.value));
    });

  secrets
    .command('put <name>')
    .description(
      'Create the secret or store a new version; the value comes from stdin, --file or a hidden prompt',
    )
    .option('-f, --file <file>', 'read the value from this file ("-" = stdin)')
    .option('--binary', 'store the bytes as they are (sent base64-encoded)')
    .option('--json', 'the value is JSON (stored and returned as JSON)')
    .option('--description <text>', 'what the secret is for')
    .option('--tag <key=value...>', 'tags (repeatable)')
    .addOption(
      new Option(
        '--expected-version <n>',
        'check-and-set: fail unless this is the current version',
      ).argParser(intInRange(1, 1_000_000)),
    )
    .addHelpText(
      'after',
      `
The value is never an argument (it would land in your shell history and the process list).
${examples('printf %s "s3cr3t" | proxicloud secrets put app/db/password', 'proxicloud secrets put app/config --json --file config.json', 'proxicloud secrets put app/db/password --expected-version 3 < newpass.txt')}`,
    )
    .action(
      async (
        name: string,
        opts: {
          file?: string;
          binary?: boolean;
          json?: boolean;
          description?: string;
          tag?: string[];
          expectedVersion?: number;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const read = await readValue(opts);
        let value: unknown = read.text;
        let encoding: 'text' | 'base64' | 'json' = 'text';
        if (opts.binary) {
          value = read.bytes!.toString('base64');
          encoding = 'base64';
        } else if (opts.json) {
          try {
            value = JSON.parse(read.text);
          } catch {
            throw new UsageError('--json: the value is not valid JSON');
          }
          encoding = 'json';
        }
        const tags = opts.tag
          ? Object.fromEntries(
              opts.tag.map((t) => {
                const i = t.indexOf('=');
                if (i < 1) throw new UsageError(`--tag "${t}" must be key=value`);
                return [t.slice(0, i), t.slice(i + 1)];
              }),
            )
          : undefined;
        const meta = {
          ...(opts.description !== undefined ? { description: opts.description } : {}),
          ...(tags ? { tags } : {}),
        };
        let secret: Secret;
        let created = false;
        try {
          secret = await unwrap(
            ctx.api().PUT('/api/v1/secrets/{name}', {
              ...path(name),
              body: {
                value,
                encoding,
                ...meta,
                ...(opts.expectedVersion ? { expectedVersion: opts.expectedVersion } : {}),
              },
            }),
          );
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 404) || opts.expectedVersion) throw e;
          secret = await unwrap(
            ctx.api().POST('/api/v1/secrets', { body: { name, value, encoding, ...meta } }),
          );
          created = true;
        }
        if (ctx.out.json) return ctx.out.printJson(secret);
        ctx.out.success(
          `${created ? 'Created' : 'Updated'} ${secret.name}: version ${secret.currentVersion} (${secret.id}).`,
        );
      },
    );

  secrets
    .command('versions <name>')
    .description('Versions of a secret, newest first (no values)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const res = await unwrap(ctx.api().GET('/api/v1/secrets/{name}/versions', path(name)));
      if (ctx.out.json) return ctx.out.printJson(res);
      const cols: Column<SecretVersion>[] = [
        { header: 'VERSION', value: (v) => `${v.version}${v.current ? ' (current)' : ''}` },
        { header: 'ENCODING', value: (v) => v.encoding },
        { header: 'SIZE', value: (v) => `${v.sizeBytes} B` },
        { header: 'CREATED', value: (v) => formatTimestamp(v.createdAt) },
        { header: 'BY', value: (v) => v.createdBy ?? '' },
      ];
      ctx.out.table(cols, res.items, 'No versions.');
    });

  secrets
    .command('delete <name>')
    .alias('rm')
    .description('Schedule deletion after a recovery window (restore until then), or --force now')
    .option('--force', 'delete now, without recovery (cannot be undone)')
    .addOption(
      new Option('--recovery-days <n>', 'recovery window, 1–30 days (default 7)').argParser(
        intInRange(1, 30),
      ),
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      async (name: string, opts: { force?: boolean; recoveryDays?: number; yes?: boolean }, cmd: Command) => {
        const ctx = contextOf(cmd);
        await confirmOrExit(
          opts.force
            ? `Delete secret ${name} and all its versions now? This cannot be undone.`
            : `Schedule secret ${name} for deletion?`,
          opts.yes,
        );
        const res = await unwrap(
          ctx.api().DELETE('/api/v1/secrets/{name}', {
            params: {
              path: { name },
              query: {
                ...(opts.force ? { force: true } : {}),
                ...(opts.recoveryDays ? { recoveryDays: opts.recoveryDays } : {}),
              },
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(res ?? { name, deleted: true });
        if (opts.force) ctx.out.success(`Deleted ${name}.`);
        else
          ctx.out.success(
            `${name} is scheduled for deletion at ${formatTimestamp((res as Secret).purgeAt!)}; undo with \`proxicloud secrets restore ${name}\`.`,
          );
      },
    );

  secrets
    .command('restore <name>')
    .description('Cancel a scheduled deletion')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const s = await unwrap(ctx.api().POST('/api/v1/secrets/{name}/restore', path(name)));
      if (ctx.out.json) return ctx.out.printJson(s);
      ctx.out.success(`Restored ${s.name} (version ${s.currentVersion}).`);
    });

  const editPolicy = async (ctx: Context, name: string, change: (grants: Grant[]) => Grant[]) => {
    const current = await unwrap(ctx.api().GET('/api/v1/secrets/{name}/policy', path(name)));
    return unwrap(
      ctx
        .api()
        .PUT('/api/v1/secrets/{name}/policy', { ...path(name), body: { grants: change(current.grants) } }),
    );
  };

  secrets
    .command('grant <name> <principal>')
    .description('Let a user, role, instance or function read (or manage) a secret')
    .addOption(
      new Option('--access <access>', 'read = the value; manage = also new versions, delete, policy')
        .choices(['read', 'manage'])
        .default('read'),
    )
    .addHelpText(
      'after',
      examples(
        'proxicloud secrets grant app/db/password user:bob',
        'proxicloud secrets grant app/db/password role:readonly',
        'proxicloud secrets grant app/db/password instance:i-0abc… ',
      ),
    )
    .action(async (name: string, principalArg: string, opts: { access: 'read' | 'manage' }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const principal = await principalOf(ctx, principalArg);
      const policy = await editPolicy(ctx, name, (g) => [
        ...g.filter((x) => x.principal !== principal),
        { principal, access: opts.access },
      ]);
      if (ctx.out.json) return ctx.out.printJson(policy);
      ctx.out.success(`${principal} may now ${opts.access} ${name}.`);
    });

  secrets
    .command('revoke <name> <principal>')
    .description('Remove a grant')
    .action(async (name: string, principalArg: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const principal = await principalOf(ctx, principalArg);
      const policy = await editPolicy(ctx, name, (g) => g.filter((x) => x.principal !== principal));
      if (ctx.out.json) return ctx.out.printJson(policy);
      ctx.out.success(`Revoked ${principal} on ${name}.`);
    });

  secrets
    .command('rotate-master-key')
    .description('Admins: generate a new master key and re-wrap every data key (no downtime)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      '\nBack up the new key file afterwards: database backups taken from now on need it.\n',
    )
    .action(async (opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      await confirmOrExit('Rotate the secrets master key now?', opts.yes);
      const r = await unwrap(ctx.api().POST('/api/v1/secrets/master-key/rotate'));
      if (ctx.out.json) return ctx.out.printJson(r);
      ctx.out.success(
        `New master key ${r.kekId}; ${r.rewrapped} secret versions re-wrapped. Back up the new key file.`,
      );
    });
}
