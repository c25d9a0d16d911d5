import type { Logger } from './logger.ts';

export interface JobDefinition {
  name: string;
  intervalMs: number;
  /** Run once right after start() (default true). */
  runAtStart?: boolean;
  /**
   * Run on one server only when several share a PostgreSQL database (the leader: the holder of
   * the scheduler lease), e.g. the reconcilers. Default false: housekeeping whose work is claimed
   * row by row runs on every server.
   */
  leaderOnly?: boolean;
  run(signal: AbortSignal): Promise<void>;
}

/**
 * In-process periodic jobs. Runs never overlap per job; stop() aborts the signal, clears the timers
 * and waits for in-flight runs to finish. (A DB-backed queue for Proxmox tasks comes with the
 * integration work; this scheduler is for housekeeping such as audit retention.)
 */
export class JobScheduler {
  private readonly jobs: JobDefinition[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private controller = new AbortController();
  private started = false;
  private leader: (() => Promise<boolean>) | null = null;

  constructor(private readonly logger: Logger) {}

  /** How leader-only jobs learn whether this server leads (app.ts: the scheduler lease). */
  setLeadership(check: () => Promise<boolean>): void {
    this.leader = check;
  }

  register(job: JobDefinition): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`job ${job.name} registered twice`);
    this.jobs.push(job);
    if (this.started) this.schedule(job);
  }

  list(): readonly JobDefinition[] {
    return this.jobs;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.controller = new AbortController();
    for (const job of this.jobs) this.schedule(job);
  }

  /**
   * Run a job now (used by tests and the CLI); waits for an in-flight run first. An explicit run
   * does not ask for leadership.
   */
  async runNow(name: string): Promise<void> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    await this.running.get(name);
    await this.execute(job, true);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.controller.abort();
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private schedule(job: JobDefinition): void {
    const timer = setInterval(() => void this.execute(job), job.intervalMs);
    timer.unref();
    this.timers.set(job.name, timer);
    if (job.runAtStart ?? true) setImmediate(() => void this.execute(job));
  }

  private execute(job: JobDefinition, explicit = false): Promise<void> {
    if (this.running.has(job.name)) return this.running.get(job.name)!;
    const started = Date.now();
    const leader = job.leaderOnly && !explicit ? this.leader : null;
    const signal = this.controller.signal;
    const run = (async () => {
      if (leader && !(await leader())) return;
      await job.run(signal);
    })()
      .then(() => this.logger.debug({ job: job.name, ms: Date.now() - started }, 'job finished'))
      .catch((err: unknown) => this.logger.error({ job: job.name, err }, 'job failed'))
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }
}
