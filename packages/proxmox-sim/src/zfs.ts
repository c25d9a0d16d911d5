/**
 * A `zfs` command over the simulated datasets of one node, for the SSH host agent. Arguments
 * arrive already split (see shell-words.ts): nothing is ever evaluated by a shell. Output, error
 * texts and exit codes follow OpenZFS (1 = operation failed, 2 = usage error).
 */
import type { SimContext } from './context.ts';
import type { Dataset } from './state.ts';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
  /**
   * A command that keeps running (an app setup script): after `stdout`/`stderr`, `follow` writes
   * the rest of its output over time; the command exits with `code` once it resolves.
   */
  follow?: (write: (stream: 'stdout' | 'stderr', text: string) => void) => Promise<void>;
}

class ZfsError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}
const usage = (msg: string, sub: string) =>
  new ZfsError(`${msg}\nusage:\n${USAGE[sub] ?? '\tzfs <command> <args> ...'}\n`, 2);

const USAGE: Record<string, string> = {
  list: '\tlist [-Hp] [-r|-d max] [-o property[,...]] [-s property]...\n\t    [-S property]... [-t type[,...]] [filesystem|volume|snapshot] ...',
  get: '\tget [-rHp] [-d max] [-o "all" | field[,...]]\n\t    [-t type[,...]] [-s source[,...]]\n\t    <"all" | property[,...]> [filesystem|volume|snapshot|bookmark] ...',
  snapshot: '\tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...',
  rollback: '\trollback [-rRf] <snapshot>',
  clone: '\tclone [-p] [-o property=value] ... <snapshot> <filesystem|volume>',
  destroy:
    '\tdestroy [-fnpRrv] <filesystem|volume>\n\tdestroy [-dnpRrv] <filesystem|volume>@<snap>[%<snap>][,...]',
  create:
    '\tcreate [-Pnpuv] [-o property=value] ... <filesystem>\n\tcreate [-Pnpsv] [-b blocksize] [-o property=value] ... -V <size> <volume>',
  set: '\tset [-u] <property=value> ... <filesystem|volume|snapshot> ...',
  promote: '\tpromote <clone-filesystem>',
};

const COMPRESSION =
  /^(on|off|lzjb|gzip|gzip-[1-9]|zle|lz4|zstd|zstd-([1-9]|1[0-9])|zstd-fast|zstd-fast-([1-9]|10|[2-9]0|100|500|1000))$/;
const COMPRESSION_MSG =
  "'compression' must be one of 'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4 | zstd | zstd-[1-19] | zstd-fast | zstd-fast-[1-10,20,30,40,50,60,70,80,90,100,500,1000]'";

/** zfs_name_valid: components of [A-Za-z0-9_.:-], one optional @snapshot. */
function nameError(name: string, allowSnap: boolean): string | undefined {
  if (name.length === 0) return "empty component or misplaced '@' or '#' delimiter in name";
  if (name.length > 255) return 'name is too long';
  const at = name.indexOf('@');
  if (at >= 0 && !allowSnap) return "snapshot delimiter '@' is not expected here";
  const [ds, snap] = at >= 0 ? [name.slice(0, at), name.slice(at + 1)] : [name, undefined];
  for (const ch of name) {
    if (!/[A-Za-z0-9_.:\-/@ ]/.test(ch) || ch === ' ') return `invalid character '${ch}' in name`;
  }
  if (snap !== undefined && (snap === '' || snap.includes('@') || snap.includes('/')))
    return "empty component or misplaced '@' or '#' delimiter in name";
  for (const comp of ds.split('/'))
    if (comp === '' || comp === '.' || comp === '..')
      return "empty component or misplaced '@' or '#' delimiter in name";
  if (!/^[A-Za-z]/.test(ds)) return 'pool name must begin with a letter';
  return undefined;
}

function humanSize(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${n}B`;
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}

function parseZfsSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([BKMGTP]?)(?:i?B)?$/i.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 }[
    m[2]!.toUpperCase() as 'K'
  ];
  return Math.round(Number(m[1]) * mult);
}

export class ZfsHost {
  constructor(
    private readonly sim: SimContext,
    private readonly node: string,
  ) {}

  private get map(): Map<string, Dataset> {
    return this.sim.world.zfs.get(this.node)!;
  }
  private parentOf(name: string): string | undefined {
    const i = name.lastIndexOf('/');
    return i < 0 ? undefined : name.slice(0, i);
  }
  private poolOf(name: string): string {
    return name.split(/[/@]/)[0]!;
  }
  private children(name: string): Dataset[] {
    const prefix = `${name}/`;
    return [...this.map.values()].filter((d) => d.name.startsWith(prefix) && d.type !== 'snapshot');
  }
  private snapshotsOf(name: string): Dataset[] {
    const prefix = `${name}@`;
    return [...this.map.values()]
      .filter((d) => d.name.startsWith(prefix))
      .sort((a, b) => a.createtxg - b.createtxg);
  }
  private clonesOf(snap: string): Dataset[] {
    return [...this.map.values()].filter((d) => d.origin === snap);
  }
  private need(name: string, verb = 'open'): Dataset {
    const err = nameError(name, true);
    if (err) throw new ZfsError(`cannot ${verb} '${name}': ${err}`);
    const d = this.map.get(name);
    if (!d) throw new ZfsError(`cannot ${verb} '${name}': dataset does not exist`);
    return d;
  }
  private avail(d: Dataset): number {
    const st =
      this.sim.world.storageOfDataset(d.name) ??
      [...this.sim.world.storages.values()].find(
        (s) => s.type === 'zfspool' && s.pool?.startsWith(`${d.name}/`),
      );
    let avail = st ? Math.max(0, st.total - this.sim.world.used(this.node, st.storage)) : 100 * 1024 ** 3;
    if (st && this.sim.faults.fullStorages.has(st.storage)) avail = 0;
    const q = Number(d.props.quota ?? 0);
    if (q > 0) avail = Math.min(avail, Math.max(0, q - this.usedOf(d)));
    return avail;
  }
  private usedOf(d: Dataset): number {
    if (d.type !== 'filesystem') return d.used;
    let sum = d.used;
    for (const c of this.children(d.name))
      sum += c.type === 'volume' ? (c.origin ? c.used : (c.volsize ?? 0)) : c.used;
    for (const s of this.snapshotsOf(d.name)) sum += s.used;
    return sum;
  }

  /** property value and source as `zfs get` shows them */
  private prop(d: Dataset, p: string, parsable: boolean): [string, string] {
    const num = (n: number) => (parsable ? String(n) : humanSize(n));
    const local = d.props[p];
    switch (p) {
      case 'name':
        return [d.name, '-'];
      case 'type':
        return [d.type, '-'];
      case 'used':
        return [num(this.usedOf(d)), '-'];
      case 'avail':
      case 'available':
        return [d.type === 'snapshot' ? '-' : num(this.avail(d)), '-'];
      case 'refer':
      case 'referenced':
        return [num(d.referenced), '-'];
      case 'volsize':
        return [d.type === 'volume' ? num(d.volsize ?? 0) : '-', d.type === 'volume' ? 'local' : '-'];
      case 'creation':
        return [parsable ? String(d.creation) : new Date(d.creation * 1000).toUTCString(), '-'];
      case 'createtxg':
        return [String(d.createtxg), '-'];
      case 'guid':
        return [d.guid, '-'];
      case 'origin':
        return [d.origin ?? '-', '-'];
      case 'clones':
        return [
          d.type === 'snapshot'
            ? this.clonesOf(d.name)
                .map((c) => c.name)
                .join(',')
            : '-',
          '-',
        ];
      case 'written':
        return [num(d.type === 'snapshot' ? d.referenced : d.used), '-'];
      case 'compressratio':
      case 'refcompressratio':
        return [parsable ? '1.00' : '1.00x', '-'];
      case 'usedbysnapshots':
        return [num(this.snapshotsOf(d.name).reduce((a, s) => a + s.used, 0)), '-'];
      case 'mountpoint':
        if (d.type !== 'filesystem') return ['-', '-'];
        return [local ?? `/${d.name}`, local ? 'local' : 'default'];
      case 'quota':
      case 'refquota':
      case 'reservation':
      case 'refreservation': {
        if (d.type === 'snapshot') return ['-', '-'];
        const v = local
          ? Number(local)
          : p === 'refreservation' && d.type === 'volume' && !d.origin
            ? (d.volsize ?? 0)
            : 0;
        return [v === 0 ? (parsable ? '0' : 'none') : num(v), local ? 'local' : 'default'];
      }
      case 'compression': {
        if (local) return [local, 'local'];
        const inh = this.inherited(d.name, 'compression');
        return inh ? [inh[0], `inherited from ${inh[1]}`] : ['off', 'default'];
      }
      case 'recordsize':
        return d.type === 'filesystem' ? [parsable ? '131072' : '128K', 'default'] : ['-', '-'];
      case 'volblocksize':
        return d.type === 'volume'
          ? [parsable ? (local ?? '16384') : humanSize(Number(local ?? 16384)), 'default']
          : ['-', '-'];
      case 'atime':
        return d.type === 'filesystem' ? [local ?? 'on', local ? 'local' : 'default'] : ['-', '-'];
      default:
        if (p.includes(':')) {
          if (local !== undefined) return [local, 'local'];
          const inh = this.inherited(d.name, p);
          return inh ? [inh[0], `inherited from ${inh[1]}`] : ['-', '-'];
        }
        throw new ZfsError(`bad property list: invalid property '${p}'`, 2);
    }
  }
  private inherited(name: string, p: string): [string, string] | undefined {
    let cur = this.parentOf(name.split('@')[0]!);
    if (name.includes('@')) cur = name.split('@')[0];
    while (cur) {
      const d = this.map.get(cur);
      if (d?.props[p] !== undefined) return [d.props[p]!, cur];
      cur = this.parentOf(cur);
    }
    return undefined;
  }

  run(argv: string[]): ExecResult {
    const out: string[] = [];
    try {
      const [sub, ...args] = argv;
      if (!sub) throw usage('missing command', '');
      switch (sub) {
        case 'list':
          this.list(args, out);
          break;
        case 'get':
          this.get(args, out);
          break;
        case 'snapshot':
        case 'snap':
          this.snapshot(args);
          break;
        case 'rollback':
          this.rollback(args);
          break;
        case 'clone':
          this.clone(args);
          break;
        case 'destroy':
          this.destroy(args, out);
          break;
        case 'create':
          this.create(args);
          break;
        case 'set':
          this.set(args);
          break;
        case 'promote':
          this.promote(args);
          break;
        default:
          throw new ZfsError(`unrecognized command '${sub}'\nusage: zfs command args ...\n`, 2);
      }
      return { stdout: out.map((l) => `${l}\n`).join(''), stderr: '', code: 0 };
    } catch (e) {
      if (e instanceof ZfsError) {
        const msg = e.message.endsWith('\n') ? e.message : `${e.message}\n`;
        return { stdout: out.map((l) => `${l}\n`).join(''), stderr: msg, code: e.code };
      }
      throw e;
    }
  }

  /** Splits `-abc` flag clusters and collects `-o x` style options. */
  private opts(
    args: string[],
    sub: string,
    flags: string,
    valued: string,
  ): { f: Set<string>; v: Record<string, string[]>; rest: string[] } {
    const f = new Set<string>();
    const v: Record<string, string[]> = {};
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (valued.includes(c)) {
          const val = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (val === undefined) throw usage(`missing argument for '${c}' option`, sub);
          v[c] = [...(v[c] ?? []), val];
          break;
        }
        if (!flags.includes(c)) throw usage(`invalid option '${c}'`, sub);
        f.add(c);
      }
    }
    return { f, v, rest: args.slice(i) };
  }

  private sorted(list: Dataset[]): Dataset[] {
    // tree order: a dataset, its snapshots (by txg), then its children
    return list.sort((a, b) => {
      const [an, as] = a.name.split('@') as [string, string | undefined];
      const [bn, bs] = b.name.split('@') as [string, string | undefined];
      if (an !== bn) return an.replace(/\//g, '\0') < bn.replace(/\//g, '\0') ? -1 : 1;
      if (as === undefined) return -1;
      if (bs === undefined) return 1;
      return a.createtxg - b.createtxg;
    });
  }

  private list(args: string[], out: string[]): void {
    const { f, v, rest } = this.opts(args, 'list', 'Hpr', 'odtsS');
    const cols = (v.o?.join(',') ?? 'name,used,avail,refer,mountpoint').split(',');
    const types = new Set(
      (v.t?.join(',') ?? '')
        .split(',')
        .filter(Boolean)
        .map((t) => (t === 'snap' ? 'snapshot' : t)),
    );
    for (const t of types)
      if (!['filesystem', 'volume', 'snapshot', 'all', 'bookmark'].includes(t))
        throw usage(`invalid type '${t}'`, 'list');
    const depth = v.d ? Number(v.d[0]) : f.has('r') ? Number.POSITIVE_INFINITY : undefined;
    if (v.d && !/^\d+$/.test(v.d[0]!)) throw usage(`invalid depth '${v.d[0]}'`, 'list');
    const want = (d: Dataset, named: boolean) => {
      if (types.has('all')) return true;
      if (types.size === 0) return named || d.type !== 'snapshot';
      return types.has(d.type);
    };
    const rows: Dataset[] = [];
    const seen = new Set<string>();
    const add = (d: Dataset) => {
      if (!seen.has(d.name)) {
        seen.add(d.name);
        rows.push(d);
      }
    };
    if (rest.length === 0) {
      for (const d of this.map.values()) if (want(d, false)) add(d);
    } else {
      for (const name of rest) {
        const root = this.need(name);
        if (want(root, !f.has('r') && depth === undefined)) add(root);
        if (depth !== undefined && root.type !== 'snapshot') {
          const base = root.name.split('/').length;
          for (const d of this.map.values()) {
            const ds = d.name.split('@')[0]!;
            if (d.name === root.name || !(ds === root.name || ds.startsWith(`${root.name}/`))) continue;
            const level = ds.split('/').length - base + (d.type === 'snapshot' ? 1 : 0);
            if (level <= depth && want(d, false)) add(d);
          }
        }
      }
    }
    this.sorted(rows);
    const parsable = f.has('p');
    const table = rows.map((d) => cols.map((c) => this.prop(d, c, parsable)[0]));
    if (!f.has('H')) {
      const header = cols.map((c) =>
        c.toUpperCase().replace('AVAILABLE', 'AVAIL').replace('REFERENCED', 'REFER'),
      );
      const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
      out.push(
        header
          .map((h, i) => h.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
      for (const r of table)
        out.push(
          r
            .map((x, i) => x.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        );
    } else {
      for (const r of table) out.push(r.join('\t'));
    }
  }

  private get(args: string[], out: string[]): void {
    const { f, v, rest } = this.opts(args, 'get', 'rHp', 'odts');
    if (rest.length === 0) throw usage('missing property argument', 'get');
    const fields = (v.o?.join(',') ?? 'name,property,value,source').split(',');
    for (const fl of fields)
      if (!['name', 'property', 'value', 'source', 'received'].includes(fl))
        throw usage(`invalid field '${fl}'`, 'get');
    const props = rest[0]!.split(',');
    const names = rest.slice(1);
    const ALL = [
      'type',
      'creation',
      'used',
      'available',
      'referenced',
      'compressratio',
      'mountpoint',
      'quota',
      'reservation',
      'volsize',
      'volblocksize',
      'recordsize',
      'compression',
      'atime',
      'origin',
      'guid',
      'createtxg',
      'written',
      'refquota',
      'refreservation',
      'usedbysnapshots',
    ];
    const targets: Dataset[] = [];
    const list = names.length ? names.map((n) => this.need(n)) : [...this.map.values()];
    for (const d of list) {
      targets.push(d);
      if (f.has('r') && d.type !== 'snapshot')
        for (const c of this.map.values())
          if (c.name.startsWith(`${d.name}/`) || c.name.startsWith(`${d.name}@`)) targets.push(c);
    }
    this.sorted(targets);
    const rows: string[][] = [];
    for (const d of targets) {
      const plist =
        props.length === 1 && props[0] === 'all'
          ? [...ALL, ...Object.keys(d.props).filter((k) => k.includes(':'))]
          : props;
      for (const p of plist) {
        const [value, source] = this.prop(d, p, f.has('p'));
        if (props[0] === 'all' && value === '-' && p !== 'origin') continue;
        const row: Record<string, string> = { name: d.name, property: p, value, source, received: '-' };
        rows.push(fields.map((fl) => row[fl]!));
      }
    }
    if (f.has('H')) for (const r of rows) out.push(r.join('\t'));
    else {
      const header = fields.map((x) => x.toUpperCase());
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      out.push(
        header
          .map((h, i) => h.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
      for (const r of rows)
        out.push(
          r
            .map((x, i) => x.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        );
    }
  }

  private snapshot(args: string[]): void {
    const { f, rest } = this.opts(args, 'snapshot', 'r', 'o');
    if (rest.length === 0) throw usage('missing snapshot argument', 'snapshot');
    const todo: string[] = [];
    for (const full of rest) {
      const err = nameError(full, true);
      if (err) throw new ZfsError(`cannot create snapshot '${full}': ${err}`);
      const at = full.indexOf('@');
      if (at < 0)
        throw new ZfsError(`cannot create snapshot '${full}': missing '@' delimiter in snapshot name`);
      const ds = full.slice(0, at);
      const snap = full.slice(at + 1);
      const d = this.map.get(ds);
      if (!d || d.type === 'snapshot') throw new ZfsError(`cannot open '${ds}': dataset does not exist`);
      const all = [ds, ...(f.has('r') ? this.children(ds).map((c) => c.name) : [])];
      for (const n of all) {
        if (this.map.has(`${n}@${snap}`))
          throw new ZfsError(`cannot create snapshot '${n}@${snap}': dataset already exists`);
        todo.push(`${n}@${snap}`);
      }
    }
    for (const name of todo) {
      const src = this.map.get(name.split('@')[0]!)!;
      this.sim.world.newDataset(this.node, name, 'snapshot', { referenced: src.referenced, used: 0 });
    }
  }

  private rollback(args: string[]): void {
    const { f, rest } = this.opts(args, 'rollback', 'rRf', '');
    if (rest.length !== 1)
      throw usage(rest.length ? 'too many arguments' : 'missing dataset argument', 'rollback');
    const name = rest[0]!;
    if (!name.includes('@')) throw new ZfsError(`'${name}' is not a snapshot`, 2);
    const snap = this.need(name);
    const ds = name.split('@')[0]!;
    const newer = this.snapshotsOf(ds).filter((s) => s.createtxg > snap.createtxg);
    if (newer.length && !f.has('r') && !f.has('R'))
      throw new ZfsError(
        `cannot rollback to '${name}': more recent snapshots or bookmarks exist\nuse '-r' to force deletion of the following snapshots and bookmarks:\n${newer.map((s) => s.name).join('\n')}`,
      );
    const clones = newer.flatMap((s) => this.clonesOf(s.name));
    if (clones.length && !f.has('R'))
      throw new ZfsError(
        `cannot rollback to '${name}': clones of previous snapshots exist\nuse '-R' to force deletion of the following clones and dependents:\n${clones.map((c) => c.name).join('\n')}`,
      );
    for (const c of clones) this.destroyTree(c.name);
    for (const s of newer) this.sim.world.deleteDataset(this.node, s.name);
    const d = this.map.get(ds)!;
    this.sim.world.putDataset(this.node, { ...d, referenced: snap.referenced });
  }

  private setProps(
    d: Partial<Dataset> & { props: Record<string, string> },
    kv: string[],
    verb: string,
    target: string,
    isVolume: boolean,
  ): void {
    for (const item of kv) {
      const eq = item.indexOf('=');
      if (eq <= 0)
        throw usage(`missing '=' for property=value argument`, verb === 'create' ? 'create' : 'set');
      const k = item.slice(0, eq);
      const val = item.slice(eq + 1);
      const fail = (m: string) =>
        new ZfsError(`cannot ${verb === 'set' ? 'set property for' : verb} '${target}': ${m}`);
      switch (k) {
        case 'compression':
        case 'compress':
          if (!COMPRESSION.test(val)) throw fail(COMPRESSION_MSG);
          d.props.compression = val;
          break;
        case 'quota':
        case 'refquota':
        case 'reservation':
        case 'refreservation': {
          if (isVolume && (k === 'quota' || k === 'refquota'))
            throw fail(`'${k}' does not apply to datasets of this type`);
          if (val === 'none') {
            delete d.props[k];
            break;
          }
          const n = parseZfsSize(val);
          if (n === undefined) throw fail(`bad numeric value '${val}'`);
          d.props[k] = String(n);
          break;
        }
        case 'mountpoint':
          if (isVolume) throw fail("'mountpoint' does not apply to datasets of this type");
          if (!(val === 'none' || val === 'legacy' || val.startsWith('/')))
            throw fail("'mountpoint' must be an absolute path, 'none', or 'legacy'");
          d.props.mountpoint = val;
          break;
        case 'atime':
          if (val !== 'on' && val !== 'off') throw fail("'atime' must be one of 'on | off'");
          d.props.atime = val;
          break;
        case 'recordsize':
          if (!/^(512|1K|2K|4K|8K|16K|32K|64K|128K|256K|512K|1M|\d+)$/.test(val))
            throw fail(`bad numeric value '${val}'`);
          d.props.recordsize = val;
          break;
        default:
          if (/^[a-z0-9_.-]+:[a-z0-9_.:-]+$/i.test(k)) {
            d.props[k] = val;
            break;
          }
          throw fail(`invalid property '${k}'`);
      }
    }
  }

  private clone(args: string[]): void {
    const { f, v, rest } = this.opts(args, 'clone', 'p', 'o');
    if (rest.length !== 2)
      throw usage(rest.length < 2 ? 'missing source dataset argument' : 'too many arguments', 'clone');
    const [src, dst] = rest as [string, string];
    if (!src.includes('@')) throw new ZfsError(`cannot clone '${src}': not a snapshot`, 1);
    const snap = this.need(src);
    const err = nameError(dst, false);
    if (err) throw new ZfsError(`cannot create '${dst}': ${err}`);
    if (this.map.has(dst)) throw new ZfsError(`cannot create '${dst}': dataset already exists`);
    if (this.poolOf(src) !== this.poolOf(dst))
      throw new ZfsError(`cannot create '${dst}': source and target pools differ`);
    const parent = this.parentOf(dst);
    if (parent && !this.map.has(parent)) {
      if (!f.has('p')) throw new ZfsError(`cannot create '${dst}': parent does not exist`);
      this.mkParents(parent);
    }
    const origin = this.map.get(src.split('@')[0]!)!;
    const d: Dataset = {
      name: dst,
      type: origin.type,
      createtxg: 0,
      creation: Math.floor(Date.now() / 1000),
      guid: '',
      volsize: origin.volsize,
      used: 57344,
      referenced: snap.referenced,
      origin: src,
      props: {},
    };
    this.setProps(d, v.o ?? [], 'create', dst, origin.type === 'volume');
    this.sim.world.newDataset(this.node, dst, origin.type, {
      volsize: d.volsize,
      used: d.used,
      referenced: d.referenced,
      origin: d.origin,
      props: d.props,
    });
  }

  private mkParents(name: string): void {
    const parts = name.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (i === 1 && !this.map.has(p)) throw new ZfsError(`cannot create '${name}': no such pool '${p}'`);
      if (!this.map.has(p)) this.sim.world.newDataset(this.node, p, 'filesystem', { props: {} });
    }
  }

  private inUse(name: string): boolean {
    const st = this.sim.world.storageOfDataset(name);
    if (!st) return false;
    const leaf = name.slice(st.pool!.length + 1);
    for (const vmid of this.sim.world.guestsByNode.get(this.node) ?? []) {
      const g = this.sim.world.guests.get(vmid)!;
      if (g.status !== 'running') continue;
      for (const v of Object.values(g.config)) {
        const vol = v.split(',')[0]!;
        if (vol === `${st.storage}:${leaf}` || vol.endsWith(`/${leaf}`)) return true;
      }
    }
    return false;
  }

  private destroyTree(name: string): void {
    for (const c of [...this.map.values()].filter(
      (d) => d.name.startsWith(`${name}/`) || d.name.startsWith(`${name}@`),
    ))
      this.sim.world.deleteDataset(this.node, c.name);
    this.sim.world.deleteDataset(this.node, name);
  }

  private destroy(args: string[], out: string[]): void {
    const { f, rest } = this.opts(args, 'destroy', 'fnpRrvd', '');
    if (rest.length !== 1)
      throw usage(rest.length ? 'too many arguments' : 'missing dataset argument', 'destroy');
    const name = rest[0]!;
    const d = this.need(name);
    const recursive = f.has('r') || f.has('R');
    if (d.type === 'snapshot') {
      const clones = this.clonesOf(name);
      if (clones.length && !f.has('R'))
        throw new ZfsError(
          `cannot destroy '${name}': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n${clones.map((c) => c.name).join('\n')}`,
        );
      if (f.has('n')) return;
      for (const c of clones) this.destroyTree(c.name);
      if (f.has('v')) out.push(`will destroy ${name}`);
      this.sim.world.deleteDataset(this.node, name);
      return;
    }
    if (!this.parentOf(name))
      throw new ZfsError(
        `cannot destroy '${name}': operation does not apply to pools\nuse 'zfs destroy -r ${name}' to destroy all datasets in the pool\nuse 'zpool destroy ${name}' to destroy the pool itself`,
      );
    const descendants = [...this.map.values()].filter(
      (x) => x.name.startsWith(`${name}/`) || x.name.startsWith(`${name}@`),
    );
    if (descendants.length && !recursive) {
      const kind = d.type === 'volume' ? 'volume' : 'filesystem';
      throw new ZfsError(
        `cannot destroy '${name}': ${kind} has children\nuse '-r' to destroy the following datasets:\n${this.sorted(
          descendants,
        )
          .map((x) => x.name)
          .join('\n')}`,
      );
    }
    const externalClones = [...descendants, d]
      .filter((x) => x.type === 'snapshot')
      .flatMap((s) => this.clonesOf(s.name))
      .filter((c) => !(c.name === name || c.name.startsWith(`${name}/`)));
    if (externalClones.length && !f.has('R'))
      throw new ZfsError(
        `cannot destroy '${name}': filesystem has dependent clones\nuse '-R' to destroy the following datasets:\n${externalClones.map((c) => c.name).join('\n')}`,
      );
    if (!f.has('f') && this.inUse(name)) throw new ZfsError(`cannot destroy '${name}': dataset is busy`);
    if (f.has('n')) return;
    for (const c of externalClones) this.destroyTree(c.name);
    if (f.has('v')) for (const x of [...descendants, d]) out.push(`will destroy ${x.name}`);
    this.destroyTree(name);
  }

  private create(args: string[]): void {
    const { f, v, rest } = this.opts(args, 'create', 'psPnuv', 'oVb');
    if (rest.length !== 1)
      throw usage(rest.length ? 'too many arguments' : 'missing filesystem argument', 'create');
    const name = rest[0]!;
    const err = nameError(name, false);
    if (err) throw new ZfsError(`cannot create '${name}': ${err}`);
    if (this.map.has(name)) throw new ZfsError(`cannot create '${name}': dataset already exists`);
    const parent = this.parentOf(name);
    if (!parent) throw new ZfsError(`cannot create '${name}': missing dataset name`);
    if (!this.map.has(parent)) {
      if (!f.has('p')) throw new ZfsError(`cannot create '${name}': parent does not exist`);
      this.mkParents(parent);
    }
    if (this.map.get(parent)!.type !== 'filesystem')
      throw new ZfsError(`cannot create '${name}': parent is not a filesystem`);
    const isVol = v.V !== undefined;
    const volsize = isVol ? parseZfsSize(v.V![0]!) : undefined;
    if (isVol && volsize === undefined) throw new ZfsError(`bad volume size '${v.V![0]}'`, 2);
    const d = { props: {} as Record<string, string> };
    this.setProps(d, v.o ?? [], 'create', name, isVol);
    const st = this.sim.world.storageOfDataset(name);
    if (isVol && !f.has('s') && st) {
      const avail = Math.max(0, st.total - this.sim.world.used(this.node, st.storage));
      if (volsize! > avail || this.sim.faults.fullStorages.has(st.storage))
        throw new ZfsError(`cannot create '${name}': out of space`);
    }
    if (!f.has('n'))
      this.sim.world.newDataset(this.node, name, isVol ? 'volume' : 'filesystem', {
        props: d.props,
        ...(isVol ? { volsize, used: f.has('s') ? 57344 : volsize!, referenced: 57344 } : {}),
      });
  }

  private set(args: string[]): void {
    const { rest } = this.opts(args, 'set', 'u', '');
    if (rest.length < 2)
      throw usage(rest.length ? 'missing dataset name(s)' : 'missing property=value argument(s)', 'set');
    const kvs = rest.filter((a) => a.includes('='));
    const names = rest.filter((a) => !a.includes('='));
    if (names.length === 0) throw usage('missing dataset name(s)', 'set');
    for (const n of names) {
      const d = this.need(n);
      const copy = { ...d, props: { ...d.props } };
      this.setProps(copy, kvs, 'set', n, d.type === 'volume');
      this.sim.world.putDataset(this.node, copy);
    }
  }

  private promote(args: string[]): void {
    const { rest } = this.opts(args, 'promote', '', '');
    if (rest.length !== 1)
      throw usage(rest.length ? 'too many arguments' : 'missing clone filesystem argument', 'promote');
    const name = rest[0]!;
    const c = this.need(name);
    if (!c.origin) throw new ZfsError(`cannot promote '${name}': not a cloned filesystem`);
    const originSnap = this.map.get(c.origin)!;
    const originDs = c.origin.split('@')[0]!;
    const moving = this.snapshotsOf(originDs).filter((s) => s.createtxg <= originSnap.createtxg);
    for (const s of moving) {
      const snapName = s.name.slice(originDs.length + 1);
      if (this.map.has(`${name}@${snapName}`))
        throw new ZfsError(
          `cannot promote '${name}': snapshot name '${snapName}' from origin conflicts with '${name}@${snapName}' from target`,
        );
    }
    for (const s of moving) {
      const newName = `${name}${s.name.slice(originDs.length)}`;
      this.sim.world.deleteDataset(this.node, s.name);
      this.sim.world.putDataset(this.node, { ...s, name: newName });
      for (const other of this.clonesOf(s.name))
        this.sim.world.putDataset(this.node, { ...other, origin: newName });
    }
    const newOrigin = `${name}${c.origin.slice(originDs.length)}`;
    const od = this.map.get(originDs)!;
    this.sim.world.putDataset(this.node, { ...od, origin: newOrigin });
    const promoted = this.map.get(name)!;
    const { origin: _o, ...rest2 } = promoted;
    this.sim.world.putDataset(this.node, { ...rest2 });
  }
}
