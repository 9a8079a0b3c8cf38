import { describe, expect, it } from 'vitest';
import { isRecurring, minimumIntervalSeconds, parseSchedule } from '../../../lambdas/domain/schedule';

const DAY = 86_400;

describe('minimumIntervalSeconds', () => {
  it.each([
    ['at(2026-12-01T09:00:00Z)', null],
    ['rate(1 second)', 1],
    ['rate(5 minutes)', 300],
    ['rate(1 day)', DAY],
    ['*/10 * * * * *', 10],
    ['* * * * *', 60],
    ['0,30 * * * *', 1800],
    ['0 9,17 * * *', 8 * 3600],
    ['0,59 0,23 * * *', 60], // 23:59 -> 00:00 the next day
    ['0 9 * * *', DAY],
    ['0 9 * * 1-5', DAY],
    ['0 9 * * 1', 7 * DAY],
    ['0 0 13 * 5', DAY], // Friday 12th -> Saturday 13th
    ['0 0 1 * *', 28 * DAY], // Feb 1 -> Mar 1 in a common year
    ['0 0 L * *', 28 * DAY], // Jan 31 -> Feb 28
    ['0 0 29 2 *', 1461 * DAY], // four years, leap day included
    ['cron(0 0 1 1 ? 2027,2030)', 1096 * DAY],
    ['cron(0 0 1 1 ? 2027)', null], // runs once
  ])('should give %s a smallest gap of %s seconds', (expression, expected) => {
    expect(minimumIntervalSeconds(parseSchedule(expression))).toBe(expected);
  });
});

describe('isRecurring', () => {
  it.each([
    ['at(2026-12-01T09:00:00Z)', false],
    ['rate(5 minutes)', true],
    ['0 9 * * *', true],
    ['cron(0 0 1 1 ? 2027)', true],
  ])('should say %s recurs: %s', (expression, expected) => {
    expect(isRecurring(parseSchedule(expression))).toBe(expected);
  });
});
