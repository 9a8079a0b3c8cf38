import fc from 'fast-check';
import { parseSchedule } from '../../../../lambdas/domain/schedule';

/** Random but valid cron expressions in every dialect, for property tests. */

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function rangeToken(min: number, max: number, name?: (v: number) => string): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  const show = (v: number): string => (name ? name(v) : String(v));
  const step = fc.integer({ min: 1, max: Math.max(1, Math.ceil((max - min + 1) / 2)) });
  return fc.oneof(
    value.map(show),
    fc.tuple(value, value).map(([a, b]) => `${show(Math.min(a, b))}-${show(Math.max(a, b))}`),
    step.map((s) => `*/${s}`),
    fc.tuple(value, value, step).map(([a, b, s]) => `${show(Math.min(a, b))}-${show(Math.max(a, b))}/${s}`),
    fc.tuple(value, step).map(([a, s]) => `${a}/${s}`),
  );
}

/** `*` half the time (so expressions fire often enough), else a list of 1-3 tokens. */
function field(token: fc.Arbitrary<string>, starWeight = 1): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant('*'), weight: starWeight },
    { arbitrary: fc.array(token, { minLength: 1, maxLength: 3 }).map((t) => t.join(',')), weight: 1 },
  );
}

const hour = fc.oneof(field(rangeToken(0, 23)), fc.constantFrom('0-4', '1,2', '23,0', '2', '1'));
const dayOfMonthToken = fc.oneof(
  rangeToken(1, 31),
  fc.constantFrom('L', 'LW', 'L-1', 'L-5'),
  fc.integer({ min: 1, max: 31 }).map((d) => `${d}W`),
);
const month = field(fc.oneof(rangeToken(1, 12), rangeToken(1, 12, (v) => MONTH_NAMES[v - 1]!)), 3);

function dayOfWeekToken(first: number, last: number): fc.Arbitrary<string> {
  const weekday = fc.integer({ min: first, max: last });
  return fc.oneof(
    rangeToken(first, last),
    rangeToken(first, Math.min(last, first + 6), (v) => DAY_NAMES[v - first]!),
    weekday.map((d) => `${d}L`),
    fc.tuple(weekday, fc.integer({ min: 1, max: 5 })).map(([d, n]) => `${d}#${n}`),
  );
}

const parses = (expression: string): boolean => {
  try {
    parseSchedule(expression);
    return true;
  } catch {
    return false;
  }
};

/** Unix 5-field crons. */
export const unixCron = fc
  .tuple(field(rangeToken(0, 59), 1), hour, field(dayOfMonthToken, 3), month, field(dayOfWeekToken(0, 7), 3))
  .map((f) => f.join(' '))
  .filter(parses);

/** 6-field crons, seconds first. */
export const secondsCron = fc
  .tuple(field(rangeToken(0, 59), 2), field(rangeToken(0, 59), 2), hour, field(dayOfMonthToken, 4), month, field(dayOfWeekToken(0, 7), 4))
  .map((f) => f.join(' '))
  .filter(parses);

/** EventBridge crons: one of the day fields is `?`. */
export const eventBridgeCron = fc
  .tuple(
    field(rangeToken(0, 59), 1), hour, month,
    fc.boolean(), field(dayOfMonthToken, 2), field(dayOfWeekToken(1, 7), 2),
    fc.oneof({ arbitrary: fc.constant('*'), weight: 4 }, { arbitrary: fc.constantFrom('2025-2040', '2026,2028,2031'), weight: 1 }),
  )
  .map(([minute, h, mo, byMonthDay, dom, dow, year]) =>
    `cron(${minute} ${h} ${byMonthDay ? dom : '?'} ${mo} ${byMonthDay ? '?' : dow} ${year})`)
  .filter(parses);

export const anyCron = fc.oneof(unixCron, secondsCron, eventBridgeCron);
