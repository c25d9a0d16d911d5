/**
 * A `zfs` command over the simulated datasets of one node, for the SSH host agent. Arguments
 * arrive already split (see shell-words.ts): nothing is ever evaluated by a shell. Output, error
 * texts and exit codes follow OpenZFS (1 = operation failed, 2 = usage error). The dataset tree
 * and the read-only commands are in zfs-tree.ts; the commands that change it are here.
 */
import type { Dataset } from './state.ts';
import { ZfsTree } from './zfs-tree.ts';
import {
  COMPRESSION,
  COMPRESSION_MSG,
  type ExecResult,
  nameError,
  parseZfsSize,
  usage,
  ZfsError,
} from './zfs-util.ts';

export type { ExecResult } from './zfs-util.ts';

export class ZfsHost extends ZfsTree {
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

  protected snapshot(args: string[]): void {
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

  protected rollback(args: string[]): void {
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

  protected setProps(
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

  protected clone(args: string[]): void {
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

  protected mkParents(name: string): void {
    const parts = name.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (i === 1 && !this.map.has(p)) throw new ZfsError(`cannot create '${name}': no such pool '${p}'`);
      if (!this.map.has(p)) this.sim.world.newDataset(this.node, p, 'filesystem', { props: {} });
    }
  }

  protected inUse(name: string): boolean {
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

  protected destroyTree(name: string): void {
    for (const c of [...this.map.values()].filter(
      (d) => d.name.startsWith(`${name}/`) || d.name.startsWith(`${name}@`),
    ))
      this.sim.world.deleteDataset(this.node, c.name);
    this.sim.world.deleteDataset(this.node, name);
  }

  protected destroy(args: string[], out: string[]): void {
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

  protected create(args: string[]): void {
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

  protected set(args: string[]): void {
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

  protected promote(args: string[]): void {
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
