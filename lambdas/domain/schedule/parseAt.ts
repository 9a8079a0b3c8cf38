import { ScheduleSyntaxError } from './scheduleErrors';
import type { AtSchedule } from './scheduleTypes';
import { daysInMonth, wallFromParts } from './wallClock';
import type { WallSeconds } from './wallClock';
import { resolveWall } from './zonedTime';

const AT_LITERAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

/** The date-time inside `at(...)`: a wall time, and the offset when one was written. */
export interface AtLiteral {
  readonly wall: WallSeconds;
  /** Seconds east of UTC, or null when the wall time is read in the schedule's time zone. */
  readonly offsetSeconds: number | null;
}

function checkRange(value: number, min: number, max: number, what: string, text: string): void {
  if (value < min || value > max) {
    throw new ScheduleSyntaxError('schedule', `at() ${what} ${value} in '${text}' is out of range ${min}-${max}`);
  }
}

/** Parses `2026-12-01T09:00:00`, with optional fraction (rounded up) and `Z` or `±hh:mm` offset. */
export function parseAtLiteral(text: string): AtLiteral {
  const m = AT_LITERAL.exec(text.trim());
  if (!m) {
    throw new ScheduleSyntaxError(
      'schedule',
      `at() needs yyyy-mm-ddThh:mm:ss (optional .fraction, then Z or ±hh:mm), e.g. at(2026-12-01T09:00:00Z); got '${text}'`,
    );
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  checkRange(month, 1, 12, 'month', text);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new ScheduleSyntaxError('schedule', `at() date ${m[1]}-${m[2]}-${m[3]} is not a valid date`);
  }
  checkRange(hour, 0, 23, 'hour', text);
  checkRange(minute, 0, 59, 'minute', text);
  checkRange(second, 0, 59, 'second', text);
  if (year < 1970) throw new ScheduleSyntaxError('schedule', `at() year ${year} is before 1970`);

  const offsetText = m[8];
  let offsetSeconds: number | null = null;
  if (offsetText !== undefined && offsetText.toUpperCase() === 'Z') {
    offsetSeconds = 0;
  } else if (offsetText !== undefined) {
    const hours = Number(offsetText.slice(1, 3));
    const minutes = Number(offsetText.slice(4, 6));
    if (hours > 18 || minutes > 59) throw new ScheduleSyntaxError('schedule', `at() offset ${offsetText} is out of range -18:00 to +18:00`);
    offsetSeconds = (offsetText.startsWith('-') ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  // Runs are whole seconds. A fraction rounds up, so the run never starts before the time written.
  const roundUp = /[1-9]/.test(m[7] ?? '') ? 1 : 0;
  return { wall: wallFromParts(year, month, day, hour, minute, second) + roundUp, offsetSeconds };
}

/** Parses the inside of `at(...)`. Without an offset the wall time is read in `timezone`. */
export function parseAt(expression: string, inner: string, timezone: string): AtSchedule {
  const literal = parseAtLiteral(inner);
  const epochSeconds = literal.offsetSeconds === null
    ? resolveWall(timezone, literal.wall).epochSeconds
    : literal.wall - literal.offsetSeconds;
  return { kind: 'at', expression, timezone, at: new Date(epochSeconds * 1000) };
}
