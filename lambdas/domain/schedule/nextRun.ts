import { CALENDAR_CYCLE_YEARS, FIRST_YEAR, LAST_YEAR, nextMatchingWall, previousMatchingWall } from './cronSearch';
import type { CronSchedule, RateSchedule, Schedule } from './scheduleTypes';
import { SECONDS_PER_DAY, splitWall, wallFromParts } from './wallClock';
import { repeatedStretchEnd, resolveWall, wallAt } from './zonedTime';

/** Largest instant a Date can hold. */
const MAX_DATE_MS = 8.64e15;

function instantMs(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

/** Rate runs are anchor + k * interval, k >= 1; the anchor defaults to the Unix epoch. */
function anchorMs(anchor: Date | undefined): number {
  return anchor === undefined ? 0 : Math.floor(instantMs(anchor, 'anchor') / 1000) * 1000;
}

function nextRateRun(s: RateSchedule, afterMs: number, anchor: Date | undefined): number | null {
  const start = anchorMs(anchor);
  const k = Math.max(1, Math.floor((afterMs - start) / s.intervalMs) + 1);
  const run = start + k * s.intervalMs;
  return run <= MAX_DATE_MS ? run : null;
}

function previousRateRun(s: RateSchedule, beforeMs: number, anchor: Date | undefined): number | null {
  const start = anchorMs(anchor);
  const k = Math.ceil((beforeMs - start) / s.intervalMs) - 1;
  return k >= 1 ? start + k * s.intervalMs : null;
}

/** The wall-clock range the cron search covers; instants beyond it are clamped to its edges. */
const EARLIEST_WALL = wallFromParts(FIRST_YEAR, 1, 1);
const LATEST_WALL = wallFromParts(LAST_YEAR + 1, 1, 1) - 1;
/** More than any UTC offset: an instant this far outside the range has a wall time outside it too. */
const MARGIN = 2 * SECONDS_PER_DAY;

/**
 * Next cron run in epoch seconds. Wall times resolve to instants monotonically (a skipped time
 * runs right after the gap, a repeated one at its first pass), so the search starts at the first
 * wall time that can resolve after `after`: the next wall second, or, inside the second pass of
 * a repeated stretch, the end of that stretch (every earlier wall time already ran).
 */
export function nextCronRun(s: CronSchedule, afterMs: number): number | null {
  const after = Math.max(Math.floor(afterMs / 1000), EARLIEST_WALL - MARGIN);
  if (after > LATEST_WALL + MARGIN) return null;
  let from = Math.max(repeatedStretchEnd(s.timezone, after + 1) ?? wallAt(s.timezone, after) + 1, EARLIEST_WALL);
  // Without a year field every valid expression matches within one calendar cycle.
  const untilYear = s.fields.years ? LAST_YEAR : splitWall(from).year + CALENDAR_CYCLE_YEARS + 1;
  for (;;) {
    const wall = nextMatchingWall(s.fields, from, untilYear);
    if (wall === null) return null;
    const run = resolveWall(s.timezone, wall).epochSeconds;
    if (run > after) return run;
    from = wall + 1;
  }
}

/** Last cron run in epoch seconds strictly before `beforeMs`; the mirror image of nextCronRun. */
export function previousCronRun(s: CronSchedule, beforeMs: number): number | null {
  const last = Math.min(Math.ceil(beforeMs / 1000) - 1, LATEST_WALL + MARGIN);
  if (last < EARLIEST_WALL - MARGIN) return null;
  const stretchEnd = repeatedStretchEnd(s.timezone, last);
  let from = Math.min(stretchEnd === null ? wallAt(s.timezone, last) : stretchEnd - 1, LATEST_WALL);
  const sinceYear = s.fields.years ? FIRST_YEAR : splitWall(from).year - CALENDAR_CYCLE_YEARS - 1;
  for (;;) {
    const wall = previousMatchingWall(s.fields, from, sinceYear);
    if (wall === null) return null;
    const run = resolveWall(s.timezone, wall).epochSeconds;
    if (run <= last) return run;
    from = wall - 1;
  }
}

const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const secondsToDate = (seconds: number | null): Date | null => (seconds === null ? null : new Date(seconds * 1000));

/**
 * First run strictly after `after`, or null when the schedule never runs again.
 * `anchor` (truncated to the second) starts a rate schedule: runs at anchor + k * interval, k >= 1.
 */
export function nextRun(s: Schedule, after: Date, anchor?: Date): Date | null {
  const afterMs = instantMs(after, 'after');
  switch (s.kind) {
    case 'at':
      return s.at.getTime() > afterMs ? new Date(s.at.getTime()) : null;
    case 'rate':
      return toDate(nextRateRun(s, afterMs, anchor));
    case 'cron':
      return secondsToDate(nextCronRun(s, afterMs));
  }
}

/** Last run strictly before `before`, or null. */
export function previousRun(s: Schedule, before: Date, anchor?: Date): Date | null {
  const beforeMs = instantMs(before, 'before');
  switch (s.kind) {
    case 'at':
      return s.at.getTime() < beforeMs ? new Date(s.at.getTime()) : null;
    case 'rate':
      return toDate(previousRateRun(s, beforeMs, anchor));
    case 'cron':
      return secondsToDate(previousCronRun(s, beforeMs));
  }
}
