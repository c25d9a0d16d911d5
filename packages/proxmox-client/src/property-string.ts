/**
 * PVE property strings: `key=value,key=value` with an optional default key written without `key=`
 * (`local-lvm:vm-100-disk-0,size=32G` — `file` is the default key of a disk). There is no quoting:
 * values never contain commas.
 */

export type PropertyValue = string | number | boolean | undefined | null;

export function parsePropertyString(value: string, defaultKey?: string): Record<string, string> {
  // Same rules as PVE::JSONSchema::parse_property_string: split on every comma, skip blank parts,
  // `key=value` splits at the first '=', a part without '=' is the default key's value.
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (!defaultKey) throw new TypeError(`property string: value without key in ${JSON.stringify(value)}`);
      if (defaultKey in out) throw new TypeError(`property string: duplicate key ${defaultKey}`);
      out[defaultKey] = part;
      continue;
    }
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (!k || !v) throw new TypeError(`property string: missing key or value in ${JSON.stringify(part)}`);
    if (k in out) throw new TypeError(`property string: duplicate key ${k}`);
    out[k] = v;
  }
  return out;
}

function formatValue(k: string, v: string | number | boolean): string {
  const s = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  // PVE splits property strings on every comma and has no quoting: such values cannot be represented.
  if (s === '') throw new TypeError(`property ${k}: value must not be empty`);
  if (/[,\n\r]/.test(s)) throw new TypeError(`property ${k}: value must not contain a comma or newline`);
  return s;
}

/**
 * Format an object as a property string. The default key (if given and present) goes first
 * without `key=`; other keys keep insertion order; `undefined`/`null` are dropped.
 */
export function formatPropertyString(obj: Record<string, PropertyValue>, defaultKey?: string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(k)) throw new TypeError(`invalid property key ${JSON.stringify(k)}`);
    const f = formatValue(k, v);
    if (k === defaultKey) {
      if (f.includes('=')) throw new TypeError(`property ${k}: a default-key value must not contain '='`);
      parts.unshift(f);
    } else parts.push(`${k}=${f}`);
  }
  return parts.join(',');
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const bool = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : v === '1' || v === 'on' || v === 'yes' || v === 'true';

/* ------------------------------------------------------------------ QEMU net[n] */

export const QEMU_NIC_MODELS = [
  'e1000',
  'e1000-82540em',
  'e1000-82544gc',
  'e1000-82545em',
  'e1000e',
  'i82551',
  'i82557b',
  'i82559er',
  'ne2k_isa',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'virtio',
  'vmxnet3',
] as const;
export type QemuNicModel = (typeof QEMU_NIC_MODELS)[number];

export interface QemuNet {
  model: QemuNicModel;
  macaddr?: string;
  bridge?: string;
  firewall?: boolean;
  tag?: number;
  mtu?: number;
  queues?: number;
  rate?: number;
  link_down?: boolean;
  trunks?: string;
  /** Keys this helper does not model, kept for round trips. */
  extra?: Record<string, string>;
}

/** `virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20` (what GET config returns) or `virtio,bridge=vmbr0`. */
export function parseQemuNet(value: string): QemuNet {
  const raw = parsePropertyString(value, 'model');
  let model: string | undefined = raw.model;
  let macaddr = raw.macaddr;
  delete raw.model;
  delete raw.macaddr;
  for (const m of QEMU_NIC_MODELS) {
    if (m in raw) {
      if (model && model !== m) throw new TypeError(`net: two NIC models (${model}, ${m})`);
      model = m;
      macaddr = raw[m] || macaddr;
      delete raw[m];
    }
  }
  if (!model || !(QEMU_NIC_MODELS as readonly string[]).includes(model)) {
    throw new TypeError(`net: missing or unknown NIC model in ${JSON.stringify(value)}`);
  }
  const { bridge, firewall, tag, mtu, queues, rate, link_down, trunks, ...extra } = raw;
  const out: QemuNet = { model: model as QemuNicModel };
  if (macaddr) out.macaddr = macaddr;
  if (bridge !== undefined) out.bridge = bridge;
  if (firewall !== undefined) out.firewall = bool(firewall);
  if (tag !== undefined) out.tag = num(tag);
  if (mtu !== undefined) out.mtu = num(mtu);
  if (queues !== undefined) out.queues = num(queues);
  if (rate !== undefined) out.rate = num(rate);
  if (link_down !== undefined) out.link_down = bool(link_down);
  if (trunks !== undefined) out.trunks = trunks;
  if (Object.keys(extra).length) out.extra = extra;
  return out;
}

/** Formats as PVE writes it back: `<model>=<mac>` when a MAC is known, else just `<model>`. */
export function formatQemuNet(net: QemuNet): string {
  const head = net.macaddr ? `${net.model}=${net.macaddr}` : net.model;
  const rest = formatPropertyString({
    bridge: net.bridge,
    firewall: net.firewall,
    link_down: net.link_down,
    mtu: net.mtu,
    queues: net.queues,
    rate: net.rate,
    tag: net.tag,
    trunks: net.trunks,
    ...net.extra,
  });
  return rest ? `${head},${rest}` : head;
}

/* ------------------------------------------------------------------ QEMU disks (scsi[n], virtio[n], sata[n], ide[n]) */

export interface QemuDisk {
  /** Volume (`local-lvm:vm-100-disk-0`), `STORAGE:SIZE_GiB` to allocate, `none`, or an ISO volid. */
  file: string;
  size?: string;
  format?: string;
  media?: 'cdrom' | 'disk';
  cache?: string;
  discard?: 'ignore' | 'on';
  ssd?: boolean;
  iothread?: boolean;
  backup?: boolean;
  'import-from'?: string;
  extra?: Record<string, string>;
}

export function parseQemuDisk(value: string): QemuDisk {
  const raw = parsePropertyString(value, 'file');
  // `volume` is an alias of `file`
  const file = raw.file ?? raw.volume;
  if (!file) throw new TypeError(`disk: missing volume in ${JSON.stringify(value)}`);
  const { file: _f, volume: _v, size, format, media, cache, discard, ssd, iothread, backup, ...rest } = raw;
  const importFrom = rest['import-from'];
  delete rest['import-from'];
  const out: QemuDisk = { file };
  if (size !== undefined) out.size = size;
  if (format !== undefined) out.format = format;
  if (media !== undefined) out.media = media as QemuDisk['media'];
  if (cache !== undefined) out.cache = cache;
  if (discard !== undefined) out.discard = discard as QemuDisk['discard'];
  if (ssd !== undefined) out.ssd = bool(ssd);
  if (iothread !== undefined) out.iothread = bool(iothread);
  if (backup !== undefined) out.backup = bool(backup);
  if (importFrom !== undefined) out['import-from'] = importFrom;
  if (Object.keys(rest).length) out.extra = rest;
  return out;
}

export function formatQemuDisk(d: QemuDisk): string {
  return formatPropertyString(
    {
      file: d.file,
      'import-from': d['import-from'],
      backup: d.backup,
      cache: d.cache,
      discard: d.discard,
      format: d.format,
      iothread: d.iothread,
      media: d.media,
      size: d.size,
      ssd: d.ssd,
      ...d.extra,
    },
    'file',
  );
}

/* ------------------------------------------------------------------ QEMU ipconfig[n] (cloud-init) */

export interface IpConfig {
  /** `dhcp`, `CIDR` (e.g. `10.0.0.5/24`) or undefined. */
  ip?: string;
  gw?: string;
  /** `dhcp`, `auto` or IPv6 CIDR. */
  ip6?: string;
  gw6?: string;
}

export function parseIpConfig(value: string): IpConfig {
  const raw = parsePropertyString(value);
  const out: IpConfig = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'ip' || k === 'gw' || k === 'ip6' || k === 'gw6') out[k] = v;
    else throw new TypeError(`ipconfig: unknown key ${k}`);
  }
  return out;
}

export function formatIpConfig(c: IpConfig): string {
  if (c.gw && (!c.ip || c.ip === 'dhcp')) throw new TypeError('ipconfig: gw requires a static ip');
  if (c.gw6 && (!c.ip6 || c.ip6 === 'dhcp' || c.ip6 === 'auto'))
    throw new TypeError('ipconfig: gw6 requires a static ip6');
  return formatPropertyString({ ip: c.ip, gw: c.gw, ip6: c.ip6, gw6: c.gw6 });
}

/* ------------------------------------------------------------------ LXC rootfs / mp[n] */

export interface LxcRootfs {
  /** Volume (`local-lvm:vm-101-disk-0`) or `STORAGE:SIZE_GiB` to allocate. */
  volume: string;
  size?: string;
  acl?: boolean;
  quota?: boolean;
  replicate?: boolean;
  ro?: boolean;
  shared?: boolean;
  mountoptions?: string;
  extra?: Record<string, string>;
}

export function parseLxcRootfs(value: string): LxcRootfs {
  const raw = parsePropertyString(value, 'volume');
  const { volume, size, acl, quota, replicate, ro, shared, mountoptions, ...extra } = raw;
  if (!volume) throw new TypeError(`rootfs: missing volume in ${JSON.stringify(value)}`);
  const out: LxcRootfs = { volume };
  if (size !== undefined) out.size = size;
  if (acl !== undefined) out.acl = bool(acl);
  if (quota !== undefined) out.quota = bool(quota);
  if (replicate !== undefined) out.replicate = bool(replicate);
  if (ro !== undefined) out.ro = bool(ro);
  if (shared !== undefined) out.shared = bool(shared);
  if (mountoptions !== undefined) out.mountoptions = mountoptions;
  if (Object.keys(extra).length) out.extra = extra;
  return out;
}

export function formatLxcRootfs(r: LxcRootfs): string {
  return formatPropertyString(
    {
      volume: r.volume,
      acl: r.acl,
      mountoptions: r.mountoptions,
      quota: r.quota,
      replicate: r.replicate,
      ro: r.ro,
      shared: r.shared,
      size: r.size,
      ...r.extra,
    },
    'volume',
  );
}

/* ------------------------------------------------------------------ LXC net[n] */

export interface LxcNet {
  name: string;
  bridge?: string;
  hwaddr?: string;
  /** `dhcp`, `manual` or CIDR. */
  ip?: string;
  gw?: string;
  ip6?: string;
  gw6?: string;
  firewall?: boolean;
  tag?: number;
  mtu?: number;
  rate?: number;
  type?: 'veth';
  link_down?: boolean;
  extra?: Record<string, string>;
}

export function parseLxcNet(value: string): LxcNet {
  const raw = parsePropertyString(value);
  const { name, bridge, hwaddr, ip, gw, ip6, gw6, firewall, tag, mtu, rate, type, link_down, ...extra } = raw;
  if (!name) throw new TypeError(`lxc net: missing name in ${JSON.stringify(value)}`);
  const out: LxcNet = { name };
  if (bridge !== undefined) out.bridge = bridge;
  if (hwaddr !== undefined) out.hwaddr = hwaddr;
  if (ip !== undefined) out.ip = ip;
  if (gw !== undefined) out.gw = gw;
  if (ip6 !== undefined) out.ip6 = ip6;
  if (gw6 !== undefined) out.gw6 = gw6;
  if (firewall !== undefined) out.firewall = bool(firewall);
  if (tag !== undefined) out.tag = num(tag);
  if (mtu !== undefined) out.mtu = num(mtu);
  if (rate !== undefined) out.rate = num(rate);
  if (type !== undefined) out.type = type as 'veth';
  if (link_down !== undefined) out.link_down = bool(link_down);
  if (Object.keys(extra).length) out.extra = extra;
  return out;
}

export function formatLxcNet(n: LxcNet): string {
  return formatPropertyString({
    name: n.name,
    bridge: n.bridge,
    firewall: n.firewall,
    gw: n.gw,
    gw6: n.gw6,
    hwaddr: n.hwaddr,
    ip: n.ip,
    ip6: n.ip6,
    link_down: n.link_down,
    mtu: n.mtu,
    rate: n.rate,
    tag: n.tag,
    type: n.type,
    ...n.extra,
  });
}
