import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule, previousRun } from '../../../lambdas/domain/schedule';
import { nextOf, previousOf, runDatesOf, runsOf } from './support/runs';

describe('cron day rules', () => {
  it('should run Feb 29 only in leap years', () => {
    expect(runDatesOf('0 0 29 2 *', '2025-01-01T00:00:00Z', 3)).toEqual(['2028-02-29', '2032-02-29', '2036-02-29']);
  });

  it('should skip 2100 for Feb 29, as 2100 is not a leap year', () => {
    expect(nextOf('0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
  });

  it('should run day 31 only in months that have 31 days', () => {
    const months = runDatesOf('0 0 31 * *', '2026-01-01T00:00:00Z', 7).map((d) => d.slice(5, 7));
    expect(months).toEqual(['01', '03', '05', '07', '08', '10', '12']);
  });

  it('should run a day matching either day-of-month or day-of-week when both are restricted (OR rule)', () => {
    // Prepare: the 13th, or any Friday
    const expression = '0 0 13 * 5';
    // Act
    const dates = runDatesOf(expression, '2026-01-01T00:00:00Z', 5);
    // Assess: Fridays 2, 9, 16, 23 and Tuesday 13
    expect(dates).toEqual(['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16', '2026-01-23']);
  });

  it('should treat a stepped day-of-month as restricted, so the OR rule applies', () => {
    // Odd days of the month, or Mondays (Jan 12 2026 is an even Monday).
    const dates = runDatesOf('0 0 */2 * 1', '2026-01-08T00:00:00Z', 4);
    expect(dates).toEqual(['2026-01-09', '2026-01-11', '2026-01-12', '2026-01-13']);
  });

  it('should let the restricted day field decide when the other is *', () => {
    expect(runDatesOf('0 0 13 * *', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-13', '2026-02-13']);
    expect(runDatesOf('0 0 * * 5', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-02', '2026-01-09']);
  });

  it('should let the restricted day field decide when the other is ? in EventBridge cron', () => {
    expect(runDatesOf('cron(0 0 13 * ? *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-13', '2026-02-13']);
    expect(runDatesOf('cron(0 0 ? * FRI *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-02', '2026-01-09']);
  });

  it('should read 7 and 0 as Sunday in unix cron and 1 as Sunday in EventBridge cron', () => {
    expect(runDatesOf('0 0 * * 7', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-04']);
    expect(runDatesOf('0 0 * * 0', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-04']);
    expect(runDatesOf('cron(0 0 ? * 1 *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-04']);
    expect(runDatesOf('cron(0 0 ? * 7 *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-03']);
  });
});

describe('cron L, W and #', () => {
  it('should run L on the last day of each month, leap Februaries included', () => {
    expect(runDatesOf('cron(0 10 L * ? *)', '2028-01-15T00:00:00Z', 3)).toEqual(['2028-01-31', '2028-02-29', '2028-03-31']);
  });

  it('should run L-2 two days before the last day', () => {
    expect(runDatesOf('cron(0 10 L-2 * ? *)', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-26', '2026-03-29']);
  });

  it.each([
    ['15W', '2026-02-01', '2026-02-16', 'Sunday 15th moves to Monday 16th'],
    ['15W', '2025-11-01', '2025-11-14', 'Saturday 15th moves to Friday 14th'],
    ['15W', '2026-04-01', '2026-04-15', 'a Wednesday 15th stays'],
    ['1W', '2025-11-01', '2025-11-03', 'Saturday 1st moves forward to Monday 3rd, not back into October'],
    ['31W', '2026-05-01', '2026-05-29', 'Sunday 31st moves back to Friday 29th, not into June'],
    ['LW', '2026-05-01', '2026-05-29', 'last day Sunday 31st: last weekday is Friday 29th'],
    ['LW', '2026-02-01', '2026-02-27', 'last day Saturday 28th: last weekday is Friday 27th'],
  ])('should run %s from %s on %s (%s)', (dayOfMonth, from, expected) => {
    expect(runDatesOf(`cron(0 10 ${dayOfMonth} * ? *)`, `${from}T00:00:00Z`, 1)).toEqual([expected]);
  });

  it('should not run 31W in a month without a 31st', () => {
    expect(runDatesOf('cron(0 10 31W * ? *)', '2026-04-01T00:00:00Z', 1)).toEqual(['2026-05-29']);
  });

  it('should run 2#1 on the first Monday of each month', () => {
    expect(runDatesOf('cron(0 10 ? * 2#1 *)', '2026-01-01T00:00:00Z', 3)).toEqual(['2026-01-05', '2026-02-02', '2026-03-02']);
  });

  it('should run MON#5 only in months with five Mondays', () => {
    expect(runDatesOf('cron(0 10 ? * MON#5 *)', '2026-01-01T00:00:00Z', 4)).toEqual(['2026-03-30', '2026-06-29', '2026-08-31', '2026-11-30']);
  });

  it('should run 5L (unix) and 6L (EventBridge) on the last Friday of the month', () => {
    expect(runDatesOf('0 10 * * 5L', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-30', '2026-02-27']);
    expect(runDatesOf('cron(0 10 ? * 6L *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-30', '2026-02-27']);
    expect(runDatesOf('cron(0 10 ? * FRIL *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-30']);
  });

  it('should read a lone L in day-of-week as Saturday', () => {
    expect(runDatesOf('cron(0 10 ? * L *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-03', '2026-01-10']);
  });

  it('should find a rare fifth Monday of February without scanning day by day', () => {
    // Only leap years whose Feb 1 is a Monday: 2016, then 2044.
    const started = performance.now();
    expect(nextOf('cron(0 0 ? 2 MON#5 *)', '2016-03-01T00:00:00Z')).toBe('2044-02-29T00:00:00.000Z');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('cron times, steps and forms', () => {
  it('should run a 6-field cron on the second', () => {
    expect(nextOf('*/10 * * * * *', '2026-01-01T00:00:03Z')).toBe('2026-01-01T00:00:10.000Z');
  });

  it('should run steps, ranges with steps and lists', () => {
    expect(runsOf('10-50/20,5 9 * * *', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-01T09:05:00.000Z', '2026-01-01T09:10:00.000Z', '2026-01-01T09:30:00.000Z', '2026-01-01T09:50:00.000Z',
    ]);
  });

  it.each([
    ['@hourly', '2026-01-01T10:30:00Z', '2026-01-01T11:00:00.000Z'],
    ['@daily', '2026-01-01T10:30:00Z', '2026-01-02T00:00:00.000Z'],
    ['@midnight', '2026-01-01T10:30:00Z', '2026-01-02T00:00:00.000Z'],
    ['@weekly', '2026-01-01T10:30:00Z', '2026-01-04T00:00:00.000Z'],
    ['@monthly', '2026-01-01T10:30:00Z', '2026-02-01T00:00:00.000Z'],
    ['@yearly', '2026-01-01T10:30:00Z', '2027-01-01T00:00:00.000Z'],
    ['@annually', '2026-01-01T10:30:00Z', '2027-01-01T00:00:00.000Z'],
  ])('should run %s after %s at %s', (macro, after, expected) => {
    expect(nextOf(macro, after)).toBe(expected);
  });

  it('should run strictly after the given instant, also when it falls on a run', () => {
    expect(nextOf('0 9 * * *', '2026-01-01T09:00:00Z')).toBe('2026-01-02T09:00:00.000Z');
    expect(nextOf('0 9 * * *', '2026-01-01T08:59:59.999Z')).toBe('2026-01-01T09:00:00.000Z');
  });

  it('should find the last run strictly before the given instant', () => {
    expect(previousOf('0 9 * * *', '2026-01-02T09:00:00Z')).toBe('2026-01-01T09:00:00.000Z');
    expect(previousOf('0 9 * * *', '2026-01-02T09:00:00.001Z')).toBe('2026-01-02T09:00:00.000Z');
  });

  it('should return null once a year-restricted EventBridge cron is past its last year', () => {
    // Prepare
    const s = parseSchedule('cron(0 0 1 1 ? 2027)');
    // Act / Assess
    expect(nextRun(s, new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextRun(s, new Date('2027-01-01T00:00:00Z'))).toBeNull();
    expect(previousRun(s, new Date('2027-01-01T00:00:00Z'))).toBeNull();
    expect(previousRun(s, new Date('2030-01-01T00:00:00Z'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('should run a year list and a year range', () => {
    expect(runDatesOf('cron(0 0 1 1 ? 2026,2028-2029)', '2025-06-01T00:00:00Z', 5)).toEqual(['2026-01-01', '2028-01-01', '2029-01-01']);
  });

  it('should compute per-second and yearly runs quickly, skipping by field', () => {
    // Prepare
    const everySecond = parseSchedule('* * * * * *', 'Europe/Paris');
    const yearly = parseSchedule('0 0 1 1 *', 'Europe/Paris');
    const started = performance.now();
    // Act
    for (let i = 0; i < 500; i++) {
      nextRun(everySecond, new Date(Date.UTC(2026, 0, 1) + i * 7_919_000));
      nextRun(yearly, new Date(Date.UTC(2026, 0, 1) + i * 86_400_000));
      previousRun(yearly, new Date(Date.UTC(2026, 0, 1) + i * 86_400_000));
    }
    // Assess: a second-by-second scan would take minutes for the yearly schedule alone.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
