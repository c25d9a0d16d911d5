/**
 * Limits and tuning of the functions service, from the environment (docs/functions.md lists
 * them). Tests adjust the object on `app.modules.functions.settings`.
 */
export interface FunctionsSettings {
  /** Functions a user may own (quota). */
  maxFunctionsPerUser: number;
  /** Invocations of one user running at once, over all their functions (quota). */
  maxConcurrencyPerUser: number;
  /** Sum of memoryMb of one user's running invocations (quota). */
  maxConcurrentMemoryMbPerUser: number;
  /** Largest memoryMb a function may ask for. */
  maxMemoryMb: number;
  /** A warm sandbox is kept this long after its last invocation (then scale to zero). */
  idleSeconds: number;
  /** Finished invocations (and their logs) are kept this many days. */
  retentionDays: number;
  /** Async invocations: retries after a failure, and the first backoff (doubles each time). */
  asyncRetries: number;
  retryBaseMs: number;
  /** Code size after unzipping (zip-bomb cap). */
  maxCodeBytes: number;
  /** Request body cap of the HTTP trigger. */
  maxHttpBodyBytes: number;
}

const num = (env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number => {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${key} must be a number from ${min} to ${max}`);
  return n;
};

export function loadFunctionsSettings(env: NodeJS.ProcessEnv = process.env): FunctionsSettings {
  return {
    maxFunctionsPerUser: num(env, 'PROXICLOUD_FUNCTIONS_MAX_PER_USER', 50, 1, 10_000),
    maxConcurrencyPerUser: num(env, 'PROXICLOUD_FUNCTIONS_USER_CONCURRENCY', 20, 1, 1000),
    maxConcurrentMemoryMbPerUser: num(env, 'PROXICLOUD_FUNCTIONS_USER_MEMORY_MB', 4096, 128, 1_048_576),
    maxMemoryMb: num(env, 'PROXICLOUD_FUNCTIONS_MAX_MEMORY_MB', 2048, 64, 10_240),
    idleSeconds: num(env, 'PROXICLOUD_FUNCTIONS_IDLE_SECONDS', 300, 1, 86_400),
    retentionDays: num(env, 'PROXICLOUD_FUNCTIONS_LOG_RETENTION_DAYS', 14, 1, 3650),
    asyncRetries: num(env, 'PROXICLOUD_FUNCTIONS_ASYNC_RETRIES', 2, 0, 10),
    retryBaseMs: num(env, 'PROXICLOUD_FUNCTIONS_RETRY_BASE_MS', 60_000, 10, 3_600_000),
    maxCodeBytes: num(env, 'PROXICLOUD_FUNCTIONS_MAX_CODE_MB', 50, 1, 500) * 1024 * 1024,
    maxHttpBodyBytes: 6 * 1024 * 1024,
  };
}
