/** What every handler gets: the simulated world, task runner, faults, and the request. */
import type { ParamValue, Route } from '@proxicloud/pve-schema';
import { PveError } from './errors.ts';
import type { Faults } from './faults.ts';
import type { Rng } from './random.ts';
import type { World } from './state.ts';
import type { TaskManager } from './tasks.ts';

export interface ConsoleTicket {
  ticket: string;
  port: number;
  node: string;
  vmid: number;
  kind: 'vnc' | 'term';
  user: string;
  upid: string;
  /** ms epoch */
  expires: number;
  password?: string;
}

export interface SimContext {
  world: World;
  tasks: TaskManager;
  faults: Faults;
  rng: Rng;
  seed: number;
  log: (line: string) => void;
  consoleTickets: Map<string, ConsoleTicket>;
  /** next vnc/term proxy port per node (5900…5999 like PVE) */
  consolePorts: Map<string, number>;
  /** console tasks waiting for their websocket (upid → timeout) */
  consoleTimers: Map<string, NodeJS.Timeout>;
  certPem: string;
  certFingerprint: string;
}

export interface RequestCtx {
  sim: SimContext;
  route: Route;
  params: Record<string, ParamValue>;
  /** `root@pam` or `root@pam!ci` */
  user: string;
}

export type Handler = (req: RequestCtx) => unknown;

export function str(p: Record<string, ParamValue>, k: string): string | undefined {
  const v = p[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}
export function reqStr(p: Record<string, ParamValue>, k: string): string {
  const v = str(p, k);
  if (v === undefined)
    throw new PveError(400, 'Parameter verification failed.', {
      [k]: 'property is missing and it is not optional',
    });
  return v;
}
export function int(p: Record<string, ParamValue>, k: string): number | undefined {
  const v = str(p, k);
  return v === undefined ? undefined : Number(v);
}
export function bool(p: Record<string, ParamValue>, k: string, dflt = false): boolean {
  const v = p[k];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  return String(v) === '1';
}
