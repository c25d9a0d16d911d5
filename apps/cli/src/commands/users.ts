/** `users list|get|create|update|disable|enable|delete|reset-password`. */
import { type Command, Option } from 'commander';
import { type Page, type User, unwrap } from '../lib/api.ts';
import {
  addListOptions,
  confirmOrExit,
  examples,
  fetchListPage,
  type ListOptions,
  newPassword,
  type PasswordSourceOptions,
  pagingNote,
} from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { ApiError, CliError, ExitCode, UsageError } from '../lib/errors.ts';
import { type Column, colorStatus, formatTimestamp } from '../lib/output.ts';

const ROLES = ['admin', 'operator', 'readonly'] as const;
const roleOption = (flags: string, help: string) => new Option(flags, help).choices(ROLES);
const USER_ARG_HELP = 'A user is given by id (usr-…) or by username.';

export const userColumns: Column<User>[] = [
  { header: 'ID', value: (u) => u.id },
  { header: 'USERNAME', value: (u) => u.username },
  { header: 'FULL NAME', value: (u) => u.fullName },
  { header: 'ROLE', value: (u) => u.role },
  { header: 'STATUS', value: (u) => u.status, color: colorStatus },
  { header: 'LAST LOGIN', value: (u) => formatTimestamp(u.lastLoginAt) },
];

interface UserListOptions extends ListOptions {
  role?: string;
  status?: string;
  query?: string;
}

export function registerUserCommands(program: Command): void {
  const users = program
    .command('users')
    .description('Manage users (admin): list, create, change role, disable, delete, reset passwords')
    .addHelpText(
      'after',
      `
${USER_ARG_HELP}
${examples(
  'proxicloud users list',
  'proxicloud users create alice --role operator --full-name "Alice Doe"',
  'proxicloud users disable alice',
  'proxicloud users list -o json | jq -r ".items[].username"',
)}`,
    );

  addListOptions(
    users
      .command('list')
      .alias('ls')
      .description('List users')
      .addOption(roleOption('--role <role>', 'only users with this role'))
      .addOption(
        new Option('--status <status>', 'only users with this status').choices(['active', 'disabled']),
      )
      .option('--query <text>', 'search username and full name'),
    'users',
  )
    .addHelpText(
      'after',
      examples(
        'proxicloud users list',
        'proxicloud users list --role admin --status active',
        'proxicloud users list --query ali',
        'proxicloud --quiet users list          # ids only, one per line',
        'proxicloud users list --all -o json',
      ),
    )
    .action(async (opts: UserListOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = ctx.api();
      const filters = {
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.status ? { status: opts.status } : {}),
        ...(opts.query ? { q: opts.query } : {}),
      } as Record<string, string>;
      const page = await fetchListPage(
        opts,
        (paging) =>
          unwrap(api.GET('/api/v1/users', { params: { query: { ...filters, ...paging } } })) as Promise<
            Page<User>
          >,
      );
      printUsers(ctx, page);
    });

  users
    .command('get <user>')
    .description('Show one user')
    .addHelpText(
      'after',
      `\n${USER_ARG_HELP}\n${examples('proxicloud users get alice', 'proxicloud users get usr-3f9a2c1b -o json')}`,
    )
    .action(async (user: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const id = await resolveUserId(ctx, user);
      printUser(ctx, await unwrap(ctx.api().GET('/api/v1/users/{id}', { params: { path: { id } } })));
    });

  users
    .command('create <username>')
    .description('Create a user')
    .addOption(roleOption('-r, --role <role>', 'role').makeOptionMandatory())
    .option('-n, --full-name <name>', 'full name')
    .option('--password-stdin', 'read the initial password from stdin')
    .option('--generate-password', 'generate a strong password and print it once')
    .addHelpText(
      'after',
      `
Usernames: 3-32 characters, lowercase letters, digits, ".", "_", "-", starting with a letter.
Passwords: 10-256 characters. Without --password-stdin or --generate-password the password is
prompted (twice) on a terminal.
${examples(
  'proxicloud users create alice --role operator --full-name "Alice Doe"',
  'proxicloud users create ci-bot --role readonly --generate-password',
  'printf %s "$PW" | proxicloud users create bob --role operator --password-stdin',
)}`,
    )
    .action(
      async (
        username: string,
        opts: PasswordSourceOptions & { role: string; fullName?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const api = ctx.api();
        const { password, generated } = await newPassword(opts, username);
        const user = await unwrap(
          api.POST('/api/v1/users', {
            body: {
              username,
              password,
              role: opts.role as User['role'],
              ...(opts.fullName !== undefined ? { fullName: opts.fullName } : {}),
            },
          }),
        );
        if (ctx.out.json) {
          ctx.out.printJson(generated ? { ...user, generatedPassword: password } : user);
          if (generated) ctx.out.warn(GENERATED_WARNING);
        } else {
          ctx.out.success(`Created user ${user.username} (${user.id}).`);
          printUser(ctx, user);
          if (generated) printGeneratedPassword(ctx, password);
        }
      },
    );

  users
    .command('update <user>')
    .description("Change a user's full name or role")
    .option('-n, --full-name <name>', 'new full name')
    .addOption(roleOption('-r, --role <role>', 'new role'))
    .addHelpText(
      'after',
      `\n${USER_ARG_HELP} Users may change their own full name; everything else needs an admin.\n${examples(
        'proxicloud users update alice --role admin',
        'proxicloud users update usr-3f9a2c1b --full-name "Alice Smith"',
      )}`,
    )
    .action(async (user: string, opts: { fullName?: string; role?: string }, cmd: Command) => {
      if (opts.fullName === undefined && opts.role === undefined) {
        throw new UsageError('Nothing to update', 'Pass --full-name and/or --role.');
      }
      const ctx = contextOf(cmd);
      const id = await resolveUserId(ctx, user);
      const updated = await unwrap(
        ctx.api().PUT('/api/v1/users/{id}', {
          params: { path: { id } },
          body: {
            ...(opts.fullName !== undefined ? { fullName: opts.fullName } : {}),
            ...(opts.role !== undefined ? { role: opts.role as User['role'] } : {}),
          },
        }),
      );
      if (ctx.out.json) ctx.out.printJson(updated);
      else {
        ctx.out.success(`Updated ${updated.username}.`);
        printUser(ctx, updated);
      }
    });

  for (const [name, status, verb, help] of [
    [
      'disable',
      'disabled',
      'Disabled',
      'Disable a user: they cannot log in and their sessions and keys stop working',
    ],
    ['enable', 'active', 'Enabled', 'Enable a disabled user again'],
  ] as const) {
    users
      .command(`${name} <user>`)
      .description(help)
      .addHelpText('after', `\n${USER_ARG_HELP}\n${examples(`proxicloud users ${name} alice`)}`)
      .action(async (user: string, _opts: unknown, cmd: Command) => {
        const ctx = contextOf(cmd);
        const id = await resolveUserId(ctx, user);
        const updated = await unwrap(
          ctx.api().PUT('/api/v1/users/{id}', { params: { path: { id } }, body: { status } }),
        );
        if (ctx.out.json) ctx.out.printJson(updated);
        else ctx.out.success(`${verb} ${updated.username} (${updated.id}).`);
      });
  }

  users
    .command('delete <user>')
    .alias('rm')
    .description('Delete a user (asks for confirmation on a terminal)')
    .option('--reassign-to <user>', 'give the resources the user owns to this user (id or username)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      `
${USER_ARG_HELP}
A user who owns resources cannot be deleted (exit 6, with counts per resource type) unless
--reassign-to names the new owner. You cannot delete yourself.
${examples('proxicloud users delete bob', 'proxicloud users delete bob --reassign-to alice --yes')}`,
    )
    .action(async (user: string, opts: { reassignTo?: string; yes?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const id = await resolveUserId(ctx, user);
      const reassignTo = opts.reassignTo ? await resolveUserId(ctx, opts.reassignTo) : undefined;
      await confirmOrExit(
        `Delete user ${user}${reassignTo ? ` and give their resources to ${opts.reassignTo}` : ''}?`,
        opts.yes,
      );
      try {
        await unwrap(
          ctx.api().DELETE('/api/v1/users/{id}', {
            params: { path: { id }, query: reassignTo ? { reassignTo } : {} },
          }),
        );
      } catch (err) {
        if (err instanceof ApiError && err.code === 'user_owns_resources') {
          throw new CliError(err.message, {
            exitCode: err.exitCode,
            code: err.code,
            ...(err.requestId ? { requestId: err.requestId } : {}),
            details: err.details,
            hint: 'Pass --reassign-to <user> to hand the resources over, or delete them first.',
          });
        }
        throw err;
      }
      if (ctx.out.json) ctx.out.printJson({ id, deleted: true });
      else ctx.out.success(`Deleted user ${user}${user === id ? '' : ` (${id})`}.`);
    });

  users
    .command('reset-password <user>')
    .description("Set a new password for a user (admin); ends the user's sessions and lifts a lockout")
    .option('--password-stdin', 'read the new password from stdin')
    .option('--generate-password', 'generate a strong password and print it once')
    .addHelpText(
      'after',
      `\n${USER_ARG_HELP} Without --password-stdin or --generate-password the password is prompted.\n${examples(
        'proxicloud users reset-password alice',
        'proxicloud users reset-password alice --generate-password',
        'proxicloud users reset-password alice --password-stdin < new-password.txt',
      )}`,
    )
    .action(async (user: string, opts: PasswordSourceOptions, cmd: Command) => {
      const ctx = contextOf(cmd);
      const id = await resolveUserId(ctx, user);
      const { password, generated } = await newPassword(opts, user);
      await unwrap(
        ctx.api().POST('/api/v1/users/{id}/password', { params: { path: { id } }, body: { password } }),
      );
      if (ctx.out.json) {
        ctx.out.printJson(
          generated ? { id, passwordReset: true, generatedPassword: password } : { id, passwordReset: true },
        );
        if (generated) ctx.out.warn(GENERATED_WARNING);
        return;
      }
      ctx.out.success(`Password of ${user} was reset; their sessions were ended.`);
      if (generated) printGeneratedPassword(ctx, password);
    });
}

/** `usr-…` is used as is; anything else is looked up as an exact username. */
export async function resolveUserId(ctx: Context, userArg: string): Promise<string> {
  const arg = userArg.trim();
  if (/^usr-[A-Za-z0-9]+$/.test(arg)) return arg;
  if (!/^[a-z][a-z0-9._-]{0,63}$/.test(arg)) {
    throw new UsageError(`"${userArg}" is neither a user id (usr-…) nor a username`);
  }
  // Your own username resolves without listing users (which needs users:read on everyone).
  const profile = ctx.profile();
  if (profile?.username === arg && profile.userId && ctx.credentials().kind === 'session')
    return profile.userId;
  const page = (await unwrap(
    ctx.api().GET('/api/v1/users', { params: { query: { q: arg, limit: 1000 } } }),
  )) as Page<User>;
  const match = page.items.find((u) => u.username === arg);
  if (!match)
    throw new CliError(`No user named "${arg}"`, { exitCode: ExitCode.notFound, code: 'not_found' });
  return match.id;
}

function printUsers(ctx: Context, page: Page<User>): void {
  if (ctx.out.json) {
    ctx.out.printJson(page);
    return;
  }
  if (ctx.out.quiet) {
    for (const u of page.items) ctx.out.line(u.id);
    return;
  }
  ctx.out.table(userColumns, page.items, 'No users found.');
  pagingNote(ctx, page, 'users');
}

function printUser(ctx: Context, user: User): void {
  if (ctx.out.json) {
    ctx.out.printJson(user);
    return;
  }
  if (ctx.out.quiet) {
    ctx.out.line(user.id);
    return;
  }
  ctx.out.details([
    ['ID', user.id],
    ['Username', user.username],
    ['Full name', user.fullName],
    ['Role', user.role],
    ['Status', colorStatus(user.status, ctx.out.c)],
    ['Created', formatTimestamp(user.createdAt)],
    ['Updated', formatTimestamp(user.updatedAt)],
    ['Last login', formatTimestamp(user.lastLoginAt)],
  ]);
}

const GENERATED_WARNING =
  'This password is shown only once. Hand it over securely; the user should change it.';

function printGeneratedPassword(ctx: Context, password: string): void {
  ctx.out.line(`${ctx.out.c.bold('Password:')} ${password}`);
  ctx.out.warn(GENERATED_WARNING);
}
