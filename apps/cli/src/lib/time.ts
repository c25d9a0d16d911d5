/**
 * Date arguments for filters such as `audit list --since`: ISO-8601 dates/timestamps, or a relative
 * duration back from now (`90s`, `30m`, `24h`, `7d`, `2w`), or `now`.
 */
import { UsageError } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i;
// 2024-05-01, 2024-05-01T10:00, 2024-05-01T10:00:00(.sss)(Z|±hh:mm), space instead of T allowed.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Parse a date argument into an ISO-8601 UTC string. `flag` names the option in error messages. */
export function parseDateArg(value: string, flag: string, now: Date = new Date()): string {
  const text = value.trim();
  if (text.toLowerCase() === 'now') return now.toISOString();
  const rel = RELATIVE.exec(text);
  if (rel) {
    const amount = Number(rel[1]);
    const unit = rel[2]!.toLowerCase();
    return new Date(now.getTime() - amount * UNIT_MS[unit]!).toISOString();
  }
  if (ISO.test(text)) {
    // A bare date means midnight UTC (not local midnight): audit timestamps are UTC.
    const normalised = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T');
    const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(normalised) ? normalised : `${normalised}Z`;
    const d = new Date(withZone);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  throw new UsageError(
    `Invalid date for ${flag}: "${value}"`,
    'Use an ISO date or time (2024-05-01, 2024-05-01T10:00:00Z) or a relative age (30m, 24h, 7d, 2w).',
  );
}
