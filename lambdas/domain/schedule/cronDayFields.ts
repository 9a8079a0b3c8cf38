import { parseFieldItem, parseFieldValue, splitList, weekdayNames } from './cronField';
import type { FieldSpec } from './cronField';
import { ScheduleSyntaxError } from './scheduleErrors';
import type { CronDialect, DayOfMonthRule, DayOfWeekRule } from './scheduleTypes';

const DAY_OF_MONTH: FieldSpec = { field: 'day-of-month', min: 1, max: 31 };

function isUnrestricted(text: string): boolean {
  return text === '*' || text === '?';
}

function refuseLoneQuestionMark(item: string, field: string): void {
  if (item === '?') throw new ScheduleSyntaxError(field, `'?' must stand alone, not in a list`);
}

/**
 * Day of month: values, ranges and steps over 1-31, plus `L` (last day), `L-n` (n days before
 * the last), `nW` (weekday nearest to day n, within the month) and `LW` (last weekday).
 * Returns null for `*` and `?`, which leave the day unrestricted.
 */
export function parseDayOfMonth(text: string): DayOfMonthRule | null {
  if (isUnrestricted(text)) return null;
  const days = new Set<number>();
  const fromLastDay = new Set<number>();
  const nearestWeekday = new Set<number>();
  let lastWeekday = false;
  for (const raw of splitList(text, DAY_OF_MONTH)) {
    const item = raw.toUpperCase();
    refuseLoneQuestionMark(item, 'day-of-month');
    const back = /^L(?:-(\d+))?$/.exec(item);
    const weekday = /^(\d+)W$/.exec(item);
    if (item === 'LW') {
      lastWeekday = true;
    } else if (back) {
      const n = back[1] === undefined ? 0 : Number(back[1]);
      if (n > 30) throw new ScheduleSyntaxError('day-of-month', `${raw}: days before the last must be 0-30`);
      fromLastDay.add(n);
    } else if (weekday) {
      nearestWeekday.add(parseFieldValue(weekday[1]!, DAY_OF_MONTH));
    } else if (/W/.test(item)) {
      throw new ScheduleSyntaxError('day-of-month', `'${raw}': W follows a single day, as in 15W or LW`);
    } else {
      for (const v of parseFieldItem(item, DAY_OF_MONTH)) days.add(v);
    }
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return { days: sorted(days), fromLastDay: sorted(fromLastDay), nearestWeekday: sorted(nearestWeekday), lastWeekday };
}

function weekdaySpec(dialect: CronDialect): FieldSpec {
  return dialect === 'eventbridge'
    ? { field: 'day-of-week', min: 1, max: 7, names: weekdayNames(1), nameHint: 'SUN-SAT, 1 = SUN' }
    : { field: 'day-of-week', min: 0, max: 7, names: weekdayNames(0), nameHint: 'SUN-SAT, 0 or 7 = SUN' };
}

/**
 * Day of week: values, names, ranges and steps, plus `L` alone (Saturday, the last day of the
 * week), `xL` (last weekday x of the month) and `x#n` (n-th weekday x of the month, n 1-5).
 * Unix cron numbers 0-7 (0 and 7 = Sunday); EventBridge numbers 1-7 (1 = Sunday).
 * Returns null for `*` and `?`. Weekdays come out as 0-6 with 0 = Sunday.
 */
export function parseDayOfWeek(text: string, dialect: CronDialect): DayOfWeekRule | null {
  if (isUnrestricted(text)) return null;
  const spec = weekdaySpec(dialect);
  const toWeekday = (v: number): number => (dialect === 'eventbridge' ? v - 1 : v % 7);
  const weekdays = new Set<number>();
  const lastOfMonth = new Set<number>();
  const nth = new Map<string, { weekday: number; n: number }>();
  for (const raw of splitList(text, spec)) {
    const item = raw.toUpperCase();
    refuseLoneQuestionMark(item, 'day-of-week');
    const last = /^(.+)L$/.exec(item);
    const hash = /^(.+)#(.*)$/.exec(item);
    if (item === 'L') {
      weekdays.add(6);
    } else if (last) {
      lastOfMonth.add(toWeekday(parseFieldValue(last[1]!, spec)));
    } else if (hash) {
      const weekday = toWeekday(parseFieldValue(hash[1]!, spec));
      if (!/^[1-5]$/.test(hash[2]!)) {
        throw new ScheduleSyntaxError('day-of-week', `'${raw}': the occurrence after # must be 1-5`);
      }
      const n = Number(hash[2]);
      nth.set(`${weekday}#${n}`, { weekday, n });
    } else {
      for (const v of parseFieldItem(item, spec)) weekdays.add(toWeekday(v));
    }
  }
  return {
    weekdays: [...weekdays].sort((a, b) => a - b),
    lastOfMonth: [...lastOfMonth].sort((a, b) => a - b),
    nthOfMonth: [...nth.values()].sort((a, b) => a.weekday - b.weekday || a.n - b.n),
  };
}
