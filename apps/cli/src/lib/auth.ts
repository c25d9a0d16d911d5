/**
 * Request authentication for the SDK: a `fetch` wrapper that adds the `Authorization` header from
 * the active credentials and renews an expired session.
 *
 * Credentials, first match wins:
 *   1. $PROXICLOUD_ACCESS_KEY_ID + $PROXICLOUD_SECRET_ACCESS_KEY  → `AccessKey id:secret`
 *   2. the profile's access key (`proxicloud configure access-key`) → `AccessKey id:secret`
 *   3. the profile's session (`proxicloud login`)                   → `Bearer <access JWT>`
 *
 * Session renewal: when the stored expiry has passed, or the server answers 401, the refresh token
 * is exchanged once (under a file lock, so parallel CLI processes never spend the same refresh token
 * twice: the server would see a replay and revoke the whole session), the rotated tokens are saved
 * and the request is retried once.
 */
import type { ConfigStore, Profile } from './config.ts';
import { ApiError, CliError, ExitCode, networkError } from './errors.ts';

export type Credentials =
  | { kind: 'access-key'; accessKeyId: string; secretAccessKey: string; source: 'env' | 'profile' }
  | {
      kind: 'session';
      accessToken: string | undefined;
      refreshToken: string | undefined;
      expiresAt: number | undefined;
    }
  | { kind: 'none' };

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  user: { id: string; username: string };
}

/** Exchanges a refresh token for a new session (POST /auth/refresh through the SDK). */
export type RefreshFn = (refreshToken: string) => Promise<SessionTokens>;

export type FetchFn = (request: Request) => Promise<Response>;

/** Renew this many ms before the stored expiry, to absorb clock skew and request latency. */
const EXPIRY_SKEW_MS = 10_000;

/** Paths that must never carry stored credentials or trigger a refresh. */
const NO_AUTH_PATHS = [/\/auth\/login$/, /\/auth\/refresh$/];

export function credentialsFrom(profile: Profile | undefined, env: NodeJS.ProcessEnv): Credentials {
  const envId = env.PROXICLOUD_ACCESS_KEY_ID?.trim();
  const envSecret = env.PROXICLOUD_SECRET_ACCESS_KEY?.trim();
  if (envId || envSecret) {
    if (!envId || !envSecret) {
      throw new CliError('Set both PROXICLOUD_ACCESS_KEY_ID and PROXICLOUD_SECRET_ACCESS_KEY, or neither', {
        exitCode: ExitCode.usage,
        code: 'usage_error',
      });
    }
    return { kind: 'access-key', accessKeyId: envId, secretAccessKey: envSecret, source: 'env' };
  }
  if (profile?.accessKeyId && profile.secretAccessKey) {
    return {
      kind: 'access-key',
      accessKeyId: profile.accessKeyId,
      secretAccessKey: profile.secretAccessKey,
      source: 'profile',
    };
  }
  if (profile?.accessToken || profile?.refreshToken) {
    const expiresAt = profile.accessTokenExpiresAt ? Date.parse(profile.accessTokenExpiresAt) : Number.NaN;
    return {
      kind: 'session',
      accessToken: profile.accessToken,
      refreshToken: profile.refreshToken,
      expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt,
    };
  }
  return { kind: 'none' };
}

export function authorizationHeader(creds: Credentials): string | undefined {
  if (creds.kind === 'access-key') return `AccessKey ${creds.accessKeyId}:${creds.secretAccessKey}`;
  if (creds.kind === 'session' && creds.accessToken) return `Bearer ${creds.accessToken}`;
  return undefined;
}

/** The profile fields a new session writes (login and refresh). */
export function sessionProfileFields(session: SessionTokens, now = Date.now()): Partial<Profile> {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    accessTokenExpiresAt: new Date(now + session.expiresIn * 1000).toISOString(),
    username: session.user.username,
    userId: session.user.id,
  };
}

export interface AuthFetchOptions {
  store: ConfigStore;
  profileName: string;
  serverUrl: string;
  env: NodeJS.ProcessEnv;
  refresh: RefreshFn;
  /** The real fetch (tests never replace it; kept injectable for the SDK's own signature). */
  fetch?: FetchFn;
  now?: () => number;
}

export class AuthFetch {
  private creds: Credentials | undefined;
  private readonly opts: AuthFetchOptions;
  private readonly baseFetch: FetchFn;
  private readonly now: () => number;

  constructor(opts: AuthFetchOptions) {
    this.opts = opts;
    this.baseFetch = opts.fetch ?? ((request) => globalThis.fetch(request));
    this.now = opts.now ?? Date.now;
  }

  credentials(): Credentials {
    this.creds ??= credentialsFrom(this.opts.store.getProfile(this.opts.profileName), this.opts.env);
    return this.creds;
  }

  /** The fetch function handed to the SDK. */
  readonly fetch: FetchFn = async (request) => {
    const noAuth = NO_AUTH_PATHS.some((re) => re.test(new URL(request.url).pathname));
    if (noAuth) return this.send(request);

    let creds = this.credentials();
    if (creds.kind === 'session' && creds.refreshToken && this.expired(creds)) {
      creds = await this.renew(creds.refreshToken);
    }
    const canRetry = creds.kind === 'session' && Boolean(creds.refreshToken);
    const retry = canRetry ? request.clone() : undefined;
    setAuth(request, creds);
    const response = await this.send(request);
    if (response.status !== 401 || !retry || creds.kind !== 'session' || !creds.refreshToken) return response;

    // Access token rejected (expired, or the server's key changed): renew once and retry once.
    await response.body?.cancel();
    const renewed = await this.renew(creds.refreshToken);
    setAuth(retry, renewed);
    return this.send(retry);
  };

  private expired(creds: Extract<Credentials, { kind: 'session' }>): boolean {
    if (!creds.accessToken) return true;
    return creds.expiresAt !== undefined && creds.expiresAt - EXPIRY_SKEW_MS <= this.now();
  }

  private async send(request: Request): Promise<Response> {
    try {
      return await this.baseFetch(request);
    } catch (err) {
      throw networkError(err, this.opts.serverUrl);
    }
  }

  /**
   * Exchange `usedRefreshToken` for a new session, unless another process already did (then adopt
   * its tokens). A rejected refresh token ends the session: the stored tokens are removed.
   */
  private async renew(usedRefreshToken: string): Promise<Credentials> {
    const { store, profileName } = this.opts;
    const creds = await store.withLock(async (): Promise<Credentials> => {
      const current = store.getProfile(profileName);
      if (current?.refreshToken && current.refreshToken !== usedRefreshToken && current.accessToken) {
        return credentialsFrom(current, {});
      }
      if (!current?.refreshToken) throw notLoggedIn(profileName, 'The session was removed (logged out?).');
      let session: SessionTokens;
      try {
        session = await this.opts.refresh(usedRefreshToken);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
          store.updateProfile(profileName, (p) => p && withoutSession(p));
          throw notLoggedIn(profileName, 'Your session has expired or was revoked.', err.requestId);
        }
        throw err;
      }
      const updated = store.updateProfile(profileName, (p) => ({
        ...p,
        ...sessionProfileFields(session, this.now()),
      }));
      return credentialsFrom(updated, {});
    });
    this.creds = creds;
    return creds;
  }
}

function setAuth(request: Request, creds: Credentials): void {
  const header = authorizationHeader(creds);
  if (header) request.headers.set('authorization', header);
}

export function withoutSession(profile: Profile): Profile {
  const { accessToken: _a, refreshToken: _r, accessTokenExpiresAt: _e, ...rest } = profile;
  return rest;
}

export function notLoggedIn(profileName: string, reason?: string, requestId?: string): CliError {
  const flag = profileName === 'default' ? '' : ` --profile ${profileName}`;
  return new CliError(reason ? `${reason} Log in again.` : `Not logged in (profile "${profileName}")`, {
    exitCode: ExitCode.unauthenticated,
    code: reason ? 'session_expired' : 'not_logged_in',
    ...(requestId ? { requestId } : {}),
    hint: `Run \`proxicloud login${flag}\`, or \`proxicloud configure access-key${flag}\` to use an access key.`,
  });
}
