import { ScheduleSyntaxError } from './scheduleErrors';
import type { RateSchedule } from './scheduleTypes';

const UNIT_SECONDS: Readonly<Record<string, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400 };
/** Keeps every interval well inside the Date range. */
const MAX_VALUE = 1_000_000;

/**
 * Parses the inside of `rate(value unit)`, EventBridge style: value a whole number >= 1, unit
 * second(s), minute(s), hour(s) or day(s), singular exactly when the value is 1.
 */
export function parseRate(expression: string, inner: string, timezone: string): RateSchedule {
  const m = /^(\S+)\s+(\S+)$/.exec(inner.trim());
  if (!m) throw new ScheduleSyntaxError('schedule', `rate() needs '<value> <unit>', e.g. rate(5 minutes); got '${inner}'`);
  const [, valueText, unitText] = m as unknown as [string, string, string];
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1 || Number(valueText) > MAX_VALUE) {
    throw new ScheduleSyntaxError('schedule', `rate() value '${valueText}' must be a whole number of at least 1 (at most ${MAX_VALUE})`);
  }
  const value = Number(valueText);
  const unit = unitText.toLowerCase();
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  const seconds = UNIT_SECONDS[singular];
  if (seconds === undefined) {
    throw new ScheduleSyntaxError('schedule', `rate() unit '${unitText}' must be second(s), minute(s), hour(s) or day(s)`);
  }
  if (value === 1 && unit !== singular) {
    throw new ScheduleSyntaxError('schedule', `rate() takes the singular unit with 1: rate(1 ${singular}), not rate(1 ${unit})`);
  }
  if (value !== 1 && unit === singular) {
    throw new ScheduleSyntaxError('schedule', `rate() takes the plural unit with ${value}: rate(${value} ${singular}s), not rate(${value} ${unit})`);
  }
  return { kind: 'rate', expression, timezone, intervalMs: value * seconds * 1000 };
}
