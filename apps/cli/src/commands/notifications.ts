/**
 * `notifications list|create|delete|test|deliveries`: the user's notification channels (e-mail,
 * webhook, push). Secrets (webhook signing secret, push token) are read from stdin or --secret-file,
 * never from the command line, and never printed back (except a webhook secret the server generated,
 * shown once on creation).
 */
import fs from 'node:fs';
import type { components } from '@proxicloud/sdk';
import { type Command, Option } from 'commander';
import { type Page, unwrap } from '../lib/api.ts';
import { confirmOrExit, examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { CliError, QuietExit, UsageError } from '../lib/errors.ts';
import { type Column, formatTimestamp } from '../lib/output.ts';
import { readStdin } from '../lib/prompts.ts';

type Channel = components['schemas']['NotificationChannel'];
type Delivery = components['schemas']['NotificationDelivery'];

export const CHANNEL_TYPES = ['email', 'webhook', 'push'] as const;

const target = (c: Channel) => (c.type === 'email' ? (c.config.to ?? []).join(', ') : (c.config.url ?? ''));

const columns: Column<Channel>[] = [
  { header: 'NAME', value: (c) => c.name },
  { header: 'TYPE', value: (c) => (c.config.format ? `${c.type} (${c.config.format})` : c.type) },
  { header: 'TARGET', value: target },
  { header: 'SECRET', value: (c) => (c.hasSecret ? 'set' : '-') },
  { header: 'ENABLED', value: (c) => (c.enabled ? 'yes' : 'no') },
  { header: 'ID', value: (c) => c.id },
];

const deliveryColumns: Column<Delivery>[] = [
  { header: 'WHEN', value: (d) => formatTimestamp(d.createdAt) },
  { header: 'EVENT', value: (d) => d.event },
  { header: 'STATUS', value: (d) => d.status },
  { header: 'ATTEMPTS', value: (d) => String(d.attempts) },
  { header: 'HTTP', value: (d) => (d.responseStatus === null ? '-' : String(d.responseStatus)) },
  { header: 'ERROR', value: (d) => d.lastError ?? '' },
  { header: 'SUBJECT', value: (d) => d.subject },
];

export async function listChannels(ctx: Context): Promise<Channel[]> {
  const page = (await unwrap(
    ctx.api().GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } }),
  )) as Page<Channel>;
  return page.items;
}

/** A channel by id (nch-…) or name. */
export async function resolveChannel(ctx: Context, ref: string): Promise<Channel> {
  const all = await listChannels(ctx);
  const found = all.find((c) => c.id === ref) ?? all.find((c) => c.name === ref);
  if (!found)
    throw new UsageError(
      `No notification channel "${ref}"`,
      'List yours with `proxicloud notifications list`.',
    );
  return found;
}

async function readSecret(opts: { secretFile?: string; secretStdin?: boolean }): Promise<string | undefined> {
  if (opts.secretFile) {
    try {
      const text =
        opts.secretFile === '-'
          ? await readStdin(process.stdin, 'secret')
          : fs.readFileSync(opts.secretFile, 'utf8').replace(/\r?\n$/, '');
      if (!text) throw new UsageError(`${opts.secretFile} is empty`);
      return text;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`Cannot read ${opts.secretFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  if (opts.secretStdin) return readStdin(process.stdin, 'secret');
  return undefined;
}

export function registerNotificationCommands(program: Command): void {
  const n = program
    .command('notifications')
    .alias('notification')
    .description('Notification channels (e-mail, webhook, ntfy/Gotify push) that alarms and backups use')
    .addHelpText(
      'after',
      examples(
        'proxicloud notifications create ops-mail --type email --to ops@example.com',
        'proxicloud notifications create hook --type webhook --url https://hooks.example.com/pc   # prints a generated secret once',
        'printf %s "$WEBHOOK_SECRET" | proxicloud notifications create hook --type webhook --url https://… --secret-stdin',
        'proxicloud notifications create phone --type push --url https://ntfy.sh/my-topic',
        'proxicloud notifications test ops-mail',
        'proxicloud notifications deliveries ops-mail',
      ),
    );

  n.command('list')
    .alias('ls')
    .description('Your channels (secrets are never shown, only whether one is set)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const items = await listChannels(ctx);
      if (ctx.out.json) return ctx.out.printJson({ items, total: items.length });
      if (ctx.out.quiet) {
        for (const c of items) ctx.out.line(c.id);
        return;
      }
      ctx.out.table(
        columns,
        items,
        'No notification channels. Create one with `proxicloud notifications create <name> --type email --to you@example.com`.',
      );
    });

  n.command('create <name>')
    .description('Create a channel; a webhook without a secret gets a generated one, printed once')
    .addOption(new Option('--type <type>', 'channel type').choices(CHANNEL_TYPES).makeOptionMandatory())
    .option('--to <address...>', 'email: recipient(s) (SMTP server from the admin settings)')
    .option(
      '--url <url>',
      'webhook: where the signed JSON POST goes; push: the ntfy topic or Gotify message URL',
    )
    .addOption(new Option('--format <format>', 'push: server flavour').choices(['ntfy', 'gotify']))
    .option('--secret-stdin', 'read the webhook secret (≥ 16 chars) or push token from stdin')
    .option('--secret-file <path>', 'read the webhook secret or push token from a file (- for stdin)')
    .option('--disabled', 'create it disabled')
    .action(
      async (
        name: string,
        opts: {
          type: (typeof CHANNEL_TYPES)[number];
          to?: string[];
          url?: string;
          format?: 'ntfy' | 'gotify';
          secretStdin?: boolean;
          secretFile?: string;
          disabled?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const secret = await readSecret(opts);
        const config: Record<string, unknown> = {};
        if (opts.type === 'email') {
          if (!opts.to?.length) throw new UsageError('An email channel needs --to <address>');
          if (secret) throw new UsageError('An email channel takes no secret');
          config.to = opts.to;
        } else {
          if (!opts.url) throw new UsageError(`A ${opts.type} channel needs --url <url>`);
          config.url = opts.url;
          if (secret) config[opts.type === 'webhook' ? 'secret' : 'token'] = secret;
          if (opts.type === 'push' && opts.format) config.format = opts.format;
        }
        const created = await unwrap(
          ctx.api().POST('/api/v1/notification-channels', {
            body: {
              name,
              type: opts.type,
              config: config as never,
              ...(opts.disabled ? { enabled: false } : {}),
            },
          }),
        );
        if (ctx.out.json) return ctx.out.printJson(created);
        if (ctx.out.quiet) return ctx.out.line(created.id);
        ctx.out.success(`Created ${created.type} channel ${created.name} (${created.id})`);
        if (created.generatedSecret) {
          ctx.out.line(`Signing secret (shown only now): ${created.generatedSecret}`);
          ctx.out.note('Verify X-ProxiCloud-Signature (HMAC-SHA256 of the body) with it.');
        }
      },
    );

  n.command('delete <channel>')
    .alias('rm')
    .description('Delete a channel (alarms that use it stop notifying it)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const c = await resolveChannel(ctx, ref);
      await confirmOrExit(`Delete notification channel ${c.name}?`, opts.yes);
      await unwrap(
        ctx.api().DELETE('/api/v1/notification-channels/{id}', { params: { path: { id: c.id } } }),
      );
      if (ctx.out.json) return ctx.out.printJson({ id: c.id, deleted: true });
      ctx.out.success(`Deleted channel ${c.name}`);
    });

  n.command('test <channel>')
    .description('Send a test message now and print the outcome (exit 1 when it failed)')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const c = await resolveChannel(ctx, ref);
      const d = await unwrap(
        ctx.api().POST('/api/v1/notification-channels/{id}/test', { params: { path: { id: c.id } } }),
      );
      if (ctx.out.json) {
        ctx.out.printJson(d);
        if (d.status === 'failed') throw new QuietExit(1);
        return;
      }
      if (d.status === 'failed')
        throw new CliError(`Test message to ${c.name} failed: ${d.lastError ?? 'no detail'}`, {
          code: 'delivery_failed',
          hint: `See \`proxicloud notifications deliveries ${c.name}\`.`,
        });
      ctx.out.success(
        `Test message ${d.status === 'succeeded' ? 'delivered to' : `queued for`} ${c.name}${d.responseStatus ? ` (HTTP ${d.responseStatus})` : ''}`,
      );
    });

  n.command('deliveries <channel>')
    .description('The delivery log of a channel, newest first (kept 30 days)')
    .option('--limit <n>', 'how many', '50')
    .action(async (ref: string, opts: { limit: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const c = await resolveChannel(ctx, ref);
      const page = await unwrap(
        ctx.api().GET('/api/v1/notification-channels/{id}/deliveries', {
          params: {
            path: { id: c.id },
            query: { limit: Math.min(1000, Math.max(1, Number(opts.limit) || 50)) },
          },
        }),
      );
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        deliveryColumns,
        page.items,
        `No deliveries yet. Try \`proxicloud notifications test ${c.name}\`.`,
      );
    });
}
