import { MONTH_NAMES, parseField } from './cronField';
import { parseDayOfMonth, parseDayOfWeek } from './cronDayFields';
import { hasAnyMatchingDay } from './cronSearch';
import { ScheduleSyntaxError } from './scheduleErrors';
import type { CronDialect, CronFields, CronSchedule } from './scheduleTypes';

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const SECOND = { field: 'second', min: 0, max: 59 };
const MINUTE = { field: 'minute', min: 0, max: 59 };
const HOUR = { field: 'hour', min: 0, max: 23 };
const MONTH = { field: 'month', min: 1, max: 12, names: MONTH_NAMES, nameHint: 'JAN-DEC' };
const YEAR = { field: 'year', min: 1970, max: 2199 };

interface FieldTexts {
  second: string;
  minute: string;
  hour: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

function splitFields(text: string): string[] {
  return text.trim().split(/\s+/).filter((field) => field !== '');
}

function buildFields(texts: FieldTexts, dialect: CronDialect): CronFields {
  const fields: CronFields = {
    seconds: parseField(texts.second, SECOND),
    minutes: parseField(texts.minute, MINUTE),
    hours: parseField(texts.hour, HOUR),
    dayOfMonth: parseDayOfMonth(texts.dayOfMonth),
    months: parseField(texts.month, MONTH),
    dayOfWeek: parseDayOfWeek(texts.dayOfWeek, dialect),
    years: texts.year === '*' ? null : parseField(texts.year, YEAR),
  };
  if (!hasAnyMatchingDay(fields)) {
    throw new ScheduleSyntaxError('schedule', 'never fires: no date matches its day, month and year fields');
  }
  return fields;
}

/** The inside of EventBridge `cron(minute hour day-of-month month day-of-week year)`. */
function parseEventBridge(inner: string): CronFields {
  const parts = splitFields(inner);
  if (parts.length !== 6) {
    throw new ScheduleSyntaxError(
      'schedule',
      `cron() takes 6 fields (minute hour day-of-month month day-of-week year), got ${parts.length}`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = parts as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleSyntaxError(
      'day-of-month',
      `cron() needs exactly one of day-of-month and day-of-week to be '?', e.g. cron(0 9 * * ? *); got '${dayOfMonth}' and '${dayOfWeek}'`,
    );
  }
  return buildFields({ second: '0', minute, hour, dayOfMonth, month, dayOfWeek, year }, 'eventbridge');
}

/** A bare unix cron: 5 fields, or 6 with seconds first. */
function parseUnix(text: string): { dialect: CronDialect; fields: CronFields } {
  const parts = splitFields(text);
  if (parts.length === 5) {
    const [minute, hour, dayOfMonth, month, dayOfWeek] = parts as [string, string, string, string, string];
    return { dialect: 'unix', fields: buildFields({ second: '0', minute, hour, dayOfMonth, month, dayOfWeek, year: '*' }, 'unix') };
  }
  if (parts.length === 6) {
    const [second, minute, hour, dayOfMonth, month, dayOfWeek] = parts as [string, string, string, string, string, string];
    return {
      dialect: 'unix-seconds',
      fields: buildFields({ second, minute, hour, dayOfMonth, month, dayOfWeek, year: '*' }, 'unix'),
    };
  }
  if (parts.length === 1) {
    throw new ScheduleSyntaxError(
      'schedule',
      `'${text}' is not a schedule; use at(...), rate(...), cron(...), a 5- or 6-field cron or a @macro such as @daily`,
    );
  }
  throw new ScheduleSyntaxError(
    'schedule',
    `a cron needs 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${parts.length}`,
  );
}

function expandMacro(macro: string): string {
  const name = macro.toLowerCase();
  if (name === '@reboot') {
    throw new ScheduleSyntaxError('schedule', '@reboot is not supported: Tock runs tasks on a clock, there is no machine to boot');
  }
  const expansion = MACROS[name];
  if (!expansion) {
    throw new ScheduleSyntaxError('schedule', `unknown macro ${macro}; use one of ${Object.keys(MACROS).join(', ')}`);
  }
  return expansion;
}

/** Parses EventBridge `cron(...)`; `inner` is the text between the parentheses. */
export function parseEventBridgeCron(expression: string, inner: string, timezone: string): CronSchedule {
  return { kind: 'cron', expression, timezone, dialect: 'eventbridge', fields: parseEventBridge(inner) };
}

/** Parses a bare 5- or 6-field cron or a `@macro`. `expression` must already be trimmed. */
export function parseUnixCron(expression: string, timezone: string): CronSchedule {
  const text = expression.startsWith('@') ? expandMacro(expression) : expression;
  return { kind: 'cron', expression, timezone, ...parseUnix(text) };
}
