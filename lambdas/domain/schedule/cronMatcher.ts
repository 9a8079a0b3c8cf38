import type { CronFields, DayOfMonthRule, DayOfWeekRule } from './scheduleTypes';
import { daysInMonth, splitWall, weekdayOf } from './wallClock';
import type { WallSeconds } from './wallClock';

/** Bit (d - 1) set means day d of the month. */
export type DayMask = number;

const bit = (day: number): number => 1 << (day - 1);

function dayOfMonthMask(rule: DayOfMonthRule, length: number, firstWeekday: number): DayMask {
  const weekdayOfDay = (day: number): number => (firstWeekday + day - 1) % 7;
  let mask = 0;
  for (const day of rule.days) if (day <= length) mask |= bit(day);
  for (const back of rule.fromLastDay) if (length - back >= 1) mask |= bit(length - back);
  for (const day of rule.nearestWeekday) {
    if (day > length) continue; // like a plain 31 in a 30-day month: no run
    const weekday = weekdayOfDay(day);
    let target = day;
    if (weekday === 6) target = day === 1 ? 3 : day - 1; // Saturday: Friday, or Monday the 3rd
    if (weekday === 0) target = day === length ? day - 2 : day + 1; // Sunday: Monday, or Friday
    mask |= bit(target);
  }
  if (rule.lastWeekday) {
    const weekday = weekdayOfDay(length);
    mask |= bit(weekday === 6 ? length - 1 : weekday === 0 ? length - 2 : length);
  }
  return mask;
}

function dayOfWeekMask(rule: DayOfWeekRule, length: number, firstWeekday: number): DayMask {
  let mask = 0;
  for (const weekday of rule.weekdays) {
    for (let day = 1 + ((weekday - firstWeekday + 7) % 7); day <= length; day += 7) mask |= bit(day);
  }
  const lastWeekday = (firstWeekday + length - 1) % 7;
  for (const weekday of rule.lastOfMonth) mask |= bit(length - ((lastWeekday - weekday + 7) % 7));
  for (const { weekday, n } of rule.nthOfMonth) {
    const day = 1 + ((weekday - firstWeekday + 7) % 7) + 7 * (n - 1);
    if (day <= length) mask |= bit(day);
  }
  return mask;
}

/**
 * The days of a month on which the expression runs. With both day fields restricted a day
 * matching either runs (Vixie cron's OR rule); with one restricted, that one decides.
 */
export function matchingDaysInMonth(fields: CronFields, year: number, month: number): DayMask {
  const length = daysInMonth(year, month);
  const { dayOfMonth, dayOfWeek } = fields;
  if (!dayOfMonth && !dayOfWeek) return 2 ** length - 1;
  const firstWeekday = weekdayOf(year, month, 1);
  const byMonthDay = dayOfMonth ? dayOfMonthMask(dayOfMonth, length, firstWeekday) : 0;
  const byWeekday = dayOfWeek ? dayOfWeekMask(dayOfWeek, length, firstWeekday) : 0;
  return byMonthDay | byWeekday;
}

export function isDayInMask(mask: DayMask, day: number): boolean {
  return (mask & bit(day)) !== 0;
}

/** Whether a wall time matches every field of the expression. */
export function matchesWall(fields: CronFields, wall: WallSeconds): boolean {
  const p = splitWall(wall);
  return (
    fields.seconds.includes(p.second) &&
    fields.minutes.includes(p.minute) &&
    fields.hours.includes(p.hour) &&
    fields.months.includes(p.month) &&
    (fields.years === null || fields.years.includes(p.year)) &&
    isDayInMask(matchingDaysInMonth(fields, p.year, p.month), p.day)
  );
}
