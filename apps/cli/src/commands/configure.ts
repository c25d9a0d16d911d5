/** `configure access-key`, `configure server`, `configure list`: profile settings. */
import type { Command } from 'commander';
import { createClient, plainFetch, unwrap } from '../lib/api.ts';
import { withoutSession } from '../lib/auth.ts';
import { examples } from '../lib/command.ts';
import { authMethodOf } from '../lib/config.ts';
import { type Context, contextOf } from '../lib/context.ts';
import { UsageError } from '../lib/errors.ts';
import { canPrompt, promptHidden, promptText, readStdin } from '../lib/prompts.ts';
import { normaliseServerUrl } from '../lib/server-url.ts';

interface AccessKeyOptions {
  accessKeyId?: string;
  secretStdin?: boolean;
  remove?: boolean;
  verify: boolean;
}

const ACCESS_KEY_ID = /^AKPC[A-Z0-9]{16}$/;

export function registerConfigureCommands(program: Command): void {
  const configure = program
    .command('configure')
    .description('Manage profiles: access keys, server URLs')
    .addHelpText(
      'after',
      examples(
        'proxicloud configure access-key                    # prompts for key id and secret',
        'proxicloud configure list',
        'proxicloud --profile lab configure server https://lab.home.lan',
      ),
    );

  configure
    .command('access-key')
    .description(
      'Store an access key (id + secret) in the profile; requests then use it instead of a session',
    )
    .option('--access-key-id <id>', 'the access key id (AKPC…, prompted on a terminal when omitted)')
    .option('--secret-stdin', 'read the secret access key from stdin (for scripts)')
    .option('--no-verify', 'store without checking the key against the server')
    .option('--remove', 'remove the access key from the profile')
    .addHelpText(
      'after',
      `
Requests then send \`Authorization: AccessKey <id>:<secret>\`. The key is checked with the server
(GET /auth/me) before it is saved, unless --no-verify. Storing a key ends a session kept in the same
profile (it is revoked). For one-off use without storing anything, set $PROXICLOUD_ACCESS_KEY_ID and
$PROXICLOUD_SECRET_ACCESS_KEY instead.
${examples(
  'proxicloud configure access-key',
  'proxicloud configure access-key --access-key-id AKPCEXAMPLE0000000001 --secret-stdin < secret.txt',
  'proxicloud --profile ci configure access-key --access-key-id "$ID" --secret-stdin <<< "$SECRET"',
  'proxicloud configure access-key --remove',
)}`,
    )
    .action(async (opts: AccessKeyOptions, cmd: Command) => {
      await configureAccessKey(contextOf(cmd), opts);
    });

  configure
    .command('server <url>')
    .description('Set the server URL of the profile (used when --server and $PROXICLOUD_URL are not given)')
    .addHelpText(
      'after',
      examples(
        'proxicloud configure server https://cloud.home.lan',
        'proxicloud --profile lab configure server 10.0.0.5:8080',
      ),
    )
    .action(async (url: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const server = normaliseServerUrl(url, 'the argument');
      const previous = ctx.profile()?.server;
      ctx.store.updateProfile(ctx.profileName, (p) => {
        // A session or key belongs to the server that issued it: drop it when the server changes.
        const same = !p?.server || p.server === server;
        return same ? { ...p, server } : { server };
      });
      if (previous && previous !== server) {
        ctx.out.warn(
          `Profile "${ctx.profileName}" pointed at ${previous}; its stored credentials were removed.`,
        );
      }
      if (ctx.out.json) ctx.out.printJson({ profile: ctx.profileName, server });
      else ctx.out.success(`Profile "${ctx.profileName}" now uses ${server}.`);
    });

  configure
    .command('list')
    .description('List the profiles in the credentials file (never shows secrets)')
    .addHelpText('after', examples('proxicloud configure list', 'proxicloud configure list -o json'))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const profiles = Object.entries(ctx.store.read().profiles).map(([name, p]) => ({
        name,
        active: name === ctx.profileName,
        server: p.server ?? null,
        auth: authMethodOf(p),
        username: p.username ?? null,
        accessKeyId: p.accessKeyId ?? null,
        updatedAt: p.updatedAt ?? null,
      }));
      if (ctx.out.json) {
        ctx.out.printJson({ file: ctx.store.file, items: profiles });
        return;
      }
      if (ctx.out.quiet) {
        for (const p of profiles) ctx.out.line(p.name);
        return;
      }
      ctx.out.table(
        [
          { header: '', value: (p) => (p.active ? '*' : ' ') },
          { header: 'PROFILE', value: (p) => p.name },
          { header: 'SERVER', value: (p) => p.server },
          {
            header: 'AUTH',
            value: (p) => (p.auth === 'access-key' ? `access key ${p.accessKeyId}` : p.auth),
          },
          { header: 'USER', value: (p) => p.username },
        ],
        profiles,
        `No profiles yet in ${ctx.store.file}. Run \`proxicloud login\`.`,
      );
    });
}

async function configureAccessKey(ctx: Context, opts: AccessKeyOptions): Promise<void> {
  if (opts.remove) {
    const profile = ctx.profile();
    if (!profile?.accessKeyId) {
      ctx.out.info(`Profile "${ctx.profileName}" has no access key. Nothing to do.`);
      return;
    }
    ctx.store.updateProfile(ctx.profileName, (p) => {
      const { accessKeyId: _id, secretAccessKey: _secret, ...rest } = p ?? {};
      return rest;
    });
    if (ctx.out.json) ctx.out.printJson({ profile: ctx.profileName, removed: profile.accessKeyId });
    else ctx.out.success(`Removed access key ${profile.accessKeyId} from profile "${ctx.profileName}".`);
    return;
  }

  let id = opts.accessKeyId?.trim();
  if (!id) {
    if (opts.secretStdin || !canPrompt()) {
      throw new UsageError(
        'Missing --access-key-id',
        'Example: --access-key-id AKPC… --secret-stdin < secret.txt',
      );
    }
    id = await promptText('Access key id: ');
  }
  if (!ACCESS_KEY_ID.test(id)) {
    throw new UsageError(
      `"${id}" is not an access key id`,
      'Access key ids are 20 characters starting with AKPC.',
    );
  }
  let secret: string;
  if (opts.secretStdin) secret = (await readStdin(process.stdin, 'secret access key')).trim();
  else if (canPrompt()) secret = await promptHidden('Secret access key: ');
  else throw new UsageError('No secret given and stdin is not a terminal', 'Use --secret-stdin.');
  if (!secret) throw new UsageError('The secret access key is empty');

  const server = ctx.serverUrl;
  let username: string | undefined;
  if (opts.verify) {
    const header = `AccessKey ${id}:${secret}`;
    const send = plainFetch(server);
    const client = createClient(server, async (request) => {
      request.headers.set('authorization', header);
      return send(request);
    });
    const me = await unwrap(client.GET('/api/v1/auth/me'));
    username = me.user.username;
  }

  const previous = ctx.profile();
  ctx.store.updateProfile(ctx.profileName, (p) => ({
    ...withoutSession(p ?? {}),
    server,
    accessKeyId: id,
    secretAccessKey: secret,
    ...(username ? { username } : {}),
  }));
  if (previous?.refreshToken && previous.server) {
    const client = createClient(previous.server, undefined);
    await unwrap(client.POST('/api/v1/auth/logout', { body: { refreshToken: previous.refreshToken } })).catch(
      () => undefined,
    );
  }
  if (ctx.out.json) {
    ctx.out.printJson({ profile: ctx.profileName, server, accessKeyId: id, username: username ?? null });
    return;
  }
  ctx.out.success(
    `Profile "${ctx.profileName}" now uses access key ${id}${username ? ` (user ${username})` : ''} for ${server}.`,
  );
  if (previous?.refreshToken)
    ctx.out.info(ctx.out.c.dim('The session previously stored in this profile was revoked.'));
}
