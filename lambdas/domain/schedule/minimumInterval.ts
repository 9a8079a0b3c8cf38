import { CALENDAR_CYCLE_YEARS } from './cronSearch';
import { isDayInMask, matchingDaysInMonth } from './cronMatcher';
import type { CronFields, Schedule } from './scheduleTypes';
import { SECONDS_PER_DAY, daysInMonth, wallFromParts } from './wallClock';

export function isRecurring(s: Schedule): boolean {
  return s.kind !== 'at';
}

/** Seconds of the day at which the expression runs, ascending. */
function timesOfDay(fields: CronFields): number[] {
  const times: number[] = [];
  for (const h of fields.hours) for (const m of fields.minutes) for (const s of fields.seconds) times.push(h * 3600 + m * 60 + s);
  return times;
}

/** Fewest days between two consecutive matching days, or null when at most one day ever matches. */
function smallestDayGap(fields: CronFields): number | null {
  // One full calendar cycle plus a year, so the gap across the cycle boundary is seen too.
  const years = fields.years ?? Array.from({ length: CALENDAR_CYCLE_YEARS + 1 }, (_, i) => 2000 + i);
  let smallest: number | null = null;
  let previous: number | null = null;
  for (const year of years) {
    for (const month of fields.months) {
      const mask = matchingDaysInMonth(fields, year, month);
      for (let day = 1, n = daysInMonth(year, month); day <= n; day++) {
        if (!isDayInMask(mask, day)) continue;
        const dayNumber = wallFromParts(year, month, day) / SECONDS_PER_DAY;
        if (previous !== null && (smallest === null || dayNumber - previous < smallest)) smallest = dayNumber - previous;
        if (smallest === 1) return 1;
        previous = dayNumber;
      }
    }
  }
  return smallest;
}

/**
 * Smallest gap between consecutive runs, in seconds, for the per-task minimum-interval quota;
 * null for at() and for a cron that runs only once. Cron gaps are measured on the wall clock:
 * `0,30 * * * *` is 1800 and `0 0 29 2 *` is 4 years. A spring-forward gap can bring two runs
 * closer in real time (e.g. `20,40 2 * * *` on Lord Howe's 30-minute shift), but never closer
 * than the expression's resolution: 60 s for minute crons, 1 s with a seconds field.
 */
export function minimumIntervalSeconds(s: Schedule): number | null {
  if (s.kind === 'at') return null;
  if (s.kind === 'rate') return s.intervalMs / 1000;
  const times = timesOfDay(s.fields);
  let smallest = Infinity;
  for (let i = 1; i < times.length; i++) smallest = Math.min(smallest, times[i]! - times[i - 1]!);
  const dayGap = smallestDayGap(s.fields);
  if (dayGap !== null) smallest = Math.min(smallest, dayGap * SECONDS_PER_DAY - (times.at(-1)! - times[0]!));
  return smallest === Infinity ? null : smallest;
}
