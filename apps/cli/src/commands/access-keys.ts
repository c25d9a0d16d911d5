/** `access-keys list|create|delete`: the caller's own personal access keys. */
import type { Command } from 'commander';
import { type AccessKey, type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { contextOf } from '../lib/context.ts';
import { type Column, colorStatus, formatTimestamp } from '../lib/output.ts';

const columns: Column<AccessKey>[] = [
  { header: 'ACCESS KEY ID', value: (k) => k.accessKeyId },
  { header: 'DESCRIPTION', value: (k) => k.description },
  { header: 'STATUS', value: (k) => k.status, color: colorStatus },
  { header: 'CREATED', value: (k) => formatTimestamp(k.createdAt) },
  { header: 'LAST USED', value: (k) => formatTimestamp(k.lastUsedAt) },
];

export function registerAccessKeyCommands(program: Command): void {
  const keys = program
    .command('access-keys')
    .description('Manage your personal access keys (for scripts, the CLI and S3)')
    .addHelpText(
      'after',
      examples(
        'proxicloud access-keys create --description "backup script"',
        'proxicloud access-keys list',
        'proxicloud access-keys delete AKPCEXAMPLE0000000001',
      ),
    );

  keys
    .command('list')
    .alias('ls')
    .description('List your access keys (secrets are never shown again)')
    .addHelpText('after', examples('proxicloud access-keys list', 'proxicloud access-keys list -o json'))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = (await unwrap(
        ctx.api().GET('/api/v1/access-keys', { params: { query: { limit: 1000 } } }),
      )) as Page<AccessKey>;
      if (ctx.out.json) return ctx.out.printJson(page);
      if (ctx.out.quiet) {
        for (const k of page.items) ctx.out.line(k.accessKeyId);
        return;
      }
      ctx.out.table(columns, page.items, 'No access keys. Create one with `proxicloud access-keys create`.');
    });

  keys
    .command('create')
    .description('Create an access key; the secret is printed once')
    .option('-d, --description <text>', 'what the key is for')
    .addHelpText(
      'after',
      `
The secret access key is shown only in this answer: store it right away (a password manager, or
\`proxicloud --profile <name> configure access-key\`). Lost secrets cannot be recovered; delete the key
and create a new one.
${examples(
  'proxicloud access-keys create --description "nightly backup"',
  'proxicloud access-keys create -o json > key.json && chmod 600 key.json',
)}`,
    )
    .action(async (opts: { description?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const key = await unwrap(
        ctx.api().POST('/api/v1/access-keys', {
          body: opts.description !== undefined ? { description: opts.description } : {},
        }),
      );
      const warning =
        'The secret access key is shown only now. Store it securely; it cannot be retrieved later.';
      if (ctx.out.json) {
        ctx.out.printJson(key);
        ctx.out.warn(warning);
        return;
      }
      ctx.out.success(`Created access key ${key.accessKeyId}.`);
      ctx.out.details([
        ['Access key id', key.accessKeyId],
        ['Secret access key', key.secretAccessKey],
        ['Description', key.description],
        ['Created', formatTimestamp(key.createdAt)],
      ]);
      ctx.out.warn(warning);
    });

  keys
    .command('delete <accessKeyId>')
    .alias('rm')
    .description('Delete an access key; requests signed with it fail from now on')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', examples('proxicloud access-keys delete AKPCEXAMPLE0000000001 --yes'))
    .action(async (accessKeyId: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = ctx.api();
      await confirmOrExit(`Delete access key ${accessKeyId}?`, opts.yes);
      await unwrap(api.DELETE('/api/v1/access-keys/{accessKeyId}', { params: { path: { accessKeyId } } }));
      if (ctx.out.json) ctx.out.printJson({ accessKeyId, deleted: true });
      else ctx.out.success(`Deleted access key ${accessKeyId}.`);
    });
}
