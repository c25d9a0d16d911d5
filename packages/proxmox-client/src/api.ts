import { type EndpointKey, type Endpoints, PVE_API, type PveApiName } from './generated/endpoints.ts';
import { type CallOptions, type HttpMethod, Transport } from './transport.ts';

/** `'/nodes/{node}/qemu/{vmid}'` → `'node' | 'vmid'`. */
type PathParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParamNames<Rest>
  : never;

/** The path template values of an endpoint (`{node, vmid}`), or `Record<string, never>`. */
export type PathOf<K extends EndpointKey> = [PathParamNames<K>] extends [never]
  ? Record<string, never>
  : { [N in PathParamNames<K>]: string | number };

export type ParamsOf<K extends EndpointKey> = Endpoints[K]['params'];
export type ResultOf<K extends EndpointKey> = Endpoints[K]['result'];

/** Path values and parameters in one object: what a `client.api` method takes. */
export type ArgsOf<K extends EndpointKey> = [PathParamNames<K>] extends [never]
  ? ParamsOf<K>
  : ParamsOf<K> extends Record<string, never>
    ? PathOf<K>
    : PathOf<K> & ParamsOf<K>;

/** One generated method: args may be omitted when nothing in them is required. */
export type ApiMethod<K extends EndpointKey> =
  // biome-ignore lint/complexity/noBannedTypes: `{}` is "an object with nothing required"
  {} extends ArgsOf<K>
    ? (args?: ArgsOf<K>, opts?: CallOptions) => Promise<ResultOf<K>>
    : (args: ArgsOf<K>, opts?: CallOptions) => Promise<ResultOf<K>>;

/**
 * A typed method for every endpoint in the generated table (see PVE_API for the names):
 * `client.api.getNodesQemuSnapshot({node: 'pve1', vmid: 100})`,
 * `client.api.putClusterSdn()`, `client.api.postClusterFirewallIpsetByName({name: 'web', cidr: '10.0.0.0/24'})`.
 */
export type PveApi = { readonly [N in PveApiName]: ApiMethod<(typeof PVE_API)[N]> };

const PARAM = /\{([^}]+)\}/g;

/** Split an endpoint key into method and the path with its template values filled in. */
export function resolveEndpoint(
  key: string,
  values: Record<string, unknown>,
): { method: HttpMethod; path: string; used: string[] } {
  const sp = key.indexOf(' ');
  const method = key.slice(0, sp) as HttpMethod;
  const used: string[] = [];
  const path = key.slice(sp + 1).replace(PARAM, (_, name: string) => {
    const v = values[name];
    if (v === undefined || v === null || v === '')
      throw new TypeError(`missing path parameter ${name} for ${key}`);
    used.push(name);
    return Transport.segment(v as string | number);
  });
  return { method, path, used };
}

/** Build the method table over a transport: one small closure per endpoint, no per-endpoint code. */
export function createPveApi(t: Transport): PveApi {
  const api: Record<string, (args?: Record<string, unknown>, opts?: CallOptions) => Promise<unknown>> = {};
  for (const [name, key] of Object.entries(PVE_API)) {
    api[name] = async (args = {}, opts) => {
      const { method, path, used } = resolveEndpoint(key, args);
      const params: Record<string, unknown> = { ...args };
      for (const n of used) delete params[n];
      return t.request(method, path, Object.keys(params).length > 0 ? params : undefined, opts);
    };
  }
  return Object.freeze(api) as unknown as PveApi;
}
