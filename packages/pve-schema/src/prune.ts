/**
 * Proxmox VE's backup retention ("prune-backups"), as a pure function: which backups of one
 * group (one guest, or one volume) a `keep-last=3,keep-daily=7,…` setting keeps.
 *
 * PVE's documented semantics (pve-admin-guide "Backup Retention", PBS "Pruning"):
 *  - options are processed in the order last, hourly, daily, weekly, monthly, yearly;
 *  - each keeps the newest backup of each of the last N periods *that have a backup*
 *    (periods without backups do not count);
 *  - an option does not take care of periods already covered by a backup an earlier option
 *    kept: it only considers older backups;
 *  - weeks are ISO weeks (Monday–Sunday, ISO week-numbering year); periods are in local time
 *    (here: the given IANA time zone, so DST changes do not move a backup to another day);
 *  - protected backups are always kept and do not count towards any option;
 *  - `keep-all`, or no option at all, keeps everything.
 */

export interface PruneOptions {
  keepAll?: boolean;
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
}

export interface PruneEntry {
  /** The backup's identity (volid, snapshot id …). */
  id: string;
  /** Creation time, seconds since the epoch (PVE's `ctime`). */
  ctime: number;
  protected?: boolean;
}

export type PruneMark = 'keep' | 'remove' | 'protected';

export interface PruneResult<E extends PruneEntry = PruneEntry> {
  entry: E;
  mark: PruneMark;
  /** Which option kept it ('keep-daily' …), for explanations in a UI. */
  keptBy?: string;
}

const OPTION_KEYS = [
  ['keepLast', 'keep-last'],
  ['keepHourly', 'keep-hourly'],
  ['keepDaily', 'keep-daily'],
  ['keepWeekly', 'keep-weekly'],
  ['keepMonthly', 'keep-monthly'],
  ['keepYearly', 'keep-yearly'],
] as const;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(ctime: number, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ctime * 1000)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! };
}

/** ISO-8601 week-numbering year and week of a calendar date. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const dow = d.getUTCDay() || 7; // Monday = 1 … Sunday = 7
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of this week decides the year
  const y = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(y, 0, 1)) / 86_400_000 + 1) / 7);
  return { year: y, week };
}

function periodId(option: string, ctime: number, tz: string, index: number): string {
  if (option === 'keep-last') return `#${index}`;
  const p = localParts(ctime, tz);
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (option) {
    case 'keep-hourly':
      return `${p.year}/${pad(p.month)}/${pad(p.day)}/${pad(p.hour)}`;
    case 'keep-daily':
      return `${p.year}/${pad(p.month)}/${pad(p.day)}`;
    case 'keep-weekly': {
      const w = isoWeek(p.year, p.month, p.day);
      return `${w.year}/W${pad(w.week)}`;
    }
    case 'keep-monthly':
      return `${p.year}/${pad(p.month)}`;
    default:
      return `${p.year}`;
  }
}

/** True when the options keep everything (keep-all, or nothing set). */
export function keepsAll(o: PruneOptions): boolean {
  return o.keepAll === true || OPTION_KEYS.every(([k]) => !o[k]);
}

/**
 * Marks every entry keep/remove/protected. `timeZone` is the zone whose calendar defines hours,
 * days, weeks, months and years (PVE uses the node's local time). Result is newest first.
 */
export function pruneMark<E extends PruneEntry>(
  entries: readonly E[],
  options: PruneOptions,
  timeZone = 'UTC',
): PruneResult<E>[] {
  // newest first; equal times keep a stable order by id so results are deterministic
  const list: PruneResult<E>[] = [...entries]
    .sort((a, b) => b.ctime - a.ctime || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((entry) => ({ entry, mark: entry.protected ? 'protected' : (undefined as unknown as PruneMark) }));
  if (keepsAll(options)) {
    for (const r of list) if (r.mark !== 'protected') r.mark = 'keep';
    return list;
  }
  for (const [key, option] of OPTION_KEYS) {
    const count = options[key] ?? 0;
    if (!count) continue;
    const ids = list.map((r, i) => periodId(option, r.entry.ctime, timeZone, i));
    const covered = new Set<string>();
    list.forEach((r, i) => {
      if (r.mark === 'keep') covered.add(ids[i]!);
    });
    const added = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      if (r.mark !== undefined || covered.has(ids[i]!)) continue;
      if (added.has(ids[i]!)) {
        // an older backup of a period this option already kept: PVE marks it for removal here,
        // so a later option (weeks straddle months) cannot pick it up
        r.mark = 'remove';
        continue;
      }
      if (added.size >= count) break;
      added.add(ids[i]!);
      r.mark = 'keep';
      r.keptBy = option;
    }
  }
  for (const r of list) if (r.mark === undefined) r.mark = 'remove';
  return list;
}

/** `keep-last=3,keep-daily=7` (PVE's property string) from options; '' when nothing is set. */
export function formatPruneBackups(o: PruneOptions): string {
  if (o.keepAll) return 'keep-all=1';
  return OPTION_KEYS.filter(([k]) => o[k])
    .map(([k, opt]) => `${opt}=${o[k]}`)
    .join(',');
}

/** Parses PVE's `prune-backups` property string. Throws on unknown keys or bad numbers. */
export function parsePruneBackups(text: string): PruneOptions {
  const out: PruneOptions = {};
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=') as [string, string | undefined];
    if (k === 'keep-all') {
      out.keepAll = v === '1';
      continue;
    }
    const found = OPTION_KEYS.find(([, opt]) => opt === k);
    if (!found || v === undefined || !/^\d+$/.test(v))
      throw new Error(`invalid prune-backups part '${part}'`);
    out[found[0]] = Number(v);
  }
  return out;
}
