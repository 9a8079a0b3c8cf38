/**
 * A deliberately naive cron matcher for the tests, written independently of the engine: it
 * tests each token against one wall-clock reading instead of expanding fields into sets.
 */

export interface WallReading {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const lengthOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekdayOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay();
const isWorkday = (weekday: number): boolean => weekday >= 1 && weekday <= 5;

function valueOf(text: string, names: string[], firstNameValue: number): number {
  const index = names.indexOf(text.toUpperCase());
  return index >= 0 ? index + firstNameValue : Number(text);
}

/** `*`, `n`, `a-b`, `*\/s`, `a-b/s`, `a/s` against one value. */
function tokenMatches(token: string, value: number, min: number, max: number, names: string[] = [], firstNameValue = 0): boolean {
  const [range, stepText] = token.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  let low: number;
  let high: number;
  if (range === '*' || range === '?') {
    low = min;
    high = max;
  } else if (range!.includes('-')) {
    const [a, b] = range!.split('-');
    low = valueOf(a!, names, firstNameValue);
    high = valueOf(b!, names, firstNameValue);
  } else {
    low = valueOf(range!, names, firstNameValue);
    high = stepText === undefined ? low : max;
  }
  return value >= low && value <= high && (value - low) % step === 0;
}

const anyToken = (field: string, test: (token: string) => boolean): boolean => field.split(',').some(test);

function nearestWorkday(target: number, year: number, month: number): number | null {
  const length = lengthOf(year, month);
  if (target > length) return null;
  for (const distance of [0, 1, 2]) {
    for (const day of [target - distance, target + distance]) {
      if (day >= 1 && day <= length && isWorkday(weekdayOf(year, month, day))) return day;
    }
  }
  return null;
}

function dayOfMonthMatches(field: string, w: WallReading): boolean {
  const length = lengthOf(w.year, w.month);
  return anyToken(field.toUpperCase(), (token) => {
    if (token === 'L') return w.day === length;
    if (token.startsWith('L-')) return w.day === length - Number(token.slice(2));
    if (token === 'LW') {
      let day = length;
      while (!isWorkday(weekdayOf(w.year, w.month, day))) day--;
      return w.day === day;
    }
    if (token.endsWith('W')) return nearestWorkday(Number(token.slice(0, -1)), w.year, w.month) === w.day;
    return tokenMatches(token, w.day, 1, 31);
  });
}

function dayOfWeekMatches(field: string, w: WallReading, eventBridge: boolean): boolean {
  const weekday = weekdayOf(w.year, w.month, w.day);
  const length = lengthOf(w.year, w.month);
  // The weekday as the expression numbers it (unix also accepts 7 for Sunday).
  const spellings = eventBridge ? [weekday + 1] : weekday === 0 ? [0, 7] : [weekday];
  const firstNameValue = eventBridge ? 1 : 0;
  const isWeekday = (text: string): boolean => spellings.includes(valueOf(text, WEEKDAYS, firstNameValue));
  return anyToken(field.toUpperCase(), (token) => {
    if (token === 'L') return weekday === 6;
    if (token.endsWith('L')) return isWeekday(token.slice(0, -1)) && w.day + 7 > length;
    if (token.includes('#')) {
      const [day, n] = token.split('#');
      return isWeekday(day!) && Math.ceil(w.day / 7) === Number(n);
    }
    return spellings.some((v) => tokenMatches(token, v, eventBridge ? 1 : 0, 7, WEEKDAYS, firstNameValue));
  });
}

/** Returns a predicate telling whether a wall-clock reading matches the expression. */
export function cronOracle(expression: string): (w: WallReading) => boolean {
  let text = expression.trim();
  text = MACROS[text.toLowerCase()] ?? text;
  const eventBridge = /^cron\(/i.test(text);
  const parts = (eventBridge ? text.slice(5, -1) : text).trim().split(/\s+/);
  let second = '0', minute: string, hour: string, dom: string, month: string, dow: string, year = '*';
  if (eventBridge) [minute, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  else if (parts.length === 5) [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  else [second, minute, hour, dom, month, dow] = parts as [string, string, string, string, string, string];
  const domFree = dom === '*' || dom === '?';
  const dowFree = dow === '*' || dow === '?';

  return (w) => {
    if (!anyToken(second, (t) => tokenMatches(t, w.second, 0, 59))) return false;
    if (!anyToken(minute, (t) => tokenMatches(t, w.minute, 0, 59))) return false;
    if (!anyToken(hour, (t) => tokenMatches(t, w.hour, 0, 23))) return false;
    if (!anyToken(month, (t) => tokenMatches(t, w.month, 1, 12, MONTHS, 1))) return false;
    if (!anyToken(year, (t) => tokenMatches(t, w.year, 1970, 2199))) return false;
    if (domFree && dowFree) return true;
    if (domFree) return dayOfWeekMatches(dow, w, eventBridge);
    if (dowFree) return dayOfMonthMatches(dom, w);
    return dayOfMonthMatches(dom, w) || dayOfWeekMatches(dow, w, eventBridge);
  };
}
