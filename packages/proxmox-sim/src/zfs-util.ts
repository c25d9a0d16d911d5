/** The `zfs` command's result type, errors, usage texts, and name and size parsing (OpenZFS's wording). */
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

export class ZfsError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}
export const usage = (msg: string, sub: string) =>
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

export const COMPRESSION =
  /^(on|off|lzjb|gzip|gzip-[1-9]|zle|lz4|zstd|zstd-([1-9]|1[0-9])|zstd-fast|zstd-fast-([1-9]|10|[2-9]0|100|500|1000))$/;
export const COMPRESSION_MSG =
  "'compression' must be one of 'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4 | zstd | zstd-[1-19] | zstd-fast | zstd-fast-[1-10,20,30,40,50,60,70,80,90,100,500,1000]'";

/** zfs_name_valid: components of [A-Za-z0-9_.:-], one optional @snapshot. */
export function nameError(name: string, allowSnap: boolean): string | undefined {
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

export function humanSize(n: number): string {
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

export function parseZfsSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([BKMGTP]?)(?:i?B)?$/i.exec(text);
  if (!m) return undefined;
  const mult = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 }[
    m[2]!.toUpperCase() as 'K'
  ];
  return Math.round(Number(m[1]) * mult);
}
