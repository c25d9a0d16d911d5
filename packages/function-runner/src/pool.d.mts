/** Types of pool.mjs for TypeScript callers (tests). */
export interface PoolOptions {
  dir: string;
  maxWorkers: number;
  pids: number;
  tmpMb: number;
  uidBase: number;
  /** pre-booted sandboxes per runtime/memory/network (1; 0 = none) */
  spares?: number;
  /** sandboxes starting at once per function version (2) */
  maxStarts?: number;
  /** memory (MiB) and time limit (s) of a Go build (1024, 120) */
  goBuildMb?: number;
  goBuildSeconds?: number;
}
export interface GoBuildResult {
  ok: boolean;
  /** the compiler's output (capped at 64 KiB; paths relative to the code) */
  output: string;
  durationMs: number;
  cached: boolean;
}
export interface InvokeRequest {
  invocationId: string;
  key: string;
  codeSha: string;
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutMs: number;
  network?: boolean;
  env?: Record<string, string>;
  payload?: unknown;
  context?: Record<string, unknown>;
  idleMs?: number;
}
export interface InvokeOutcome {
  status: 'success' | 'error' | 'timeout' | 'out-of-memory' | 'throttled';
  result?: unknown;
  error?: { type: string; message: string; stack: string[] };
  logs: string;
  logsTruncated: boolean;
  cold: boolean;
  initMs?: number;
  durationMs?: number;
  memoryUsedMb?: number | null;
}
export interface PoolStatus {
  bwrap: boolean;
  limits: string;
  seccomp: boolean;
  runtimes: Record<string, { available: boolean; version: string | null; reason?: string }>;
  workers: number;
  idle: number;
  spares: number;
}
export function safeRelative(p: string): string | null;
export class Pool {
  constructor(opts: PoolOptions);
  readonly bwrap: boolean;
  /** pre-booted sandboxes per runtime/memory/network key */
  readonly spares: Map<string, { booted: boolean; dead: boolean }[]>;
  codeDir(sha: string): string;
  hasCode(sha: string): boolean;
  /** files: path → base64 */
  putCode(sha: string, files: Record<string, string>): void;
  status(): PoolStatus;
  /** build a Go function once per code and handler (cached) */
  build(req: { codeSha: string; handler: string }): Promise<GoBuildResult>;
  invoke(req: InvokeRequest): Promise<InvokeOutcome>;
  evict(prefix: string, spares?: boolean): boolean;
  /** stale sandbox cgroups of gone runners removed at start (how many) */
  readonly swept: Promise<number>;
  /** kill every sandbox; resolves when their cgroup dirs are removed (at most `ms`) */
  close(ms?: number): Promise<void>;
}
