/**
 * PVE task ids: `UPID:<node>:<pid %08X>:<pstart %08X>:<starttime %08X>:<type>:<id>:<user>:`
 * e.g. `UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:`. The user is
 * `user@realm!tokenid` when an API token started the task. `id` may be empty.
 */
export interface Upid {
  node: string;
  pid: number;
  pstart: number;
  /** Unix seconds. */
  starttime: number;
  type: string;
  id: string;
  user: string;
}

// The exact pattern of PVE::Tools::upid_decode: pstart may have 9 hex digits (uptime > 497 days);
// neither the id nor the user may contain ':' or whitespace (PVE never puts a volid in a task id:
// storage tasks use `<vmid>@<storage>`).
const UPID_RE =
  /^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

export function isUpid(value: unknown): value is string {
  return typeof value === 'string' && UPID_RE.test(value);
}

export function parseUpid(value: string): Upid {
  const m = UPID_RE.exec(value);
  if (!m) throw new TypeError(`not a Proxmox task id (UPID): ${JSON.stringify(value.slice(0, 200))}`);
  return {
    node: m[1]!,
    pid: Number.parseInt(m[2]!, 16),
    pstart: Number.parseInt(m[3]!, 16),
    starttime: Number.parseInt(m[4]!, 16),
    type: m[5]!,
    id: m[6]!,
    user: m[7]!,
  };
}

const hex8 = (n: number, field: string): string => {
  const max = field === 'pstart' ? 0xfffffffff : 0xffffffff;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`UPID ${field} out of range: ${n}`);
  return n.toString(16).toUpperCase().padStart(8, '0');
};

export function formatUpid(u: Upid): string {
  for (const [field, v] of [
    ['node', u.node],
    ['type', u.type],
    ['user', u.user],
  ] as const) {
    if (!v || /[:\s]/.test(v)) throw new TypeError(`UPID ${field} must be non-empty without ':' or spaces`);
  }
  if (/[:\s]/.test(u.id)) throw new TypeError(`UPID id must not contain ':' or spaces`);
  const s = `UPID:${u.node}:${hex8(u.pid, 'pid')}:${hex8(u.pstart, 'pstart')}:${hex8(u.starttime, 'starttime')}:${u.type}:${u.id}:${u.user}:`;
  if (!UPID_RE.test(s)) throw new TypeError(`cannot format a valid UPID from ${JSON.stringify(u)}`);
  return s;
}
