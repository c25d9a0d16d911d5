/**
 * Wire encoding of PVE parameters, the way PVE's own clients send them:
 * `application/x-www-form-urlencoded` bodies (query strings for GET/DELETE), booleans as 0/1,
 * JS arrays as repeated keys (PVE's `type: array` parameters), `undefined`/`null` omitted.
 */

export type ParamValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | ReadonlyArray<string | number | boolean>;
export type Params = Record<string, ParamValue>;

/** What goes on the wire: every value a string; arrays stay arrays (repeated keys). */
export type WireParams = Record<string, string | string[]>;

function scalar(key: string, v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`parameter ${key} is not a finite number`);
    return String(v);
  }
  return v;
}

export function toWireParams(params: object | undefined): WireParams {
  const out: WireParams = {};
  if (!params) return out;
  for (const [k, v] of Object.entries(params as Params)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out[k] = v.map((x) => scalar(k, x));
    else if (typeof v === 'object') {
      throw new TypeError(`parameter ${k}: objects are not sent as-is; format property strings first`);
    } else out[k] = scalar(k, v as string | number | boolean);
  }
  return out;
}

/** `a=1&b=x%20y&c=1&c=2` — percent-encoding with %20 for spaces (encodeURIComponent). */
export function encodeForm(wire: WireParams): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(wire)) {
    for (const item of Array.isArray(v) ? v : [v])
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(item)}`);
  }
  return parts.join('&');
}

/**
 * QEMU `sshkeys` has the schema format `urlencoded`: PVE url-decodes the value after the form body
 * was decoded, and rejects anything outside `[-%a-zA-Z0-9_.!~*'()]` ("invalid urlencoded string").
 * So: one key per line, joined by newline, then encodeURIComponent (spaces → %20, newlines → %0A).
 * The form encoder encodes the result once more; that double encoding is what PVE expects.
 */
export function encodeSshKeys(keys: string | readonly string[]): string {
  const list = (typeof keys === 'string' ? keys.split(/\r?\n/) : keys)
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  return encodeURIComponent(list.join('\n'));
}

/** Inverse of {@link encodeSshKeys} for values read back from `GET …/config`. */
export function decodeSshKeys(value: string | undefined): string[] {
  if (!value) return [];
  return decodeURIComponent(value)
    .split(/\r?\n/)
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/**
 * QEMU `memory` is a property string `[current=]<MiB>` since qemu-server 8.0.8 (older hosts return a
 * number). Returns MiB.
 */
export function parseMemory(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value;
  const m = /^(?:current=)?(\d+)(?:,.*)?$/.exec(value.trim());
  if (!m) {
    const cur = /(?:^|,)current=(\d+)(?:,|$)/.exec(value);
    if (cur) return Number(cur[1]);
    throw new TypeError(`cannot parse memory value ${JSON.stringify(value)}`);
  }
  return Number(m[1]);
}

/** MiB → the property string PVE accepts for `memory` (`"2048"`). */
export function formatMemory(mib: number): string {
  if (!Number.isInteger(mib) || mib < 16)
    throw new RangeError(`memory must be an integer >= 16 MiB, got ${mib}`);
  return String(mib);
}

/** `GET /cluster/nextid` answers a string (`"100"`) though the schema says integer. */
export function parseVmid(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || n < 100 || n > 999_999_999)
    throw new TypeError(`not a VMID: ${JSON.stringify(value)}`);
  return n;
}

/** Normalise PVE's 0/1/boolean values. */
export function pveBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}
