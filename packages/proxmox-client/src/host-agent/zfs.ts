import type { ExecOptions, Executor } from './executor.ts';

/**
 * ZFS operations the PVE API lacks, as a FIXED set of commands built from typed parameters. Every
 * argument is validated against a strict pattern before anything runs; a refused argument throws
 * HostAgentValidationError and no command is executed.
 */

export class HostAgentValidationError extends Error {
  override name = 'HostAgentValidationError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A command ran and failed. Carries the command name (`zfs snapshot`), exit code and stderr. */
export class HostAgentCommandError extends Error {
  override name = 'HostAgentCommandError';
  readonly command: string;
  readonly exitCode: number;
  readonly stderr: string;
  constructor(command: string, exitCode: number, stderr: string) {
    const s = stderr.trim().slice(0, 2000);
    super(`${command} failed with exit code ${exitCode}${s ? `: ${s}` : ''}`);
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = s;
  }
}

/* ------------------------------------------------------------------ validation */

const DATASET_RE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
const SNAPNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const MAX_NAME = 255;

export function validateDataset(name: unknown, field = 'dataset'): string {
  if (typeof name !== 'string') throw new HostAgentValidationError(field, 'must be a string');
  if (name.length === 0 || name.length > MAX_NAME)
    throw new HostAgentValidationError(field, 'length must be 1..255');
  if (!DATASET_RE.test(name)) {
    throw new HostAgentValidationError(field, `invalid dataset name (allowed: letters, digits, _ . : / -)`);
  }
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..') || name.includes('..')) {
    throw new HostAgentValidationError(field, 'empty, "." or ".." path components are not allowed');
  }
  if (parts.some((p) => p.startsWith('-')))
    throw new HostAgentValidationError(field, 'components must not start with "-"');
  return name;
}

export function validateSnapshotName(name: unknown, field = 'snapshot'): string {
  if (typeof name !== 'string') throw new HostAgentValidationError(field, 'must be a string');
  if (name.length === 0 || name.length > 200)
    throw new HostAgentValidationError(field, 'length must be 1..200');
  if (!SNAPNAME_RE.test(name) || name.includes('..')) {
    throw new HostAgentValidationError(field, 'invalid snapshot name (allowed: letters, digits, _ . : -)');
  }
  return name;
}

/** `pool/ds@snap` → validated parts. */
export function validateSnapshotRef(ref: unknown, field = 'snapshot'): string {
  if (typeof ref !== 'string') throw new HostAgentValidationError(field, 'must be a string');
  const at = ref.indexOf('@');
  if (at < 0 || ref.indexOf('@', at + 1) >= 0)
    throw new HostAgentValidationError(field, 'must be <dataset>@<name>');
  validateDataset(ref.slice(0, at), field);
  validateSnapshotName(ref.slice(at + 1), field);
  return ref;
}

const SIZE_RE = /^(?:\d+(?:\.\d+)?[KMGTP]?|none)$/;
const ONOFF = ['on', 'off'] as const;
const COMPRESSION = [
  'on',
  'off',
  'lz4',
  'lzjb',
  'zle',
  'gzip',
  ...Array.from({ length: 9 }, (_, i) => `gzip-${i + 1}`),
  'zstd',
  'zstd-fast',
  ...Array.from({ length: 19 }, (_, i) => `zstd-${i + 1}`),
];

/** Writable properties and the values each accepts. */
const SETTABLE: Record<string, (v: string) => boolean> = {
  compression: (v) => COMPRESSION.includes(v),
  quota: (v) => SIZE_RE.test(v),
  refquota: (v) => SIZE_RE.test(v),
  reservation: (v) => SIZE_RE.test(v),
  refreservation: (v) => SIZE_RE.test(v),
  recordsize: (v) => /^\d+[KM]?$/.test(v),
  atime: (v) => (ONOFF as readonly string[]).includes(v),
  readonly: (v) => (ONOFF as readonly string[]).includes(v),
  canmount: (v) => ['on', 'off', 'noauto'].includes(v),
  snapdir: (v) => ['hidden', 'visible'].includes(v),
  sync: (v) => ['standard', 'always', 'disabled'].includes(v),
  copies: (v) => ['1', '2', '3'].includes(v),
  mountpoint: (v) =>
    v === 'none' ||
    v === 'legacy' ||
    (/^\/[A-Za-z0-9_./-]*$/.test(v) && !v.includes('..') && !v.includes('//')),
};

/** Readable properties (for `get`/`list`). */
const READABLE = new Set([
  ...Object.keys(SETTABLE),
  'name',
  'type',
  'creation',
  'used',
  'available',
  'avail',
  'referenced',
  'refer',
  'usedbysnapshots',
  'usedbydataset',
  'usedbychildren',
  'logicalused',
  'logicalreferenced',
  'compressratio',
  'mounted',
  'origin',
  'written',
  'guid',
  'clones',
]);

/** User properties (`module:property`) in our own namespace only: `proxicloud:<name>`. */
const USER_PROP_RE = /^proxicloud:[a-z0-9_.-]{1,64}$/;
const USER_VALUE_RE = /^[A-Za-z0-9_.:@+/=-]{0,256}$/;

function validateProperty(name: unknown, forWrite: boolean, field = 'property'): string {
  if (typeof name !== 'string') throw new HostAgentValidationError(field, 'must be a string');
  if (USER_PROP_RE.test(name)) return name;
  if (forWrite ? !(name in SETTABLE) : !READABLE.has(name)) {
    throw new HostAgentValidationError(field, `property ${JSON.stringify(name.slice(0, 64))} is not allowed`);
  }
  return name;
}

function validateAssignment(name: string, value: unknown): string {
  validateProperty(name, true, `property ${name}`);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new HostAgentValidationError(`property ${name}`, 'value must be a string or number');
  }
  const v = String(value);
  const ok = USER_PROP_RE.test(name) ? USER_VALUE_RE.test(v) : SETTABLE[name]!(v);
  if (!ok)
    throw new HostAgentValidationError(
      `property ${name}`,
      `value ${JSON.stringify(v.slice(0, 64))} is not allowed`,
    );
  return `${name}=${v}`;
}

function validateProperties(props: Record<string, string | number> | undefined): string[] {
  return Object.entries(props ?? {}).map(([k, v]) => validateAssignment(k, v));
}

/* ------------------------------------------------------------------ agent */

export type ZfsType = 'filesystem' | 'volume' | 'snapshot';

export interface ZfsDataset {
  name: string;
  type: ZfsType;
  /** Bytes. */
  used: number;
  available: number;
  referenced: number;
  mountpoint: string | null;
  /** Unix seconds. */
  creation: number;
  origin: string | null;
}

export interface ZfsProperty {
  value: string;
  source: string;
}

const LIST_COLUMNS = [
  'name',
  'type',
  'used',
  'available',
  'referenced',
  'mountpoint',
  'creation',
  'origin',
] as const;

function n(v: string | undefined): number {
  if (v === undefined || v === '-' || v === '') return 0;
  const x = Number(v);
  return Number.isFinite(x) ? x : 0;
}

export class ZfsAgent {
  constructor(
    private readonly executor: Executor,
    private readonly opts: { zfsPath?: string; timeoutMs?: number } = {},
  ) {}

  private async run(sub: string, args: string[], exec?: ExecOptions): Promise<string> {
    const argv = [this.opts.zfsPath ?? 'zfs', sub, ...args];
    const res = await this.executor.exec(argv, { timeoutMs: this.opts.timeoutMs, ...exec });
    if (res.exitCode !== 0) throw new HostAgentCommandError(`zfs ${sub}`, res.exitCode, res.stderr);
    return res.stdout;
  }

  /**
   * Datasets with their sizes: `zfs get -H -p [-r | -d N] -o name,property,value <columns> [root]`.
   * (`zfs get` rather than `zfs list -p`: same parsable output on OpenZFS and on zfs-fuse, whose
   * `zfs list` has no `-p`.) `type` filters like `zfs list -t`; default filesystem + volume.
   */
  async list(
    opts: { root?: string; type?: ZfsType | 'all'; recursive?: boolean; depth?: number } = {},
    exec?: ExecOptions,
  ): Promise<ZfsDataset[]> {
    const type = opts.type;
    if (type !== undefined && !['filesystem', 'volume', 'snapshot', 'all'].includes(type)) {
      throw new HostAgentValidationError('type', 'must be filesystem, volume, snapshot or all');
    }
    const args = ['-H', '-p'];
    if (opts.depth !== undefined) {
      if (!Number.isInteger(opts.depth) || opts.depth < 0 || opts.depth > 64) {
        throw new HostAgentValidationError('depth', 'must be an integer 0..64');
      }
      args.push('-d', String(opts.depth));
    } else if (opts.recursive) args.push('-r');
    args.push('-o', 'name,property,value', LIST_COLUMNS.filter((c) => c !== 'name').join(','));
    if (opts.root !== undefined) args.push(validateDataset(opts.root, 'root'));
    const out = await this.run('get', args, exec);
    const rows = new Map<string, Record<string, string>>();
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [name, prop, value] = line.split('\t');
      if (!name || !prop) continue;
      let row = rows.get(name);
      if (!row) {
        row = {};
        rows.set(name, row);
      }
      row[prop] = value ?? '';
    }
    const wanted = (t: string) =>
      type === 'all' ? true : type ? t === type : t === 'filesystem' || t === 'volume';
    return [...rows.entries()]
      .map(([name, c]) => ({
        name,
        type: (c.type ?? 'filesystem') as ZfsType,
        used: n(c.used),
        available: n(c.available),
        referenced: n(c.referenced),
        mountpoint: c.mountpoint && c.mountpoint !== '-' ? c.mountpoint : null,
        creation: n(c.creation),
        origin: c.origin && c.origin !== '-' ? c.origin : null,
      }))
      .filter((d) => wanted(d.type));
  }

  /** `zfs get -H -p -o property,value,source <props> <dataset>` */
  async get(
    dataset: string,
    properties: readonly string[],
    exec?: ExecOptions,
  ): Promise<Record<string, ZfsProperty>> {
    const name = dataset.includes('@') ? validateSnapshotRef(dataset, 'dataset') : validateDataset(dataset);
    if (properties.length === 0 || properties.length > 32) {
      throw new HostAgentValidationError('properties', 'give 1..32 properties');
    }
    const props = properties.map((p) => validateProperty(p, false));
    const out = await this.run(
      'get',
      ['-H', '-p', '-o', 'property,value,source', props.join(','), name],
      exec,
    );
    const res: Record<string, ZfsProperty> = {};
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [prop, value, source] = line.split('\t');
      if (prop) res[prop] = { value: value ?? '', source: source ?? '' };
    }
    return res;
  }

  /** `zfs snapshot [-r] <dataset>@<name>` */
  async snapshot(
    dataset: string,
    name: string,
    opts: { recursive?: boolean } = {},
    exec?: ExecOptions,
  ): Promise<string> {
    const ref = `${validateDataset(dataset)}@${validateSnapshotName(name)}`;
    await this.run('snapshot', [...(opts.recursive ? ['-r'] : []), ref], exec);
    return ref;
  }

  /** `zfs rollback [-r] <dataset>@<name>`; `destroyNewer` (-r) destroys later snapshots. */
  async rollback(snapshot: string, opts: { destroyNewer?: boolean } = {}, exec?: ExecOptions): Promise<void> {
    const ref = validateSnapshotRef(snapshot);
    await this.run('rollback', [...(opts.destroyNewer ? ['-r'] : []), ref], exec);
  }

  /** `zfs clone [-o prop=value]… <dataset>@<name> <target>` */
  async clone(
    snapshot: string,
    target: string,
    opts: { properties?: Record<string, string | number> } = {},
    exec?: ExecOptions,
  ): Promise<void> {
    const ref = validateSnapshotRef(snapshot);
    const dst = validateDataset(target, 'target');
    const props = validateProperties(opts.properties).flatMap((p) => ['-o', p]);
    await this.run('clone', [...props, ref, dst], exec);
  }

  /** `zfs destroy [-r] <dataset | dataset@snapshot>`; retried while zfs says "dataset is busy". */
  async destroy(
    name: string,
    opts: { recursive?: boolean; busyRetries?: number } = {},
    exec?: ExecOptions,
  ): Promise<void> {
    const target = name.includes('@') ? validateSnapshotRef(name, 'name') : validateDataset(name, 'name');
    if (!target.includes('@') && !target.includes('/')) {
      throw new HostAgentValidationError('name', 'refusing to destroy a whole pool');
    }
    // Like PVE's ZFSPoolPlugin: a just-unmounted dataset can briefly be "busy"; retry a few times.
    const attempts = opts.busyRetries ?? 5;
    for (let i = 0; ; i++) {
      try {
        await this.run('destroy', [...(opts.recursive ? ['-r'] : []), target], exec);
        return;
      } catch (e) {
        if (!(e instanceof HostAgentCommandError) || !/dataset is busy/.test(e.stderr) || i >= attempts)
          throw e;
        await new Promise((r) => setTimeout(r, 200 * (i + 1)));
      }
    }
  }

  /** `zfs create [-p] [-o compression=…] [-o prop=value]… <dataset>` */
  async create(
    dataset: string,
    opts: { compression?: string; parents?: boolean; properties?: Record<string, string | number> } = {},
    exec?: ExecOptions,
  ): Promise<void> {
    const name = validateDataset(dataset);
    const props = validateProperties({
      ...(opts.compression !== undefined ? { compression: opts.compression } : {}),
      ...opts.properties,
    }).flatMap((p) => ['-o', p]);
    await this.run('create', [...(opts.parents ? ['-p'] : []), ...props, name], exec);
  }

  /** `zfs set prop=value <dataset>`, one command per property (zfs-fuse takes one at a time). */
  async set(dataset: string, properties: Record<string, string | number>, exec?: ExecOptions): Promise<void> {
    const name = validateDataset(dataset);
    const assignments = validateProperties(properties);
    if (assignments.length === 0) throw new HostAgentValidationError('properties', 'nothing to set');
    for (const a of assignments) await this.run('set', [a, name], exec);
  }

  /**
   * Copy a snapshot to another dataset on the same host: `zfs send [-i <from>] <snap> | zfs receive
   * -F -u <target>`, as ONE fixed shell script whose only variable parts are positional
   * parameters ($0 = zfs, $1 = snapshot, $2 = target, $3 = incremental base), every one validated
   * first (and single-quoted by the SSH executor). `incrementalFrom` is a snapshot name (`@name`)
   * that both sides already hold; the receive then only adds the difference. Returns the received
   * snapshot (`<target>@<name>`).
   */
  async sendTo(
    snapshot: string,
    target: string,
    opts: { incrementalFrom?: string } = {},
    exec?: ExecOptions,
  ): Promise<string> {
    const ref = validateSnapshotRef(snapshot);
    const dst = validateDataset(target, 'target');
    const base =
      opts.incrementalFrom !== undefined ? validateSnapshotName(opts.incrementalFrom, 'incrementalFrom') : '';
    const script = base
      ? '"$0" send -i "@$3" "$1" | "$0" receive -F -u "$2"'
      : '"$0" send "$1" | "$0" receive -F -u "$2"';
    const argv = ['sh', '-c', script, this.opts.zfsPath ?? 'zfs', ref, dst, ...(base ? [base] : [])];
    const res = await this.executor.exec(argv, { timeoutMs: this.opts.timeoutMs ?? 3_600_000, ...exec });
    if (res.exitCode !== 0) throw new HostAgentCommandError('zfs send', res.exitCode, res.stderr);
    return `${dst}@${ref.slice(ref.indexOf('@') + 1)}`;
  }

  /** `zfs promote <clone>` */
  async promote(clone: string, exec?: ExecOptions): Promise<void> {
    await this.run('promote', [validateDataset(clone, 'clone')], exec);
  }
}
