/**
 * The simulated datasets of one node as `zfs` sees them: the tree queries, property values, option
 * parsing, and the read-only commands (`zfs list`, `zfs get`). ZfsHost adds the commands that change it.
 */
import type { SimContext } from './context.ts';
import type { Dataset } from './state.ts';
import { humanSize, nameError, usage, ZfsError } from './zfs-util.ts';

export abstract class ZfsTree {
  constructor(
    protected readonly sim: SimContext,
    protected readonly node: string,
  ) {}

  protected get map(): Map<string, Dataset> {
    return this.sim.world.zfs.get(this.node)!;
  }
  protected parentOf(name: string): string | undefined {
    const i = name.lastIndexOf('/');
    return i < 0 ? undefined : name.slice(0, i);
  }
  protected poolOf(name: string): string {
    return name.split(/[/@]/)[0]!;
  }
  protected children(name: string): Dataset[] {
    const prefix = `${name}/`;
    return [...this.map.values()].filter((d) => d.name.startsWith(prefix) && d.type !== 'snapshot');
  }
  protected snapshotsOf(name: string): Dataset[] {
    const prefix = `${name}@`;
    return [...this.map.values()]
      .filter((d) => d.name.startsWith(prefix))
      .sort((a, b) => a.createtxg - b.createtxg);
  }
  protected clonesOf(snap: string): Dataset[] {
    return [...this.map.values()].filter((d) => d.origin === snap);
  }
  protected need(name: string, verb = 'open'): Dataset {
    const err = nameError(name, true);
    if (err) throw new ZfsError(`cannot ${verb} '${name}': ${err}`);
    const d = this.map.get(name);
    if (!d) throw new ZfsError(`cannot ${verb} '${name}': dataset does not exist`);
    return d;
  }
  protected avail(d: Dataset): number {
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
  protected usedOf(d: Dataset): number {
    if (d.type !== 'filesystem') return d.used;
    let sum = d.used;
    for (const c of this.children(d.name))
      sum += c.type === 'volume' ? (c.origin ? c.used : (c.volsize ?? 0)) : c.used;
    for (const s of this.snapshotsOf(d.name)) sum += s.used;
    return sum;
  }

  /** property value and source as `zfs get` shows them */
  protected prop(d: Dataset, p: string, parsable: boolean): [string, string] {
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
  protected inherited(name: string, p: string): [string, string] | undefined {
    let cur = this.parentOf(name.split('@')[0]!);
    if (name.includes('@')) cur = name.split('@')[0];
    while (cur) {
      const d = this.map.get(cur);
      if (d?.props[p] !== undefined) return [d.props[p]!, cur];
      cur = this.parentOf(cur);
    }
    return undefined;
  }

  /** Splits `-abc` flag clusters and collects `-o x` style options. */
  protected opts(
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

  protected sorted(list: Dataset[]): Dataset[] {
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

  protected list(args: string[], out: string[]): void {
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

  protected get(args: string[], out: string[]): void {
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
}
