import { parseSchedule } from '../lambdas/domain/schedule';
import type { CronFields, DayOfMonthRule, DayOfWeekRule, Schedule } from '../lambdas/domain/schedule';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NTH = ['', 'first', 'second', 'third', 'fourth', 'fifth'];

/**
 * A schedule as a sentence: `cron(0 9 ? * MON-FRI *)` in Europe/Berlin reads "every weekday at
 * 09:00 Europe/Berlin time". Uses the scheduler's own parser, so it reads the schedule exactly as
 * it runs; an expression it cannot parse comes back as it was written.
 */
export function scheduleInWords(expression: string, timezone = 'UTC'): string {
  let schedule: Schedule;
  try {
    schedule = parseSchedule(expression, timezone);
  } catch {
    return expression;
  }
  switch (schedule.kind) {
    case 'at':
      return `once, at ${formatInstant(schedule.at, timezone)}`;
    case 'rate':
      return rateInWords(schedule.intervalMs);
    case 'cron':
      return cronInWords(schedule.fields, zoneInWords(timezone));
  }
}

/** "Europe/Berlin time", or "UTC". */
export function zoneInWords(timezone: string): string {
  return timezone === 'UTC' ? 'UTC' : `${timezone} time`;
}

function formatInstant(at: Date, timezone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((part) => [part.type, part.value]));
  const seconds = parts.second === '00' ? '' : `:${parts.second}`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${seconds} ${zoneInWords(timezone)}`;
}

function rateInWords(intervalMs: number): string {
  const seconds = intervalMs / 1000;
  for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]] as const) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return count === 1 ? `every ${unit}` : `every ${count} ${unit}s`;
    }
  }
  return `every ${seconds} seconds`;
}

/** The cron's sentence; `zone` follows the time of day, and is left out when no wall clock matters. */
function cronInWords(fields: CronFields, zone: string): string {
  const time = timeInWords(fields);
  const years = fields.years === null ? '' : ` in ${list(fields.years.map(String))}`;
  const dates = datesInWords(fields);
  if (dates !== undefined) return `${dates} at ${time.text} ${zone}${years}`;
  const days = daysInWords(fields);
  const months = fields.months.length === 12 ? '' : ` in ${list(fields.months.map((m) => MONTHS[m - 1]!))}`;
  if (time.kind === 'at') return `${days ?? 'every day'} at ${time.text} ${zone}${months}${years}`;
  const wallClockMatters = days !== undefined || months !== '' || years !== '' || fields.hours.length < 24;
  const onDays = days === undefined || days === 'every day' ? '' : `, ${days.startsWith('every ') ? `on ${plural(days.slice('every '.length))}` : days}`;
  return `${time.text}${wallClockMatters ? ` ${zone}` : ''}${onDays}${months}${years}`;
}

/** "on January 1st" when a few plain dates of restricted months run at one time of day. */
function datesInWords({ dayOfMonth, dayOfWeek, months, seconds, minutes, hours }: CronFields): string | undefined {
  if (dayOfWeek !== null || dayOfMonth === null || months.length === 12) return undefined;
  const { days, fromLastDay, nearestWeekday, lastWeekday } = dayOfMonth;
  if (fromLastDay.length + nearestWeekday.length > 0 || lastWeekday) return undefined;
  if (seconds.length !== 1 || minutes.length !== 1 || hours.length > 6 || days.length * months.length > 4) return undefined;
  return `on ${list(months.flatMap((m) => days.map((d) => `${MONTHS[m - 1]} ${ordinal(d)}`)))}`;
}

type TimeWords = { kind: 'at'; text: string } | { kind: 'repeat'; text: string };

function timeInWords({ seconds, minutes, hours }: CronFields): TimeWords {
  const second = seconds.length === 1 ? seconds[0]! : undefined;
  const minute = minutes.length === 1 ? minutes[0]! : undefined;
  if (second !== undefined && minute !== undefined && hours.length <= 6) {
    return { kind: 'at', text: list(hours.map((h) => clock(h, minute, second))) };
  }
  const inHours = hours.length === 24 ? '' : ` during hour${hours.length === 1 ? '' : 's'} ${ranges(hours, 2)}`;
  if (second !== undefined && minute !== undefined) {
    if (hours.length === 24) return { kind: 'repeat', text: minute === 0 && second === 0 ? 'every hour' : `every hour at minute ${minute}${second === 0 ? '' : `:${pad(second)}`}` };
    return { kind: 'repeat', text: `at minute ${minute}${second === 0 ? '' : `:${pad(second)}`}${inHours}` };
  }
  const atSecond = second === undefined || second === 0 ? '' : ` at second ${second}`;
  if (second !== undefined) {
    if (minutes.length === 60) return { kind: 'repeat', text: `every minute${atSecond}${inHours}` };
    const step = everyStep(minutes, 60);
    if (step !== undefined) return { kind: 'repeat', text: `every ${step} minutes${atSecond}${inHours}` };
    return { kind: 'repeat', text: `at minutes ${ranges(minutes, 2)}${atSecond}${inHours || ' of every hour'}` };
  }
  const inMinutes = minutes.length === 60 ? '' : ` during minute${minutes.length === 1 ? '' : 's'} ${ranges(minutes, 2)}`;
  if (seconds.length === 60) return { kind: 'repeat', text: `every second${inMinutes}${inHours}` };
  const step = everyStep(seconds, 60);
  if (step !== undefined) return { kind: 'repeat', text: `every ${step} seconds${inMinutes}${inHours}` };
  return { kind: 'repeat', text: `at seconds ${ranges(seconds, 2)}${inMinutes}${inHours}` };
}

/** Which days run, as a phrase starting with "every" or "on"; undefined when every day does. */
function daysInWords({ dayOfMonth, dayOfWeek }: CronFields): string | undefined {
  const ofMonth = dayOfMonth === null ? undefined : dayOfMonthInWords(dayOfMonth);
  const ofWeek = dayOfWeek === null ? undefined : dayOfWeekInWords(dayOfWeek);
  if (ofMonth !== undefined && ofWeek !== undefined) return `${ofMonth} and ${ofWeek.replace(/^every /, 'on every ')}`;
  return ofMonth ?? ofWeek;
}

function dayOfWeekInWords(rule: DayOfWeekRule): string {
  const parts: string[] = [];
  const days = [...rule.weekdays].sort((a, b) => a - b);
  if (days.join() === '1,2,3,4,5') parts.push('every weekday');
  else if (days.join() === '0,6') parts.push('every Saturday and Sunday');
  else if (days.length === 7) parts.push('every day');
  else if (days.length > 0) parts.push(`every ${list(days.map((d) => WEEKDAYS[d]!))}`);
  for (const weekday of rule.lastOfMonth) parts.push(`on the last ${WEEKDAYS[weekday]} of the month`);
  for (const { weekday, n } of rule.nthOfMonth) parts.push(`on the ${NTH[n]} ${WEEKDAYS[weekday]} of the month`);
  return list(parts);
}

function dayOfMonthInWords(rule: DayOfMonthRule): string {
  const parts: string[] = [];
  if (rule.days.length === 31) parts.push('every day');
  else if (rule.days.length > 0) parts.push(`on the ${list(rule.days.map(ordinal))} of every month`);
  for (const back of rule.fromLastDay) parts.push(back === 0 ? 'on the last day of the month' : `${back} day${back === 1 ? '' : 's'} before the last day of the month`);
  for (const day of rule.nearestWeekday) parts.push(`on the weekday nearest the ${ordinal(day)}`);
  if (rule.lastWeekday) parts.push('on the last weekday of the month');
  return list(parts);
}

/** The step when `values` are exactly 0, s, 2s, ... below `size` (a `*\/s` field). */
function everyStep(values: readonly number[], size: number): number | undefined {
  if (values.length < 2 || values[0] !== 0) return undefined;
  const step = values[1]!;
  const expected = Array.from({ length: Math.ceil(size / step) }, (_, i) => i * step);
  return expected.join() === values.join() ? step : undefined;
}

/** "9-17", "0, 15, 30 and 45": runs of three or more consecutive values become ranges. */
function ranges(values: readonly number[], width: number): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j += 1;
    if (j - i >= 2) {
      parts.push(`${pad(values[i]!, width)}-${pad(values[j]!, width)}`);
      i = j + 1;
    } else {
      parts.push(pad(values[i]!, width));
      i += 1;
    }
  }
  return list(parts);
}

function clock(hour: number, minute: number, second: number): string {
  return `${pad(hour)}:${pad(minute)}${second === 0 ? '' : `:${pad(second)}`}`;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function ordinal(day: number): string {
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  return `${day}${suffix}`;
}

/** "weekday" -> "weekdays", "Monday and Friday" -> "Mondays and Fridays". */
function plural(days: string): string {
  return days.replace(/\b(weekday|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/g, '$1s');
}

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
