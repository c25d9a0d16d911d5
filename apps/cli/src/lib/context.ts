/**
 * Per-invocation context built from the global options: output, credentials store, profile,
 * server URL and the SDK clients. Commands get it with `contextOf(cmd)`.
 */
import type { Command } from 'commander';
import { type ApiClient, createClient, refreshSession } from './api.ts';
import { AuthFetch, type Credentials, notLoggedIn } from './auth.ts';
import { ConfigStore, defaultConfigDir, type Profile, validateProfileName } from './config.ts';
import { Output, type OutputFormat } from './output.ts';
import { DEFAULT_SERVER_URL, normaliseServerUrl } from './server-url.ts';

export interface GlobalOptions {
  server?: string;
  profile?: string;
  output?: OutputFormat;
  color?: boolean;
  quiet?: boolean;
}

export type ServerSource = 'flag' | 'env' | 'profile' | 'default';

export interface ContextOptions {
  global: GlobalOptions;
  /** Where --server came from, per commander ('cli' | 'env' | …). */
  serverOptionSource?: string | undefined;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export class Context {
  readonly out: Output;
  readonly store: ConfigStore;
  readonly profileName: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly serverOption: string | undefined;
  private readonly serverOptionSource: string | undefined;
  private authFetch: AuthFetch | undefined;
  private client: ApiClient | undefined;

  constructor(options: ContextOptions) {
    const g = options.global;
    this.env = options.env ?? process.env;
    this.out = new Output({
      format: g.output ?? 'table',
      color: g.color === false ? false : undefined,
      quiet: g.quiet ?? false,
      env: this.env,
      ...(options.stdout ? { stdout: options.stdout } : {}),
      ...(options.stderr ? { stderr: options.stderr } : {}),
    });
    this.profileName = validateProfileName(g.profile ?? 'default');
    this.store = new ConfigStore(defaultConfigDir(this.env), (m) => this.out.warn(m));
    this.serverOption = g.server;
    this.serverOptionSource = options.serverOptionSource;
  }

  profile(): Profile | undefined {
    return this.store.getProfile(this.profileName);
  }

  /** --server (or $PROXICLOUD_URL), else the profile's server, else http://127.0.0.1:8080. */
  server(): { url: string; source: ServerSource } {
    if (this.serverOption) {
      const source = this.serverOptionSource === 'env' ? 'env' : 'flag';
      const label = source === 'env' ? '$PROXICLOUD_URL' : '--server';
      return { url: normaliseServerUrl(this.serverOption, label), source };
    }
    const stored = this.profile()?.server;
    if (stored)
      return { url: normaliseServerUrl(stored, `profile "${this.profileName}"`), source: 'profile' };
    return { url: DEFAULT_SERVER_URL, source: 'default' };
  }

  get serverUrl(): string {
    return this.server().url;
  }

  private auth(): AuthFetch {
    if (!this.authFetch) {
      const serverUrl = this.serverUrl;
      this.authFetch = new AuthFetch({
        store: this.store,
        profileName: this.profileName,
        serverUrl,
        env: this.env,
        refresh: (token) => refreshSession(serverUrl, token),
      });
    }
    return this.authFetch;
  }

  credentials(): Credentials {
    return this.auth().credentials();
  }

  /** An SDK client that authenticates with the active credentials (exit 3 when there are none). */
  api(): ApiClient {
    if (this.credentials().kind === 'none') throw notLoggedIn(this.profileName);
    this.client ??= createClient(this.serverUrl, this.auth().fetch);
    return this.client;
  }

  /** An SDK client without stored credentials (login, system info). Network errors still map to exit 9. */
  publicApi(): ApiClient {
    return createClient(this.serverUrl, undefined);
  }
}

/** Build the context from a command's merged global options. */
export function contextOf(cmd: Command): Context {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return new Context({
    global: cmd.optsWithGlobals<GlobalOptions>(),
    serverOptionSource: root.getOptionValueSource('server'),
  });
}
