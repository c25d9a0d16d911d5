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
}
export const BOOTSTRAP_DIR: string;
export function limitsMode(): { mode: LimitsMode };
export function bwrapAvailable(): boolean;
export function seccompMode(): { enabled: boolean; file?: string; arch?: string; reason?: string };
export function oomKilled(cgroups: string[]): boolean;
export function destroyCgroups(cgroups: string[]): void;
export function startSandbox(spec: SandboxSpec): { child: ChildProcess; cgroups: string[] };
