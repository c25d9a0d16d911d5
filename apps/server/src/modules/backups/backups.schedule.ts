/**
 * Backup schedules: the presets (daily / weekly / monthly) and any 5-field cron expression, in an
 * IANA time zone, described in words (cronstrue) for the console and the API.
 */
import cronstrue from 'cronstrue';
import { ValidationError } from '../../platform/errors.ts';

/** Preset → cron: nightly at 03:00 local time (PVE's own default job runs at 21:00; 03:00 is quieter). */
export const SCHEDULE_PRESETS: Record<string, string> = {
  daily: '0 3 * * *',
  weekly: '0 3 * * 0',
  monthly: '0 3 1 * *',
};

export function cronOf(schedule: string): string {
  const s = schedule.trim();
  const preset = SCHEDULE_PRESETS[s.toLowerCase()];
  if (preset) return preset;
  const fields = s.split(/\s+/);
  if (fields.length !== 5)
    throw new ValidationError(
      `Schedule must be daily, weekly, monthly or a 5-field cron expression (minute hour day month weekday); got '${schedule}'`,
      { field: 'schedule' },
    );
  return fields.join(' ');
}

/** "At 03:00 AM, only on Sunday (Europe/Berlin)" */
export function describeSchedule(cron: string, timezone: string): string {
  let words: string;
  try {
    words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    words = cron;
  }
  return `${words} (${timezone})`;
}
