import { parseAt } from './parseAt';
import { parseEventBridgeCron, parseUnixCron } from './parseCron';
import { parseRate } from './parseRate';
import { ScheduleSyntaxError } from './scheduleErrors';
import type { Schedule } from './scheduleTypes';
import { isValidTimeZone } from './zonedTime';

/**
 * Parses any schedule form Tock accepts: `at(...)`, `rate(...)`, EventBridge `cron(...)`,
 * a bare 5-field cron, a 6-field cron with seconds first, or a `@macro`.
 * Throws ScheduleSyntaxError whose message names the field and the reason,
 * e.g. "minute: 61 is out of range 0-59".
 */
export function parseSchedule(expression: string, timezone = 'UTC'): Schedule {
  if (!isValidTimeZone(timezone)) {
    throw new ScheduleSyntaxError('timezone', `'${timezone}' is not an IANA time zone such as Europe/Paris or UTC`);
  }
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new ScheduleSyntaxError('schedule', 'is empty');
  }
  const text = expression.trim();
  const call = /^([a-z]+)\s*\((.*)\)$/is.exec(text);
  if (call) {
    const name = call[1]!.toLowerCase();
    if (name === 'at') return parseAt(text, call[2]!, timezone);
    if (name === 'rate') return parseRate(text, call[2]!, timezone);
    if (name === 'cron') return parseEventBridgeCron(text, call[2]!, timezone);
    throw new ScheduleSyntaxError('schedule', `unknown form '${call[1]}(...)'; use at(...), rate(...) or cron(...)`);
  }
  if (/^[a-z]+\s*\(/i.test(text)) {
    throw new ScheduleSyntaxError('schedule', `'${text}' is missing its closing ')'`);
  }
  return parseUnixCron(text, timezone);
}
