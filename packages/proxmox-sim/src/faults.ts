/**
 * Fault injection, shared by the in-process API (`sim.faults`) and the HTTP test API
 * (`POST /_sim/faults`). Path patterns are regular expressions tested against the API path
 * without the `/api2/json` prefix (e.g. `^/nodes/[^/]+/qemu$`). `count` limits how many
 * requests/tasks a fault hits; without it the fault stays until removed by `reset()`.
 */

export interface HttpErrorFault {
  method?: string;
  pathPattern?: string;
  status: number;
  count?: number;
  message?: string;
}
export interface TaskFailFault {
  type?: string;
  vmid?: number | string;
  message: string;
  /** fail this long after the task starts (default: when it would have finished) */
  afterMs?: number;
}
export interface PathFault {
  pathPattern: string;
  method?: string;
  count?: number;
}

export interface FaultSnapshot {
  latencyMs: number;
  httpErrors: HttpErrorFault[];
  taskFailures: TaskFailFault[];
  hangs: PathFault[];
  drops: PathFault[];
  offlineNodes: string[];
  fullStorages: string[];
  withheldPrivileges: string[];
}

export interface FaultController {
  /** extra latency added to every HTTP response (on top of the `latencyMs` option) */
  latency(ms: number): void;
  httpError(f: HttpErrorFault): void;
  failTask(f: TaskFailFault): void;
  /** matching requests never get an answer (the client's timeout fires) */
  hang(f: PathFault): void;
  /** matching requests get their socket destroyed */
  dropConnection(f: PathFault): void;
  /** requests for that node answer 595 "No route to host"; its running tasks fail */
  nodeOffline(node: string, offline: boolean): void;
  /** the storage reports no free space and allocations fail */
  storageFull(storage: string, full: boolean): void;
  /**
   * The API token lacks this privilege: GET /access/permissions leaves it out and the calls whose
   * apidoc permission check names it answer 403 `Permission check failed (<path>, <privilege>)`
   * (modelled for VM.Console: vncproxy, termproxy, vncwebsocket).
   */
  withholdPrivilege(privilege: string, withheld: boolean): void;
  reset(): void;
  snapshot(): FaultSnapshot;
}

interface Counted<T> {
  fault: T;
  re?: RegExp;
  left: number;
}

function compile(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new Error(`invalid pathPattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

export class Faults implements FaultController {
  latencyMs = 0;
  private httpErrors: Counted<HttpErrorFault>[] = [];
  private taskFailures: Counted<TaskFailFault>[] = [];
  private hangs: Counted<PathFault>[] = [];
  private drops: Counted<PathFault>[] = [];
  readonly offlineNodes = new Set<string>();
  readonly fullStorages = new Set<string>();
  readonly withheldPrivileges = new Set<string>();
  /** set by the simulator: validates names and reacts to node state changes */
  onNodeOffline: (node: string, offline: boolean) => void = () => {};
  knownNode: (node: string) => boolean = () => true;
  knownStorage: (storage: string) => boolean = () => true;

  latency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('latency must be a non-negative number of ms');
    this.latencyMs = ms;
  }
  httpError(f: HttpErrorFault): void {
    if (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)
      throw new Error('httpError.status must be an HTTP error status (400-599)');
    this.httpErrors.push({
      fault: { ...f },
      re: compile(f.pathPattern),
      left: f.count ?? Number.POSITIVE_INFINITY,
    });
  }
  failTask(f: TaskFailFault): void {
    if (!f.message) throw new Error('failTask.message is required');
    this.taskFailures.push({ fault: { ...f }, left: 1 });
  }
  hang(f: PathFault): void {
    if (!f.pathPattern) throw new Error('hang.pathPattern is required');
    this.hangs.push({
      fault: { ...f },
      re: compile(f.pathPattern),
      left: f.count ?? Number.POSITIVE_INFINITY,
    });
  }
  dropConnection(f: PathFault): void {
    if (!f.pathPattern) throw new Error('dropConnection.pathPattern is required');
    this.drops.push({
      fault: { ...f },
      re: compile(f.pathPattern),
      left: f.count ?? Number.POSITIVE_INFINITY,
    });
  }
  nodeOffline(node: string, offline: boolean): void {
    if (!this.knownNode(node)) throw new Error(`unknown node '${node}'`);
    if (offline) this.offlineNodes.add(node);
    else this.offlineNodes.delete(node);
    this.onNodeOffline(node, offline);
  }
  storageFull(storage: string, full: boolean): void {
    if (!this.knownStorage(storage)) throw new Error(`unknown storage '${storage}'`);
    if (full) this.fullStorages.add(storage);
    else this.fullStorages.delete(storage);
  }
  withholdPrivilege(privilege: string, withheld: boolean): void {
    if (!/^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+$/.test(privilege))
      throw new Error(`invalid privilege '${privilege}' (e.g. VM.Console)`);
    if (withheld) this.withheldPrivileges.add(privilege);
    else this.withheldPrivileges.delete(privilege);
  }
  reset(): void {
    this.latencyMs = 0;
    this.httpErrors = [];
    this.taskFailures = [];
    this.hangs = [];
    this.drops = [];
    for (const n of [...this.offlineNodes]) this.nodeOffline(n, false);
    this.fullStorages.clear();
    this.withheldPrivileges.clear();
  }
  snapshot(): FaultSnapshot {
    return {
      latencyMs: this.latencyMs,
      httpErrors: this.httpErrors.map((c) => ({ ...c.fault, count: c.left })),
      taskFailures: this.taskFailures.map((c) => c.fault),
      hangs: this.hangs.map((c) => ({ ...c.fault, count: c.left })),
      drops: this.drops.map((c) => ({ ...c.fault, count: c.left })),
      offlineNodes: [...this.offlineNodes],
      fullStorages: [...this.fullStorages],
      withheldPrivileges: [...this.withheldPrivileges],
    };
  }

  private take<T extends { method?: string }>(
    list: Counted<T>[],
    method: string,
    path: string,
  ): T | undefined {
    for (const c of list) {
      if (c.fault.method && c.fault.method.toUpperCase() !== method) continue;
      if (c.re && !c.re.test(path)) continue;
      c.left--;
      if (c.left <= 0) list.splice(list.indexOf(c), 1);
      return c.fault;
    }
    return undefined;
  }
  takeHttpError(method: string, path: string): HttpErrorFault | undefined {
    return this.take(this.httpErrors, method, path);
  }
  takeHang(method: string, path: string): PathFault | undefined {
    return this.take(this.hangs, method, path);
  }
  takeDrop(method: string, path: string): PathFault | undefined {
    return this.take(this.drops, method, path);
  }
  takeTaskFailure(type: string, id: string): TaskFailFault | undefined {
    for (const c of this.taskFailures) {
      if (c.fault.type && c.fault.type !== type) continue;
      if (c.fault.vmid !== undefined && String(c.fault.vmid) !== id) continue;
      this.taskFailures.splice(this.taskFailures.indexOf(c), 1);
      return c.fault;
    }
    return undefined;
  }
}
