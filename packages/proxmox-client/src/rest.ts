// The request plumbing that every API class of the client shares, and the firewall rule and option
// endpoints that nodes, guests and the cluster have alike.
import { encodeSshKeys } from './encoding.ts';
import { type CallOptions, type HttpMethod, Transport } from './transport.ts';

export const seg = Transport.segment;
/** A UPID string: the task id of an asynchronous operation. Wait for it with `client.tasks.wait(node, upid)`. */
export type Upid = string;

/** Accept `sshkeys` as a list or raw text, and `memory` as a number of MiB. */
export type QemuWritable<P> = Omit<P, 'sshkeys' | 'memory'> & {
  sshkeys?: string | readonly string[];
  memory?: string | number;
};

const URLENCODED = /^[-%a-zA-Z0-9_.!~*'()]*$/;

/** Prepare QEMU create/config parameters: sshkeys encoded exactly once (see encodeSshKeys). */
export function qemuParams<P extends { sshkeys?: string | readonly string[]; memory?: string | number }>(
  p: P,
): P {
  const out = { ...p } as Record<string, unknown>;
  const keys = p.sshkeys;
  if (keys !== undefined) {
    // An already-encoded value only contains [-%a-zA-Z0-9_.!~*'()]; raw keys always contain spaces.
    out.sshkeys = typeof keys === 'string' && URLENCODED.test(keys) ? keys : encodeSshKeys(keys);
  }
  if (typeof p.memory === 'number') out.memory = String(p.memory);
  return out as P;
}

export class Rest {
  constructor(protected readonly t: Transport) {}
  protected call<T>(method: HttpMethod, path: string, params?: object, opts?: CallOptions): Promise<T> {
    return this.t.request<T>(method, path, params, opts);
  }
}

/* ------------------------------------------------------------------ firewall (rules + options) */

export class FirewallRulesApi<TList, TGet, TCreate, TUpdate> extends Rest {
  constructor(
    t: Transport,
    private readonly base: string,
  ) {
    super(t);
  }
  list(opts?: CallOptions): Promise<TList> {
    return this.call('GET', this.base, undefined, opts);
  }
  /** Rules are inserted at `pos` (default 0 = top). Returns null. */
  create(params: TCreate, opts?: CallOptions): Promise<null> {
    return this.call('POST', this.base, params as object, opts);
  }
  get(pos: number, opts?: CallOptions): Promise<TGet> {
    return this.call('GET', `${this.base}/${seg(pos)}`, undefined, opts);
  }
  update(pos: number, params: TUpdate, opts?: CallOptions): Promise<null> {
    return this.call('PUT', `${this.base}/${seg(pos)}`, params as object, opts);
  }
  delete(pos: number, params: { digest?: string } = {}, opts?: CallOptions): Promise<null> {
    return this.call('DELETE', `${this.base}/${seg(pos)}`, params, opts);
  }
}

export class OptionsApi<TGet, TUpdate> extends Rest {
  constructor(
    t: Transport,
    private readonly path: string,
  ) {
    super(t);
  }
  get(opts?: CallOptions): Promise<TGet> {
    return this.call('GET', this.path, undefined, opts);
  }
  update(params: TUpdate, opts?: CallOptions): Promise<null> {
    return this.call('PUT', this.path, params as object, opts);
  }
}
