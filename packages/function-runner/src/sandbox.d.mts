import type { ChildProcess } from 'node:child_process';

export type LimitsMode = 'cgroup-v2' | 'cgroup-v1' | 'prlimit';
export interface SandboxSpec {
  id: string;
  codeDir: string;
  command: string[];
  memoryMb: number;
  network: boolean;
  pids: number;
  tmpMb: number;
  uid: number;
  extraRoBinds?: string[];
  /** false: no seccomp filter (tests, benchmarks); default: the filter when available */
  seccomp?: boolean;
  /** more host dirs (a Go function's binary; a build's dirs) */
  binds?: { src: string; dest: string; rw?: boolean }[];
  /** more environment variables (not secrets: they are on bwrap's command line) */
  env?: Record<string, string>;
}
export const BOOTSTRAP_DIR: string;
export function limitsMode(): { mode: LimitsMode };
export function bwrapAvailable(): boolean;
export function seccompMode(): { enabled: boolean; file?: string; arch?: string; reason?: string };
export function oomKilled(cgroups: string[]): boolean;
export function destroyCgroups(cgroups: string[]): Promise<void>;
export function cgroupsRemoved(ms?: number): Promise<void>;
export function sweepStaleCgroups(): Promise<number>;
export function sandboxId(): string;
/** the cgroup dirs that sandboxes are created under ([] in prlimit mode) */
export function cgroupBases(): string[];
export function startSandbox(spec: SandboxSpec): { child: ChildProcess; cgroups: string[] };
