import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  normalizeFingerprint,
  type ProxmoxEnvConfig,
  proxmoxConfigFromEnv,
} from '@proxicloud/proxmox-client';
import { passwordProblem } from './password-policy.ts';

/**
 * Server configuration: environment variables override an optional JSON config file
 * (`PROXICLOUD_CONFIG`, else `<dataDir>/config.json` when present), which overrides defaults.
 * Everything is validated once at start; errors name the variable (and the file key).
 * Documented in docs/configuration.md — keep both in sync.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface DatabaseConfig {
  kind: 'sqlite' | 'postgres';
  /** SQLite file path (or ':memory:'), when kind = sqlite. */
  sqlitePath: string;
  /** PostgreSQL connection string, when kind = postgres. */
  url: string | null;
}

export interface ProxmoxConfig {
  url: string;
  token: string | null;
  fingerprint: string | null;
  caFile: string | null;
  /** SSH host agent target (no secrets), when PROXMOX_SSH_HOST is set. */
  ssh: { host: string; port: number; username: string; hostKeyFingerprint: string } | null;
  /**
   * Ready-to-use client settings (base URL, auth, TLS trust, SSH), parsed once by the Proxmox
   * client's own `proxmoxConfigFromEnv` so both agree on every variable. Holds secrets: never log it.
   */
  connection: ProxmoxEnvConfig;
}

export interface AuthTuning {
  /** bcrypt cost. 12 in production; tests lower it through the config object (no env var). */
  bcryptCost: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Consecutive failures for one username before it is locked. */
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** Failed logins from one IP within the window before that IP gets 429. */
  ipMaxFailures: number;
  ipWindowSeconds: number;
  /** How long an authenticated principal (user status, role, session) may be cached. */
  principalCacheMs: number;
}

export interface Config {
  version: string;
  dataDir: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  database: DatabaseConfig;
  /** First-run password for `admin`; null → generated once and printed to the log. */
  adminPassword: string | null;
  /** HS256 key for access JWTs (raw bytes). */
  jwtSecret: Uint8Array;
  /** 32-byte AES-256-GCM key that encrypts stored secrets (access key secrets, …). */
  masterKey: Buffer;
  /** null → demo mode (the simulator is started in-process by the integration work). */
  proxmox: ProxmoxConfig | null;
  /**
   * The secrets vault's master key (wraps every secret version's data key; docs/secrets.md):
   * `fromEnv` when PROXICLOUD_SECRETS_MASTER_KEY is set, else the key file (created 0600 on first
   * start; the vault refuses to start when it is group/other-accessible).
   */
  secretsMasterKey: { file: string; fromEnv: Buffer | null };
  /** S3 endpoint port; null = the dedicated S3 listener is disabled (S3 stays under /s3 on the main port). */
  s3Port: number | null;
  /** Base domain for virtual-host-style S3 addressing (`<bucket>.<domain>`); null = path-style only. */
  s3Domain: string | null;
  /** Region reported by GetBucketLocation and used for presigned URLs. */
  s3Region: string;
  /** Parent ZFS dataset for one dataset per bucket (e.g. tank/proxicloud/buckets); null = plain directories. */
  s3ZfsParent: string | null;
  /** ZFS dataset (on the PVE node) for `zfs send` copies of volume backups; null = local snapshots only. */
  backupZfsDataset: string | null;
  /** Abandoned multipart uploads older than this are removed by the storage cleanup job. */
  s3UploadExpiryDays: number;
  auditRetentionDays: number;
  webDir: string;
  bodyLimitBytes: number;
  /**
   * Reverse proxies whose X-Forwarded-* headers are believed: addresses and CIDRs (IPv4/IPv6) or
   * proxy-addr's names loopback/linklocal/uniquelocal. Empty = none: the peer address is the client.
   */
  trustProxy: string[];
  /** 'auto' sets the Secure cookie flag when the request came over HTTPS. */
  cookieSecure: 'auto' | 'always' | 'never';
  /**
   * HTTPS served directly (console/API port and the S3 port): certificate + key files, or a
   * self-signed certificate generated once under <dataDir>/tls. null = plain HTTP (e.g. behind a
   * reverse proxy that terminates TLS). See platform/http/tls.ts and docs/install.md.
   */
  tls: { mode: 'files'; certFile: string; keyFile: string } | { mode: 'self-signed' } | null;
  /** Strict-Transport-Security max-age on HTTPS responses (direct or via a trusted proxy); 0 = off. */
  hstsMaxAgeSeconds: number;
  /** Browser consoles: close after this many seconds without input (0 = never). */
  consoleIdleTimeoutSeconds: number;
  /** Origins (besides the server's own) whose pages may open console websockets. */
  consoleOrigins: string[];
  auth: AuthTuning;
  /** `GET /metrics` (Prometheus): bearer scrape token (null: only admins' tokens) and client allow-list. */
  metricsToken: string | null;
  /** Addresses/CIDRs that may scrape `/metrics` without a token (empty: none). */
  metricsAllow: string[];
  /** Seconds between two collector passes (one `/cluster/resources` call each), 10–30. */
  metricsIntervalSeconds: number;
  /**
   * Several servers on one PostgreSQL: a server (its heartbeat, the scheduler/leader lease) is
   * taken over this many seconds after it stopped answering, 5–300 (default 30).
   */
  clusterLeaseSeconds: number;
  /** Where each value came from, for the start-up log (never values themselves). */
  sources: Record<string, 'default' | 'file' | 'env' | 'generated'>;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Config file keys ↔ environment variables. */
const FILE_KEYS = {
  dataDir: 'PROXICLOUD_DATA_DIR',
  port: 'PROXICLOUD_PORT',
  host: 'PROXICLOUD_HOST',
  logLevel: 'PROXICLOUD_LOG_LEVEL',
  databaseUrl: 'DATABASE_URL',
  adminPassword: 'PROXICLOUD_ADMIN_PASSWORD',
  jwtSecret: 'PROXICLOUD_JWT_SECRET',
  masterKey: 'PROXICLOUD_MASTER_KEY',
  proxmoxUrl: 'PROXMOX_URL',
  proxmoxToken: 'PROXMOX_TOKEN',
  proxmoxFingerprint: 'PROXMOX_FINGERPRINT',
  proxmoxCaFile: 'PROXMOX_CA_FILE',
  proxmoxUser: 'PROXMOX_USER',
  proxmoxPassword: 'PROXMOX_PASSWORD',
  proxmoxRealm: 'PROXMOX_REALM',
  proxmoxSshHost: 'PROXMOX_SSH_HOST',
  proxmoxSshPort: 'PROXMOX_SSH_PORT',
  proxmoxSshUser: 'PROXMOX_SSH_USER',
  proxmoxSshPassword: 'PROXMOX_SSH_PASSWORD',
  proxmoxSshKeyFile: 'PROXMOX_SSH_KEY_FILE',
  proxmoxSshKeyPassphrase: 'PROXMOX_SSH_KEY_PASSPHRASE',
  proxmoxSshHostKeyFingerprint: 'PROXMOX_SSH_HOST_KEY_FINGERPRINT',
  s3Port: 'PROXICLOUD_S3_PORT',
  s3Domain: 'PROXICLOUD_S3_DOMAIN',
  s3Region: 'PROXICLOUD_S3_REGION',
  s3ZfsParent: 'PROXICLOUD_S3_ZFS_PARENT',
  backupZfsDataset: 'PROXICLOUD_BACKUP_ZFS_DATASET',
  s3UploadExpiryDays: 'PROXICLOUD_S3_UPLOAD_EXPIRY_DAYS',
  auditRetentionDays: 'PROXICLOUD_AUDIT_RETENTION_DAYS',
  webDir: 'PROXICLOUD_WEB_DIR',
  bodyLimitBytes: 'PROXICLOUD_BODY_LIMIT',
  trustProxy: 'PROXICLOUD_TRUST_PROXY',
  cookieSecure: 'PROXICLOUD_COOKIE_SECURE',
  tls: 'PROXICLOUD_TLS',
  tlsCert: 'PROXICLOUD_TLS_CERT',
  tlsKey: 'PROXICLOUD_TLS_KEY',
  hsts: 'PROXICLOUD_HSTS',
  secretsMasterKey: 'PROXICLOUD_SECRETS_MASTER_KEY',
  secretsMasterKeyFile: 'PROXICLOUD_SECRETS_MASTER_KEY_FILE',
  consoleIdleTimeoutSeconds: 'PROXICLOUD_CONSOLE_IDLE_TIMEOUT',
  consoleOrigins: 'PROXICLOUD_CONSOLE_ORIGINS',
  metricsToken: 'PROXICLOUD_METRICS_TOKEN',
  metricsAllow: 'PROXICLOUD_METRICS_ALLOW',
  metricsIntervalSeconds: 'PROXICLOUD_METRICS_INTERVAL',
  clusterLeaseSeconds: 'PROXICLOUD_CLUSTER_LEASE_SECONDS',
} as const;
type FileKey = keyof typeof FILE_KEYS;
export const CONFIG_ENV_VARS: readonly string[] = ['PROXICLOUD_CONFIG', ...Object.values(FILE_KEYS)];

/**
 * The installation's root: the nearest ancestor with the root package.json (`"name": "proxicloud"`).
 * Found by walking up, so the same code works from source (apps/server/src/platform), from the
 * production bundle (apps/server/dist) and from the CLI's bundle chunks (apps/cli/dist/chunks).
 */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'proxicloud') return dir;
    } catch {
      // no package.json here
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
    dir = parent;
  }
}
const REPO_ROOT = findRepoRoot();
const SERVER_ROOT = join(REPO_ROOT, 'apps/server');

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(SERVER_ROOT, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Base for relative paths (default process.cwd()). */
  cwd?: string;
  /** Generate missing JWT secret / master key files under <dataDir>/secrets (default true). */
  generateSecrets?: boolean;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];
  const sources: Config['sources'] = {};

  const envDataDir = nonEmpty(env.PROXICLOUD_DATA_DIR);
  // Config file: explicit path, else <dataDir>/config.json if present.
  let file: Partial<Record<FileKey, unknown>> = {};
  let fileLabel = '';
  const explicitFile = nonEmpty(env.PROXICLOUD_CONFIG);
  const candidate = explicitFile
    ? resolve(cwd, explicitFile)
    : join(resolve(cwd, envDataDir ?? './data'), 'config.json');
  if (explicitFile && !existsSync(candidate)) {
    problems.push(`PROXICLOUD_CONFIG: file not found: ${candidate}`);
  } else if (existsSync(candidate)) {
    fileLabel = candidate;
    try {
      const parsed: unknown = JSON.parse(readFileSync(candidate, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problems.push(`config file ${candidate}: must contain a JSON object`);
      } else {
        for (const [key, value] of Object.entries(parsed)) {
          if (!(key in FILE_KEYS)) {
            problems.push(
              `config file ${candidate}: unknown key "${key}" (allowed: ${Object.keys(FILE_KEYS).join(', ')})`,
            );
          } else {
            file[key as FileKey] = value;
          }
        }
      }
    } catch (err) {
      problems.push(`config file ${candidate}: not valid JSON (${(err as Error).message})`);
      file = {};
    }
  }

  /** Raw string for a setting: env beats file beats default. */
  const raw = (key: FileKey): string | undefined => {
    const name = FILE_KEYS[key];
    const fromEnv = nonEmpty(env[name]);
    if (fromEnv !== undefined) {
      sources[key] = 'env';
      return fromEnv;
    }
    const fromFile = file[key];
    if (fromFile !== undefined && fromFile !== null) {
      sources[key] = 'file';
      if (typeof fromFile === 'string' || typeof fromFile === 'number' || typeof fromFile === 'boolean') {
        return String(fromFile);
      }
      problems.push(`${label(key)}: must be a string, number or boolean`);
      return undefined;
    }
    sources[key] = 'default';
    return undefined;
  };
  const label = (key: FileKey) =>
    sources[key] === 'file' ? `${FILE_KEYS[key]} (config file key "${key}" in ${fileLabel})` : FILE_KEYS[key];

  const int = (key: FileKey, def: number, min: number, max: number): number => {
    const value = raw(key);
    if (value === undefined) return def;
    if (!/^\d+$/.test(value.trim())) {
      problems.push(`${label(key)}: must be a whole number between ${min} and ${max}, got "${value}"`);
      return def;
    }
    const n = Number(value);
    if (n < min || n > max) {
      problems.push(`${label(key)}: must be between ${min} and ${max}, got ${n}`);
      return def;
    }
    return n;
  };

  const dataDir = resolve(cwd, raw('dataDir') ?? './data');
  const port = int('port', 8080, 0, 65535);
  const host = raw('host') ?? '0.0.0.0';

  const logLevelRaw = (raw('logLevel') ?? 'info').toLowerCase();
  let logLevel: LogLevel = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
  else problems.push(`${label('logLevel')}: must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`);

  let database: DatabaseConfig = { kind: 'sqlite', sqlitePath: join(dataDir, 'proxicloud.db'), url: null };
  const dbUrl = raw('databaseUrl');
  if (dbUrl !== undefined) {
    if (/^postgres(ql)?:\/\//i.test(dbUrl)) {
      try {
        new URL(dbUrl);
        database = { kind: 'postgres', sqlitePath: '', url: dbUrl };
      } catch {
        problems.push(`${label('databaseUrl')}: not a valid URL`);
      }
    } else {
      problems.push(
        `${label('databaseUrl')}: must start with postgres:// or postgresql:// (SQLite is the default)`,
      );
    }
  }

  const adminPassword = raw('adminPassword') ?? null;
  const rawAdminPassword = env[FILE_KEYS.adminPassword];
  if (adminPassword === null && rawAdminPassword && rawAdminPassword.trim() === '') {
    // Not "unset": a password of spaces is refused rather than silently replaced by a generated one.
    problems.push(
      `${FILE_KEYS.adminPassword}: the first admin's password must not consist of whitespace only`,
    );
  }
  if (adminPassword !== null) {
    // The same policy as every password the API accepts (length, whitespace, username, common list).
    const problem = passwordProblem(adminPassword, 'admin');
    if (problem) {
      problems.push(
        problem.reason === 'too_short' || problem.reason === 'too_long'
          ? `${label('adminPassword')}: must be 10 to 256 characters long`
          : `${label('adminPassword')}: the first admin's password ${problem.message}`,
      );
    }
  }

  // Proxmox: the raw values (env or file) go through the client's own parser, so the server and
  // the client agree on every PROXMOX_* variable (documented in docs/configuration.md).
  let proxmox: ProxmoxConfig | null = null;
  const pveUrl = raw('proxmoxUrl');
  const pathOf = (key: FileKey) => {
    const v = raw(key);
    return v === undefined ? undefined : resolve(cwd, v);
  };
  const pveEnv: Record<string, string | undefined> = {
    PROXMOX_URL: pveUrl,
    PROXMOX_TOKEN: raw('proxmoxToken'),
    PROXMOX_USER: raw('proxmoxUser'),
    PROXMOX_PASSWORD: raw('proxmoxPassword'),
    PROXMOX_REALM: raw('proxmoxRealm'),
    PROXMOX_FINGERPRINT: raw('proxmoxFingerprint'),
    PROXMOX_CA_FILE: pathOf('proxmoxCaFile'),
    PROXMOX_SSH_HOST: raw('proxmoxSshHost'),
    PROXMOX_SSH_PORT: raw('proxmoxSshPort'),
    PROXMOX_SSH_USER: raw('proxmoxSshUser'),
    PROXMOX_SSH_PASSWORD: raw('proxmoxSshPassword'),
    PROXMOX_SSH_KEY_FILE: pathOf('proxmoxSshKeyFile'),
    PROXMOX_SSH_KEY_PASSPHRASE: raw('proxmoxSshKeyPassphrase'),
    PROXMOX_SSH_HOST_KEY_FINGERPRINT: raw('proxmoxSshHostKeyFingerprint'),
  };
  if (pveUrl !== undefined) {
    let urlOk = false;
    try {
      const u = new URL(pveUrl);
      if (u.protocol !== 'https:') problems.push(`${label('proxmoxUrl')}: must be an https:// URL`);
      else urlOk = true;
    } catch {
      problems.push(`${label('proxmoxUrl')}: not a valid URL`);
    }
    try {
      const connection = proxmoxConfigFromEnv(pveEnv as NodeJS.ProcessEnv);
      if (connection?.tls?.fingerprint) normalizeFingerprint(connection.tls.fingerprint);
      if (connection && urlOk) {
        proxmox = {
          url: pveUrl.replace(/\/+$/, ''),
          token: pveEnv.PROXMOX_TOKEN ?? null,
          fingerprint: pveEnv.PROXMOX_FINGERPRINT ?? null,
          caFile: pveEnv.PROXMOX_CA_FILE ?? null,
          ssh: connection.ssh
            ? {
                host: connection.ssh.host,
                port: connection.ssh.port ?? 22,
                username: connection.ssh.username,
                hostKeyFingerprint: connection.ssh.hostKeyFingerprint,
              }
            : null,
          connection: { ...connection, baseUrl: pveUrl.replace(/\/+$/, '') },
        };
      }
    } catch (err) {
      // The client's messages name the variable, never its value.
      problems.push(`Proxmox settings: ${(err as Error).message}`);
    }
  } else {
    const stray = (
      ['proxmoxToken', 'proxmoxUser', 'proxmoxFingerprint', 'proxmoxCaFile', 'proxmoxSshHost'] as const
    )
      .filter((k) => raw(k) !== undefined)
      .map((k) => FILE_KEYS[k]);
    if (stray.length > 0) problems.push(`${FILE_KEYS.proxmoxUrl}: required when ${stray.join(', ')} is set`);
  }

  const s3PortRaw = raw('s3Port');
  const s3Port =
    s3PortRaw !== undefined && /^(off|false|no|disabled)$/i.test(s3PortRaw.trim())
      ? null
      : // default 9000; with PROXICLOUD_PORT=0 (tests, ephemeral) the S3 port is ephemeral too
        int('s3Port', port === 0 ? 0 : 9000, 0, 65535);
  const s3DomainRaw = raw('s3Domain');
  let s3Domain: string | null = null;
  if (s3DomainRaw !== undefined) {
    const d = s3DomainRaw.trim().toLowerCase().replace(/\.$/, '');
    if (/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(d))
      s3Domain = d;
    else
      problems.push(`${label('s3Domain')}: must be a DNS name such as s3.example.lan, got "${s3DomainRaw}"`);
  }
  const s3Region = raw('s3Region') ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,32}$/.test(s3Region))
    problems.push(`${label('s3Region')}: must be lowercase letters, digits and hyphens (e.g. us-east-1)`);
  const s3ZfsParent = raw('s3ZfsParent') ?? null;
  if (
    s3ZfsParent !== null &&
    (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9][A-Za-z0-9_.:-]*)*$/.test(s3ZfsParent) ||
      s3ZfsParent.includes('..') ||
      s3ZfsParent.length > 200)
  )
    problems.push(`${label('s3ZfsParent')}: must be a ZFS dataset name such as tank/proxicloud/buckets`);
  const backupZfsDataset = raw('backupZfsDataset') ?? null;
  if (
    backupZfsDataset !== null &&
    (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9][A-Za-z0-9_.:-]*)+$/.test(backupZfsDataset) ||
      backupZfsDataset.includes('..') ||
      backupZfsDataset.length > 200)
  )
    problems.push(
      `${label('backupZfsDataset')}: must be a ZFS dataset below a pool, such as backup/proxicloud`,
    );
  const s3UploadExpiryDays = int('s3UploadExpiryDays', 7, 1, 3650);
  const auditRetentionDays = int('auditRetentionDays', 90, 0, 36500);
  const bodyLimitBytes = int('bodyLimitBytes', 1024 * 1024, 1024, 1024 * 1024 * 1024);
  const webDirRaw = raw('webDir');
  const webDir = webDirRaw ? resolve(cwd, webDirRaw) : join(REPO_ROOT, 'apps/web/dist');

  const consoleIdleTimeoutSeconds = int('consoleIdleTimeoutSeconds', 900, 0, 7 * 24 * 3600);
  const consoleOrigins = (raw('consoleOrigins') ?? '')
    .split(',')
    .map((o) => o.trim().toLowerCase().replace(/\/+$/, ''))
    .filter(Boolean);
  for (const o of consoleOrigins)
    if (!/^https?:\/\/[a-z0-9.[\]:-]+$/.test(o))
      problems.push(`${label('consoleOrigins')}: "${o}" is not an origin like https://cloud.example.com`);
  const trustProxy = parseTrustProxy(raw('trustProxy'), label('trustProxy'), problems);
  const cookieSecureRaw = (raw('cookieSecure') ?? 'auto').toLowerCase();
  let cookieSecure: Config['cookieSecure'] = 'auto';
  if (cookieSecureRaw === 'auto' || cookieSecureRaw === 'always' || cookieSecureRaw === 'never') {
    cookieSecure = cookieSecureRaw;
  } else {
    problems.push(`${label('cookieSecure')}: must be auto, always or never, got "${cookieSecureRaw}"`);
  }

  const tls = parseTls(raw('tls'), pathOf('tlsCert'), pathOf('tlsKey'), label, problems);
  const hstsRaw = (raw('hsts') ?? 'off').trim().toLowerCase();
  let hstsMaxAgeSeconds = 0;
  if (/^(on|true|yes)$/.test(hstsRaw)) hstsMaxAgeSeconds = 31_536_000;
  else if (/^\d{1,9}$/.test(hstsRaw)) hstsMaxAgeSeconds = Number(hstsRaw);
  else if (!/^(off|false|no)$/.test(hstsRaw))
    problems.push(`${label('hsts')}: must be off, on (one year) or a max-age in seconds, got "${hstsRaw}"`);
  const metricsToken = raw('metricsToken') ?? null;
  if (metricsToken !== null && metricsToken.length < 16)
    problems.push(`${label('metricsToken')}: must be at least 16 characters`);
  const metricsAllow = (raw('metricsAllow') ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const badAllow = metricsAllow.filter((entry) => !isAddressOrCidr(entry));
  if (badAllow.length)
    problems.push(`${label('metricsAllow')}: not an IP address or CIDR: ${badAllow.join(', ')}`);
  const metricsIntervalSeconds = int('metricsIntervalSeconds', 15, 10, 30);
  const clusterLeaseSeconds = int('clusterLeaseSeconds', 30, 5, 300);

  // Secrets: env/file value, else a file under <dataDir>/secrets generated once (0600).
  const generate = options.generateSecrets ?? true;
  const secretsDir = join(dataDir, 'secrets');
  let jwtSecret: Uint8Array = new Uint8Array(0);
  const jwtRaw = raw('jwtSecret');
  if (jwtRaw !== undefined) {
    if (Buffer.byteLength(jwtRaw) < 32)
      problems.push(`${label('jwtSecret')}: must be at least 32 characters`);
    else jwtSecret = new Uint8Array(Buffer.from(jwtRaw, 'utf8'));
  } else if (problems.length === 0) {
    const value = secretFile(join(secretsDir, 'jwt.key'), generate, problems, 'PROXICLOUD_JWT_SECRET');
    if (value) {
      jwtSecret = new Uint8Array(value);
      sources.jwtSecret = 'generated';
    }
  }

  let masterKey: Buffer = Buffer.alloc(0);
  const mkRaw = raw('masterKey');
  if (mkRaw !== undefined) {
    const key = parseKey32(mkRaw);
    if (!key) problems.push(`${label('masterKey')}: must be 32 bytes as 64 hex characters or base64`);
    else masterKey = key;
  } else if (problems.length === 0) {
    const value = secretFile(join(secretsDir, 'master.key'), generate, problems, 'PROXICLOUD_MASTER_KEY');
    if (value) {
      masterKey = value;
      sources.masterKey = 'generated';
    }
  }

  // The vault's master key: env value, else a key file (/etc/proxicloud/master.key with a real
  // Proxmox, <dataDir>/secrets/secrets-master.key in demo mode); the secrets module opens it.
  let secretsFromEnv: Buffer | null = null;
  const smkRaw = raw('secretsMasterKey');
  if (smkRaw !== undefined) {
    secretsFromEnv = parseKey32(smkRaw);
    if (!secretsFromEnv)
      problems.push(`${label('secretsMasterKey')}: must be 32 bytes as 64 hex characters or base64`);
  }
  const smkFileRaw = raw('secretsMasterKeyFile');
  const secretsMasterKey = {
    file: smkFileRaw
      ? resolve(cwd, smkFileRaw)
      : proxmox
        ? '/etc/proxicloud/master.key'
        : join(secretsDir, 'secrets-master.key'),
    fromEnv: secretsFromEnv,
  };

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    version: readVersion(),
    dataDir,
    host,
    port,
    logLevel,
    database,
    adminPassword,
    jwtSecret,
    masterKey,
    proxmox,
    secretsMasterKey,
    s3Port,
    s3Domain,
    s3Region,
    s3ZfsParent,
    backupZfsDataset,
    s3UploadExpiryDays,
    auditRetentionDays,
    webDir,
    bodyLimitBytes,
    trustProxy,
    cookieSecure,
    tls,
    hstsMaxAgeSeconds,
    consoleIdleTimeoutSeconds,
    consoleOrigins,
    metricsToken,
    metricsAllow,
    metricsIntervalSeconds,
    clusterLeaseSeconds,
    auth: {
      bcryptCost: 12,
      accessTokenTtlSeconds: 15 * 60,
      refreshTokenTtlSeconds: 30 * 24 * 3600,
      lockoutThreshold: 5,
      lockoutSeconds: 15 * 60,
      ipMaxFailures: 20,
      ipWindowSeconds: 15 * 60,
      principalCacheMs: 3000,
    },
    sources,
  };
}

/** PROXICLOUD_TLS (self-signed | off) and PROXICLOUD_TLS_CERT/_KEY (PEM files; both or neither). */
function parseTls(
  mode: string | undefined,
  certFile: string | undefined,
  keyFile: string | undefined,
  label: (key: FileKey) => string,
  problems: string[],
): Config['tls'] {
  const m = (mode ?? '').trim().toLowerCase();
  if (m !== '' && !['self-signed', 'off', 'on', 'files'].includes(m)) {
    problems.push(
      `${label('tls')}: must be self-signed or off (or set PROXICLOUD_TLS_CERT and PROXICLOUD_TLS_KEY), got "${mode}"`,
    );
    return null;
  }
  if (m === 'off') return null;
  if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined || keyFile === undefined) {
      problems.push(
        `${label(certFile === undefined ? 'tlsCert' : 'tlsKey')}: required together with ${label(certFile === undefined ? 'tlsKey' : 'tlsCert')}`,
      );
      return null;
    }
    for (const [key, file] of [
      ['tlsCert', certFile],
      ['tlsKey', keyFile],
    ] as const) {
      if (!existsSync(file)) problems.push(`${label(key)}: file not found: ${file}`);
    }
    return { mode: 'files', certFile, keyFile };
  }
  if (m === 'self-signed') return { mode: 'self-signed' };
  if (m === 'on' || m === 'files')
    problems.push(
      `${label('tls')}: "${m}" needs PROXICLOUD_TLS_CERT and PROXICLOUD_TLS_KEY (or use self-signed)`,
    );
  return null;
}

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * PROXICLOUD_TRUST_PROXY: a comma-separated list of proxy addresses/CIDRs. A bare boolean `true`
 * (which used to trust every hop, so any client could forge X-Forwarded-For) is refused.
 */
function parseTrustProxy(value: string | undefined, name: string, problems: string[]): string[] {
  if (value === undefined) return [];
  const v = value.trim();
  if (/^(0|false|no|off|none)$/i.test(v)) return [];
  if (/^(1|true|yes|on|\*)$/i.test(v)) {
    problems.push(
      `${name}: "${v}" (trust every proxy) is no longer accepted because it lets any client forge ` +
        'X-Forwarded-For; list the addresses or CIDRs of your reverse proxies instead, ' +
        'e.g. PROXICLOUD_TRUST_PROXY=127.0.0.1,10.0.0.0/8 (IPv6 too: ::1,fd00::/8)',
    );
    return [];
  }
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = list.filter((entry) => !TRUST_PROXY_NAMES.has(entry) && !isAddressOrCidr(entry));
  if (bad.length > 0) {
    problems.push(
      `${name}: not an IP address or CIDR: ${bad.map((b) => `"${b}"`).join(', ')} ` +
        '(expected e.g. 127.0.0.1,10.0.0.0/8 or ::1,fd00::/8)',
    );
    return [];
  }
  return list;
}

function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const bits = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function parseKey32(value: string): Buffer | null {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : null;
  }
  return null;
}

/** Read a 32-byte secret file (hex), creating it (0600, dir 0700) on first use. */
function secretFile(path: string, generate: boolean, problems: string[], envName: string): Buffer | null {
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      try {
        chmodSync(path, 0o600);
      } catch {
        problems.push(`${path}: permissions ${mode.toString(8)} are too open and could not be fixed to 600`);
        return null;
      }
    }
    const key = parseKey32(readFileSync(path, 'utf8'));
    if (!key) {
      problems.push(
        `${path}: corrupt secret file (expected 64 hex characters); set ${envName} or restore it`,
      );
      return null;
    }
    return key;
  }
  if (!generate) {
    problems.push(`${envName}: not set and ${path} does not exist`);
    return null;
  }
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return secretFile(path, false, problems, envName);
    problems.push(`${envName}: could not create ${path}: ${(err as Error).message}`);
    return null;
  }
}

/** Summary safe to log: no secrets. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    version: config.version,
    dataDir: config.dataDir,
    host: config.host,
    port: config.port,
    database:
      config.database.kind === 'sqlite'
        ? { kind: 'sqlite', path: config.database.sqlitePath }
        : { kind: 'postgres', host: safeHost(config.database.url) },
    mode: config.proxmox ? 'proxmox' : 'demo',
    proxmoxUrl: config.proxmox?.url ?? null,
    proxmoxSsh: config.proxmox?.ssh
      ? `${config.proxmox.ssh.username}@${config.proxmox.ssh.host}:${config.proxmox.ssh.port}`
      : null,
    webDir: config.webDir,
    tls: config.tls?.mode ?? 'off',
    s3: {
      port: config.s3Port,
      domain: config.s3Domain,
      region: config.s3Region,
      zfsParent: config.s3ZfsParent,
    },
    auditRetentionDays: config.auditRetentionDays,
    sources: config.sources,
  };
}

function safeHost(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return null;
  }
}
