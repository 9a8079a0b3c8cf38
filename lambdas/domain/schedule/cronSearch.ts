import { isDayInMask, matchingDaysInMonth } from './cronMatcher';
import type { CronFields } from './scheduleTypes';
import { daysInMonth, splitWall, wallFromParts } from './wallClock';
import type { WallSeconds } from './wallClock';

/**
 * Field-by-field search for matching wall times. Each step jumps straight to the next
 * candidate year, month, day, hour, minute or second, so a yearly expression costs a handful
 * of steps and a per-second one a single step.
 */

/** The wall clock stays within these years (Date.UTC is exact there and it is far enough). */
export const FIRST_YEAR = 1000;
export const LAST_YEAR = 9999;
/** The Gregorian calendar repeats every 400 years: a valid day pattern matches within any such span. */
export const CALENDAR_CYCLE_YEARS = 400;

const firstAtLeast = (values: readonly number[], min: number): number | undefined => values.find((v) => v >= min);

function lastAtMost(values: readonly number[], max: number): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (values[i]! <= max) return values[i];
  return undefined;
}

function firstDayAtLeast(fields: CronFields, year: number, month: number, day: number): number | undefined {
  const mask = matchingDaysInMonth(fields, year, month);
  for (let d = day, n = daysInMonth(year, month); d <= n; d++) if (isDayInMask(mask, d)) return d;
  return undefined;
}

function lastDayAtMost(fields: CronFields, year: number, month: number, day: number): number | undefined {
  const mask = matchingDaysInMonth(fields, year, month);
  for (let d = Math.min(day, daysInMonth(year, month)); d >= 1; d--) if (isDayInMask(mask, d)) return d;
  return undefined;
}

/** First matching wall time at or after `from`, or null past `untilYear`. */
export function nextMatchingWall(fields: CronFields, from: WallSeconds, untilYear: number): WallSeconds | null {
  let wall = from;
  const lastYear = Math.min(untilYear, fields.years?.at(-1) ?? LAST_YEAR, LAST_YEAR);
  for (;;) {
    const { year, month, day, hour, minute, second } = splitWall(wall);
    if (year > lastYear) return null;
    const y = fields.years ? firstAtLeast(fields.years, year) : year;
    if (y === undefined) return null;
    if (y !== year) { wall = wallFromParts(y, 1, 1); continue; }
    const mo = firstAtLeast(fields.months, month);
    if (mo === undefined) { wall = wallFromParts(year + 1, 1, 1); continue; }
    if (mo !== month) { wall = wallFromParts(year, mo, 1); continue; }
    const d = firstDayAtLeast(fields, year, month, day);
    if (d === undefined) { wall = wallFromParts(year, month + 1, 1); continue; }
    if (d !== day) { wall = wallFromParts(year, month, d); continue; }
    const h = firstAtLeast(fields.hours, hour);
    if (h === undefined) { wall = wallFromParts(year, month, day + 1); continue; }
    if (h !== hour) { wall = wallFromParts(year, month, day, h); continue; }
    const mi = firstAtLeast(fields.minutes, minute);
    if (mi === undefined) { wall = wallFromParts(year, month, day, hour + 1); continue; }
    if (mi !== minute) { wall = wallFromParts(year, month, day, hour, mi); continue; }
    const s = firstAtLeast(fields.seconds, second);
    if (s === undefined) { wall = wallFromParts(year, month, day, hour, minute + 1); continue; }
    return wallFromParts(year, month, day, hour, minute, s);
  }
}

/** Last matching wall time at or before `from`, or null before `sinceYear`. */
export function previousMatchingWall(fields: CronFields, from: WallSeconds, sinceYear: number): WallSeconds | null {
  let wall = from;
  const firstYear = Math.max(sinceYear, fields.years?.[0] ?? FIRST_YEAR, FIRST_YEAR);
  for (;;) {
    const { year, month, day, hour, minute, second } = splitWall(wall);
    if (year < firstYear) return null;
    const y = fields.years ? lastAtMost(fields.years, year) : year;
    if (y === undefined) return null;
    if (y !== year) { wall = wallFromParts(y + 1, 1, 1) - 1; continue; }
    const mo = lastAtMost(fields.months, month);
    if (mo === undefined) { wall = wallFromParts(year, 1, 1) - 1; continue; }
    if (mo !== month) { wall = wallFromParts(year, mo + 1, 1) - 1; continue; }
    const d = lastDayAtMost(fields, year, month, day);
    if (d === undefined) { wall = wallFromParts(year, month, 1) - 1; continue; }
    if (d !== day) { wall = wallFromParts(year, month, d + 1) - 1; continue; }
    const h = lastAtMost(fields.hours, hour);
    if (h === undefined) { wall = wallFromParts(year, month, day) - 1; continue; }
    if (h !== hour) { wall = wallFromParts(year, month, day, h + 1) - 1; continue; }
    const mi = lastAtMost(fields.minutes, minute);
    if (mi === undefined) { wall = wallFromParts(year, month, day, hour) - 1; continue; }
    if (mi !== minute) { wall = wallFromParts(year, month, day, hour, mi + 1) - 1; continue; }
    const s = lastAtMost(fields.seconds, second);
    if (s === undefined) { wall = wallFromParts(year, month, day, hour, minute) - 1; continue; }
    return wallFromParts(year, month, day, hour, minute, s);
  }
}

/** Whether any day in the expression's years (or in one calendar cycle) matches its day fields. */
export function hasAnyMatchingDay(fields: CronFields): boolean {
  const years = fields.years ?? Array.from({ length: CALENDAR_CYCLE_YEARS }, (_, i) => 2000 + i);
  for (const year of years) {
    for (const month of fields.months) if (matchingDaysInMonth(fields, year, month) !== 0) return true;
  }
  return false;
}
