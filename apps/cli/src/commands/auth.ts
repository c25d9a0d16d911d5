/** `login`, `logout`, `whoami`. */
import type { Command } from 'commander';
import { createClient, unwrap } from '../lib/api.ts';
import { sessionProfileFields, withoutSession } from '../lib/auth.ts';
import { examples } from '../lib/command.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { ApiError, CliError, UsageError } from '../lib/errors.ts';
import { colorStatus, formatTimestamp } from '../lib/output.ts';
import { canPrompt, promptHidden, promptText, readStdin } from '../lib/prompts.ts';

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
}

export function registerAuthCommands(program: Command): void {
  program
    .command('login')
    .description('Log in with username and password; stores a session for the profile')
    .option('-u, --username <name>', 'username (prompted on a terminal when omitted)')
    .option('--password-stdin', 'read the password from stdin (for scripts); needs --username')
    .addHelpText(
      'after',
      `
The session (access + refresh token) and the server URL are saved in the profile's entry of
$XDG_CONFIG_HOME/proxicloud/credentials.json (default ~/.config/proxicloud), mode 0600. Expired access
tokens are renewed automatically with the refresh token (30 days, rotating). Logging in replaces an
access key stored in the same profile.
${examples(
  'proxicloud login                                   # prompts for username and password',
  'proxicloud login --server https://cloud.home.lan   # log in to another server (remembered)',
  'proxicloud login -u ci-bot --password-stdin < ~/.secrets/pc-password',
  'proxicloud --profile lab login -u admin            # a second, independent profile',
)}`,
    )
    .action(async (opts: LoginOptions, cmd: Command) => {
      await login(contextOf(cmd), opts);
    });

  program
    .command('logout')
    .description('Revoke the session on the server and delete the stored tokens')
    .addHelpText(
      'after',
      `
The refresh token is revoked on the server, then removed from the profile (the server URL stays).
An access key stored with \`configure access-key\` is not touched; remove it with
\`proxicloud configure access-key --remove\`.
${examples('proxicloud logout', 'proxicloud --profile lab logout')}`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      await logout(contextOf(cmd));
    });

  program
    .command('whoami')
    .description('Show the user, role and permissions of the active credentials')
    .option('--permissions', 'list every permission, grouped by resource')
    .addHelpText(
      'after',
      examples(
        'proxicloud whoami',
        'proxicloud whoami --permissions',
        'proxicloud whoami -o json | jq -r .user.role',
        'proxicloud --profile lab whoami',
      ),
    )
    .action(async (opts: { permissions?: boolean }, cmd: Command) => {
      await whoami(contextOf(cmd), opts.permissions ?? false);
    });
}

async function login(ctx: Context, opts: LoginOptions): Promise<void> {
  const server = ctx.serverUrl;
  let username = opts.username?.trim();
  if (!username) {
    if (opts.passwordStdin) {
      throw new UsageError(
        '--password-stdin needs --username',
        'Example: proxicloud login -u alice --password-stdin',
      );
    }
    if (!canPrompt()) {
      throw new UsageError(
        'No username given and stdin is not a terminal',
        'Use --username and --password-stdin.',
      );
    }
    username = await promptText(`Username for ${server}: `);
    if (!username) throw new UsageError('A username is required');
  }
  let password: string;
  if (opts.passwordStdin) {
    password = await readStdin(process.stdin, 'password');
  } else if (canPrompt()) {
    password = await promptHidden(`Password for ${username}: `);
  } else {
    throw new UsageError(
      'No password given and stdin is not a terminal',
      'Use --password-stdin, e.g. `proxicloud login -u alice --password-stdin < pwfile`.',
    );
  }
  if (!password) throw new UsageError('The password is empty');

  const session = await unwrap(ctx.publicApi().POST('/api/v1/auth/login', { body: { username, password } }));

  const previous = ctx.profile();
  ctx.store.updateProfile(ctx.profileName, (p) => {
    const { accessKeyId: _id, secretAccessKey: _secret, ...rest } = withoutSession(p ?? {});
    return { ...rest, server, ...sessionProfileFields(session) };
  });
  // Best effort: the old session of this profile is no longer reachable, so revoke it.
  if (previous?.refreshToken && previous.server) {
    await revoke(previous.server, previous.refreshToken).catch(() => undefined);
  }

  if (ctx.out.json) {
    ctx.out.printJson({ server, profile: ctx.profileName, user: session.user, expiresIn: session.expiresIn });
    return;
  }
  const c = ctx.out.c;
  ctx.out.success(`Logged in to ${server} as ${c.bold(session.user.username)} (${session.user.role}).`);
  const where = ctx.profileName === 'default' ? '' : ` (profile ${ctx.profileName})`;
  ctx.out.info(c.dim(`Credentials saved to ${ctx.store.file}${where}.`));
  if (previous?.accessKeyId)
    ctx.out.info(c.dim('The access key previously stored in this profile was replaced.'));
}

async function revoke(serverUrl: string, refreshToken: string): Promise<void> {
  const client = createClient(serverUrl, undefined);
  await unwrap(client.POST('/api/v1/auth/logout', { body: { refreshToken } }));
}

async function logout(ctx: Context): Promise<void> {
  const profile = ctx.profile();
  if (!profile?.refreshToken && !profile?.accessToken) {
    if (profile?.accessKeyId) {
      ctx.out.info(
        `Profile "${ctx.profileName}" has no session; it uses access key ${profile.accessKeyId}. ` +
          'Remove it with `proxicloud configure access-key --remove`.',
      );
    } else {
      ctx.out.info(`Not logged in (profile "${ctx.profileName}"). Nothing to do.`);
    }
    return;
  }
  // Revoke against the server that issued the session (not a different --server).
  const server = profile.server ?? ctx.serverUrl;
  let failure: CliError | undefined;
  if (profile.refreshToken) {
    try {
      await revoke(server, profile.refreshToken);
    } catch (err) {
      // Already expired/revoked: the goal is reached.
      if (!(err instanceof ApiError && err.status === 401)) {
        failure = err instanceof CliError ? err : new CliError(String(err));
      }
    }
  }
  ctx.store.updateProfile(ctx.profileName, (p) => p && withoutSession(p));
  if (failure) {
    ctx.out.warn(
      'Local credentials were deleted, but the session could not be revoked on the server; ' +
        'its refresh token stays valid until it expires.',
    );
    throw failure;
  }
  if (ctx.out.json) ctx.out.printJson({ server, profile: ctx.profileName, loggedOut: true });
  else ctx.out.success(`Logged out of ${server}${profile.username ? ` (${profile.username})` : ''}.`);
}

/** ["users:read", "users:create", "audit:read"] → ["audit: read", "users: create, read"]. */
export function groupPermissions(permissions: readonly string[]): string[] {
  const byResource = new Map<string, string[]>();
  for (const p of permissions) {
    const [resource, action] = p.includes(':') ? (p.split(':', 2) as [string, string]) : [p, ''];
    const list = byResource.get(resource) ?? [];
    if (action) list.push(action);
    byResource.set(resource, list);
  }
  return [...byResource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, actions]) => (actions.length ? `${resource}: ${actions.sort().join(', ')}` : resource));
}

async function whoami(ctx: Context, listPermissions: boolean): Promise<void> {
  const me = await unwrap(ctx.api().GET('/api/v1/auth/me'));
  if (ctx.out.json) {
    ctx.out.printJson(me);
    return;
  }
  const creds = ctx.credentials();
  const profile = ctx.profile();
  let auth = 'session';
  if (creds.kind === 'access-key') {
    auth = `access key ${creds.accessKeyId}${creds.source === 'env' ? ' (from $PROXICLOUD_ACCESS_KEY_ID)' : ''}`;
  } else if (profile?.accessTokenExpiresAt) {
    auth = `session (access token valid until ${formatTimestamp(profile.accessTokenExpiresAt)}, renews automatically)`;
  }
  const { user, permissions } = me;
  ctx.out.details([
    ['User', user.username],
    ['ID', user.id],
    ['Full name', user.fullName],
    ['Role', user.role],
    ['Status', colorStatus(user.status, ctx.out.c)],
    ['Last login', formatTimestamp(user.lastLoginAt)],
    ['Server', ctx.serverUrl],
    ['Profile', ctx.profileName],
    ['Auth', auth],
    [
      'Permissions',
      listPermissions
        ? permissions.length
        : `${permissions.length} (list them: proxicloud whoami --permissions)`,
    ],
  ]);
  if (listPermissions) for (const line of groupPermissions(permissions)) ctx.out.line(`  ${line}`);
}
