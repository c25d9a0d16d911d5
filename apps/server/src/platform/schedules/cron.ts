import { Cron } from 'croner';
import { ValidationError } from '../errors.ts';

/**
 * Cron expressions (croner): 5 fields (minute hour day month weekday) or 6 with seconds first,
 * evaluated in an IANA time zone, so "0 3 * * *" in Europe/Berlin is 03:00 local time on both
 * sides of a DST change.
 */
export interface CronSpec {
  cron: string;
  timezone: string;
}

const MAX_LENGTH = 200;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parse and check a cron expression and time zone; throws ValidationError naming the field. */
export function parseCron(spec: CronSpec): Cron {
  if (!isTimeZone(spec.timezone) || spec.timezone.length > 64)
    throw new ValidationError(
      `Unknown time zone '${spec.timezone}' (use an IANA name such as Europe/Berlin)`,
      {
        field: 'timezone',
      },
    );
  const cron = spec.cron.trim();
  if (cron.length === 0 || cron.length > MAX_LENGTH)
    throw new ValidationError('Cron expression must be 1 to 200 characters', { field: 'cron' });
  let parsed: Cron;
  try {
    parsed = new Cron(cron, { timezone: spec.timezone, paused: true });
  } catch (err) {
    throw new ValidationError(
      `Invalid cron expression: ${err instanceof Error ? err.message : String(err)}`,
      {
        field: 'cron',
      },
    );
  }
  if (parsed.nextRun(new Date()) === null)
    throw new ValidationError(`Cron expression '${cron}' never fires`, { field: 'cron' });
  return parsed;
}

/** The first run strictly after `after`, or null if the expression has no further runs. */
export function nextRunAfter(spec: CronSpec, after: Date): Date | null {
  return parseCron(spec).nextRun(after);
}

/** The next `count` runs strictly after `after` (1..100). */
export function nextRuns(spec: CronSpec, after: Date, count: number): Date[] {
  if (!Number.isInteger(count) || count < 1 || count > 100)
    throw new ValidationError('count must be an integer from 1 to 100', { field: 'count' });
  return parseCron(spec).nextRuns(count, after);
}
