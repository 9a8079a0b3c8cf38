import { ScheduleSyntaxError } from './scheduleErrors';

export interface CronSpec {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number> | null;
  readonly dom: DayOfMonthRule;
  readonly dow: DayOfWeekRule;
  /** Both restricted: a day matching either runs (Vixie cron). */
  readonly either: boolean;
}

export interface DayOfMonthRule {
  readonly any: boolean;
  readonly days: ReadonlySet<number>;
  readonly last: boolean;
  readonly lastWeekday: boolean;
  readonly nearestWeekday: readonly number[];
}

export interface DayOfWeekRule {
  readonly any: boolean;
  readonly days: ReadonlySet<number>;
  /** nL: the last weekday n of the month. */
  readonly lastOf: readonly number[];
  /** n#k: the k-th weekday n of the month. */
  readonly nth: ReadonlyArray<readonly [number, number]>;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function num(text: string, field: string, min: number, max: number, names?: readonly string[], nameBase = 0): number {
  const upper = text.toUpperCase();
  if (names) {
    const i = names.indexOf(upper);
    if (i >= 0) return i + nameBase;
  }
  if (!/^\d+$/.test(text)) throw new ScheduleSyntaxError(field, `${field}: "${text}" is not a number${names ? ' or a name' : ''}`);
  const value = Number(text);
  if (value < min || value > max) throw new ScheduleSyntaxError(field, `${field}: ${value} is out of range ${min}-${max}`);
  return value;
}

/** A plain field: *, n, a-b, lists and steps. */
export function parseRange(text: string, field: string, min: number, max: number, names?: readonly string[], nameBase = 0): number[] {
  if (text === '') throw new ScheduleSyntaxError(field, `${field}: is empty`);
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new ScheduleSyntaxError(field, `${field}: "${part}" has more than one step`);
    const step = stepText === undefined ? 1 : num(stepText, field, 1, max - min + 1);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      lo = num(a!, field, min, max, names, nameBase);
      hi = num(b!, field, min, max, names, nameBase);
      if (lo > hi) throw new ScheduleSyntaxError(field, `${field}: range ${a}-${b} runs backwards`);
    } else {
      lo = num(range!, field, min, max, names, nameBase);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

export function parseDayOfMonth(text: string, field = 'day-of-month'): DayOfMonthRule {
  if (text === '?' || text === '*') return { any: true, days: new Set(), last: false, lastWeekday: false, nearestWeekday: [] };
  const days = new Set<number>();
  let last = false;
  let lastWeekday = false;
  const nearestWeekday: number[] = [];
  for (const part of text.split(',')) {
    const upper = part.toUpperCase();
    if (upper === 'L') last = true;
    else if (upper === 'LW') lastWeekday = true;
    else if (/^\d+W$/.test(upper)) nearestWeekday.push(num(upper.slice(0, -1), field, 1, 31));
    else for (const d of parseRange(part, field, 1, 31)) days.add(d);
  }
  return { any: false, days, last, lastWeekday, nearestWeekday };
}

/** Day of week with `base` 0 (Vixie: 0-7, 0 and 7 Sunday) or 1 (EventBridge: 1-7, 1 Sunday). */
export function parseDayOfWeek(text: string, base: 0 | 1, field = 'day-of-week'): DayOfWeekRule {
  if (text === '?' || text === '*') return { any: true, days: new Set(), lastOf: [], nth: [] };
  const max = base === 0 ? 7 : 7;
  const min = base === 0 ? 0 : 1;
  const toSunday0 = (v: number) => (base === 0 ? v % 7 : v - 1);
  const days = new Set<number>();
  const lastOf: number[] = [];
  const nth: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const upper = part.toUpperCase();
    if (/^[A-Z0-9]+L$/.test(upper) && upper !== 'L') {
      lastOf.push(toSunday0(num(upper.slice(0, -1), field, min, max, DAYS, base)));
    } else if (upper === 'L') {
      lastOf.push(6);
    } else if (upper.includes('#')) {
      const [d, k] = upper.split('#');
      nth.push([toSunday0(num(d!, field, min, max, DAYS, base)), num(k!, field, 1, 5)]);
    } else {
      for (const d of parseRange(part, field, min, max, DAYS, base)) days.add(toSunday0(d));
    }
  }
  return { any: false, days, lastOf, nth };
}

export function parseMonths(text: string): Set<number> {
  return new Set(parseRange(text, 'month', 1, 12, MONTHS, 1));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return d.getUTCDay();
}

function domMatches(rule: DayOfMonthRule, year: number, month: number, day: number): boolean {
  const length = daysInMonth(year, month);
  if (rule.days.has(day)) return true;
  if (rule.last && day === length) return true;
  const isWeekday = (d: number) => {
    const w = weekday(year, month, d);
    return w !== 0 && w !== 6;
  };
  if (rule.lastWeekday) {
    let d = length;
    while (!isWeekday(d)) d--;
    if (d === day) return true;
  }
  for (const target of rule.nearestWeekday) {
    if (target > length) continue;
    let d = target;
    const w = weekday(year, month, d);
    if (w === 6) d = d === 1 ? 3 : d - 1;
    else if (w === 0) d = d === length ? d - 2 : d + 1;
    if (d === day) return true;
  }
  return false;
}

function dowMatches(rule: DayOfWeekRule, year: number, month: number, day: number): boolean {
  const w = weekday(year, month, day);
  if (rule.days.has(w)) return true;
  const length = daysInMonth(year, month);
  if (rule.lastOf.includes(w) && day + 7 > length) return true;
  return rule.nth.some(([d, k]) => d === w && Math.ceil(day / 7) === k);
}

export function dayMatches(spec: CronSpec, year: number, month: number, day: number): boolean {
  if (spec.years && !spec.years.has(year)) return false;
  if (!spec.months.has(month)) return false;
  const { dom, dow } = spec;
  if (dom.any && dow.any) return true;
  if (dom.any) return dowMatches(dow, year, month, day);
  if (dow.any) return domMatches(dom, year, month, day);
  return spec.either ? domMatches(dom, year, month, day) || dowMatches(dow, year, month, day) : domMatches(dom, year, month, day) && dowMatches(dow, year, month, day);
}
