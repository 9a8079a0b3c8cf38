import type { CronSpec } from './cronFields';
import { daysInMonth, parseDayOfMonth, parseDayOfWeek, parseMonths, parseRange } from './cronFields';
import { ScheduleSyntaxError } from './scheduleErrors';
import { instantOf, isValidTimeZone } from './zonedTime';

export type Schedule =
  | { readonly kind: 'at'; readonly expression: string; readonly timezone: string; readonly at: Date }
  | { readonly kind: 'rate'; readonly expression: string; readonly timezone: string; readonly intervalMs: number }
  | { readonly kind: 'cron'; readonly expression: string; readonly timezone: string; readonly spec: CronSpec };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const UNITS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function parseAt(inner: string, timezone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(inner.trim());
  if (!match) throw new ScheduleSyntaxError('schedule', `schedule: at() needs an ISO date-time such as at(2026-12-01T09:00:00Z), got "${inner}"`);
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > daysInMonth(parts[0], parts[1]) || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) {
    throw new ScheduleSyntaxError('schedule', `schedule: ${inner} is not a valid date-time`);
  }
  const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  const wall = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
  if (zone === 'Z') return new Date(wall);
  if (zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    if (oh > 18 || om > 59) throw new ScheduleSyntaxError('schedule', `schedule: offset ${zone} is out of range`);
    return new Date(wall - sign * (oh * 3_600_000 + om * 60_000));
  }
  return new Date(instantOf(wall - ms, timezone).ms + ms);
}

function parseRate(inner: string): number {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(inner);
  if (!match) throw new ScheduleSyntaxError('schedule', `schedule: rate() needs "value unit", such as rate(5 minutes), got "${inner}"`);
  const value = Number(match[1]);
  const unit = match[2]!;
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  if (!(singular in UNITS)) throw new ScheduleSyntaxError('schedule', `schedule: rate unit "${unit}" must be seconds, minutes, hours or days`);
  if (value < 1) throw new ScheduleSyntaxError('schedule', 'schedule: rate value must be at least 1');
  if (value === 1 && unit !== singular) throw new ScheduleSyntaxError('schedule', `schedule: use the singular unit with 1, as in rate(1 ${singular})`);
  if (value !== 1 && unit === singular) throw new ScheduleSyntaxError('schedule', `schedule: use the plural unit with ${value}, as in rate(${value} ${singular}s)`);
  return value * UNITS[singular]!;
}

function parseEventBridgeCron(inner: string): CronSpec {
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleSyntaxError('schedule', `schedule: cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleSyntaxError('day-of-month', 'day-of-month: exactly one of day-of-month and day-of-week must be "?" in cron()');
  }
  return {
    seconds: [0],
    minutes: parseRange(min, 'minute', 0, 59),
    hours: parseRange(hour, 'hour', 0, 23),
    dom: parseDayOfMonth(dom),
    months: parseMonths(month),
    dow: parseDayOfWeek(dow, 1),
    years: year === '*' ? null : new Set(parseRange(year, 'year', 1970, 2199)),
    either: false,
  };
}

function parseBareCron(expression: string): CronSpec {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new ScheduleSyntaxError('schedule', `schedule: a cron expression has 5 fields (or 6 with seconds first), got ${fields.length}`);
  }
  const [sec, min, hour, dom, month, dow] = (fields.length === 6 ? fields : ['0', ...fields]) as [string, string, string, string, string, string];
  const domStar = dom.startsWith('*') || dom === '?';
  const dowStar = dow.startsWith('*') || dow === '?';
  return {
    seconds: parseRange(sec, 'second', 0, 59),
    minutes: parseRange(min, 'minute', 0, 59),
    hours: parseRange(hour, 'hour', 0, 23),
    dom: domStar ? parseDayOfMonth('*') : parseDayOfMonth(dom),
    months: parseMonths(month),
    dow: dowStar ? parseDayOfWeek('*', 0) : parseDayOfWeek(dow, 0),
    years: null,
    either: !domStar && !dowStar,
  };
}

/** A cron that can never fire: no month has the days it asks for. */
function assertCanFire(spec: CronSpec): void {
  if (!spec.dom.any && spec.dow.any && !spec.dom.last && !spec.dom.lastWeekday) {
    const wanted = [...spec.dom.days, ...spec.dom.nearestWeekday];
    const possible = [...spec.months].some((m) => wanted.some((d) => d <= daysInMonth(2024, m)));
    if (!possible) throw new ScheduleSyntaxError('schedule', 'schedule: never fires (no month has that day)');
  }
}

/** Parses any schedule form of the contract; throws ScheduleSyntaxError naming the field. */
export function parseSchedule(expression: string, timezone = 'UTC'): Schedule {
  if (!isValidTimeZone(timezone)) throw new ScheduleSyntaxError('timezone', `timezone: "${timezone}" is not an IANA time zone`);
  const text = expression.trim();
  const wrapped = /^(at|rate|cron)\((.*)\)$/s.exec(text);
  if (wrapped) {
    const [, kind, inner] = wrapped as unknown as [string, 'at' | 'rate' | 'cron', string];
    if (kind === 'at') return { kind, expression, timezone, at: parseAt(inner, timezone) };
    if (kind === 'rate') return { kind, expression, timezone, intervalMs: parseRate(inner) };
    const spec = parseEventBridgeCron(inner);
    assertCanFire(spec);
    return { kind, expression, timezone, spec };
  }
  if (text.startsWith('@')) {
    if (text === '@reboot') throw new ScheduleSyntaxError('schedule', 'schedule: @reboot is not supported: Tock has no reboot to run at');
    const macro = MACROS[text];
    if (!macro) throw new ScheduleSyntaxError('schedule', `schedule: unknown macro ${text}`);
    return { kind: 'cron', expression, timezone, spec: parseBareCron(macro) };
  }
  if (!/^[\d*?,\-/A-Za-z#\s]+$/.test(text)) throw new ScheduleSyntaxError('schedule', `schedule: "${expression}" is not at(), rate(), cron() or a cron expression`);
  const spec = parseBareCron(text);
  assertCanFire(spec);
  return { kind: 'cron', expression, timezone, spec };
}
