import { describe, expect, it } from 'vitest';
import { ScheduleSyntaxError, isRecurring, isValidTimeZone, parseSchedule } from '../../../lambdas/domain/schedule';
import type { CronSchedule } from '../../../lambdas/domain/schedule';

function syntaxErrorOf(expression: string, timezone?: string): ScheduleSyntaxError {
  try {
    parseSchedule(expression, timezone);
  } catch (error) {
    if (error instanceof ScheduleSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected '${expression}' to be refused`);
}

describe('parseSchedule: at()', () => {
  it('should read an at() with Z as that UTC instant', () => {
    // Act
    const s = parseSchedule('at(2026-12-01T09:00:00Z)', 'Europe/Paris');
    // Assess
    expect(s).toMatchObject({ kind: 'at', timezone: 'Europe/Paris', at: new Date('2026-12-01T09:00:00Z') });
    expect(isRecurring(s)).toBe(false);
  });

  it('should apply an explicit offset', () => {
    const s = parseSchedule('at(2026-12-01T09:00:00+02:00)');
    expect(s).toMatchObject({ kind: 'at', at: new Date('2026-12-01T07:00:00Z') });
  });

  it('should read an at() without offset as wall time in the timezone', () => {
    const s = parseSchedule('at(2026-07-01T09:00:00)', 'America/New_York');
    expect(s).toMatchObject({ kind: 'at', at: new Date('2026-07-01T13:00:00Z') });
  });

  it('should default the timezone to UTC', () => {
    const s = parseSchedule('at(2026-12-01T09:00:00)');
    expect(s).toMatchObject({ timezone: 'UTC', at: new Date('2026-12-01T09:00:00Z') });
  });

  it('should round fractional seconds up, so a whole-second run never comes before the time written', () => {
    expect(parseSchedule('at(2026-12-01T09:00:00.001Z)')).toMatchObject({ at: new Date('2026-12-01T09:00:01Z') });
    expect(parseSchedule('at(2026-12-01T09:00:59.5)', 'Europe/Paris')).toMatchObject({ at: new Date('2026-12-01T08:01:00Z') });
    expect(parseSchedule('at(2026-12-01T09:00:00.000Z)')).toMatchObject({ at: new Date('2026-12-01T09:00:00Z') });
  });

  it('should run a nonexistent at() wall time right after the gap', () => {
    const s = parseSchedule('at(2025-03-09T02:30:00)', 'America/New_York');
    expect(s).toMatchObject({ at: new Date('2025-03-09T07:00:00Z') }); // 03:00 EDT
  });

  it('should run a repeated at() wall time at its first occurrence', () => {
    const s = parseSchedule('at(2025-11-02T01:30:00)', 'America/New_York');
    expect(s).toMatchObject({ at: new Date('2025-11-02T05:30:00Z') }); // 01:30 EDT
  });

  it.each([
    ['at(2026-13-01T09:00:00Z)', "schedule: at() month 13 in '2026-13-01T09:00:00Z' is out of range 1-12"],
    ['at(2026-02-30T09:00:00Z)', 'schedule: at() date 2026-02-30 is not a valid date'],
    ['at(2026-12-01T24:00:00Z)', "schedule: at() hour 24 in '2026-12-01T24:00:00Z' is out of range 0-23"],
    ['at(2026-12-01T09:60:00Z)', "schedule: at() minute 60 in '2026-12-01T09:60:00Z' is out of range 0-59"],
    ['at(2026-12-01T09:00:60Z)', "schedule: at() second 60 in '2026-12-01T09:00:60Z' is out of range 0-59"],
    ['at(2026-12-01T09:00:00+19:00)', 'schedule: at() offset +19:00 is out of range -18:00 to +18:00'],
    ['at(1969-12-31T23:59:59Z)', 'schedule: at() year 1969 is before 1970'],
  ])('should refuse %s naming the field and reason', (expression, message) => {
    const error = syntaxErrorOf(expression);
    expect(error.field).toBe('schedule');
    expect(error.message).toBe(message);
  });

  it.each(['at(tomorrow)', 'at(2026-12-01 09:00:00)', 'at(2026-12-01)', 'at(2026-12-01T09:00Z)'])(
    'should refuse the malformed %s with an example of the right form',
    (expression) => {
      const error = syntaxErrorOf(expression);
      expect(error.field).toBe('schedule');
      expect(error.message).toMatch(/^schedule: at\(\) needs yyyy-mm-ddThh:mm:ss .* e\.g\. at\(2026-12-01T09:00:00Z\); got /);
    },
  );
});

describe('parseSchedule: rate()', () => {
  it.each([
    ['rate(1 second)', 1_000],
    ['rate(30 seconds)', 30_000],
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(2 hours)', 7_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ])('should read %s as an interval of %i ms', (expression, intervalMs) => {
    const s = parseSchedule(expression);
    expect(s).toMatchObject({ kind: 'rate', intervalMs, expression });
    expect(isRecurring(s)).toBe(true);
  });

  it.each([
    ['rate(0 minutes)', "schedule: rate() value '0' must be a whole number of at least 1 (at most 1000000)"],
    ['rate(-5 minutes)', "schedule: rate() value '-5' must be a whole number of at least 1 (at most 1000000)"],
    ['rate(1.5 hours)', "schedule: rate() value '1.5' must be a whole number of at least 1 (at most 1000000)"],
    ['rate(2000000 seconds)', "schedule: rate() value '2000000' must be a whole number of at least 1 (at most 1000000)"],
    ['rate(1 minutes)', 'schedule: rate() takes the singular unit with 1: rate(1 minute), not rate(1 minutes)'],
    ['rate(5 minute)', 'schedule: rate() takes the plural unit with 5: rate(5 minutes), not rate(5 minute)'],
    ['rate(2 weeks)', "schedule: rate() unit 'weeks' must be second(s), minute(s), hour(s) or day(s)"],
    ['rate(5)', "schedule: rate() needs '<value> <unit>', e.g. rate(5 minutes); got '5'"],
  ])('should refuse %s naming the field and reason', (expression, message) => {
    const error = syntaxErrorOf(expression);
    expect(error.field).toBe('schedule');
    expect(error.message).toBe(message);
  });
});

describe('parseSchedule: cron forms', () => {
  it('should read an EventBridge cron with year', () => {
    const s = parseSchedule('cron(0 9 * * ? *)', 'Europe/Paris') as CronSchedule;
    expect(s).toMatchObject({ kind: 'cron', dialect: 'eventbridge', timezone: 'Europe/Paris' });
    expect(s.fields).toMatchObject({ seconds: [0], minutes: [0], hours: [9], years: null, dayOfMonth: null, dayOfWeek: null });
  });

  it('should number EventBridge weekdays 1-7 from Sunday', () => {
    const s = parseSchedule('cron(0 9 ? * 1,7 *)') as CronSchedule;
    expect(s.fields.dayOfWeek?.weekdays).toEqual([0, 6]);
  });

  it('should number unix weekdays 0-7 with 0 and 7 both Sunday', () => {
    const s = parseSchedule('0 9 * * 0,5-7') as CronSchedule;
    expect(s.fields.dayOfWeek?.weekdays).toEqual([0, 5, 6]);
  });

  it('should read month and weekday names in any case', () => {
    const s = parseSchedule('0 9 * jan-Mar,DEC mon-FRI') as CronSchedule;
    expect(s.fields.months).toEqual([1, 2, 3, 12]);
    expect(s.fields.dayOfWeek?.weekdays).toEqual([1, 2, 3, 4, 5]);
  });

  it('should read a 6-field cron with seconds first', () => {
    const s = parseSchedule('*/10 * * * * *') as CronSchedule;
    expect(s.dialect).toBe('unix-seconds');
    expect(s.fields.seconds).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('should expand steps, ranges with steps, start/step and lists', () => {
    // Act
    const steps = parseSchedule('*/15 0/6 * * *') as CronSchedule;
    const rangeStepsAndList = parseSchedule('10-50/5,3 9-17/4 * * *') as CronSchedule;
    // Assess
    expect(steps.fields.minutes).toEqual([0, 15, 30, 45]);
    expect(steps.fields.hours).toEqual([0, 6, 12, 18]);
    expect(rangeStepsAndList.fields.minutes).toEqual([3, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(rangeStepsAndList.fields.hours).toEqual([9, 13, 17]);
  });

  it('should read L, L-n, nW and LW in day-of-month', () => {
    const s = parseSchedule('cron(0 9 L,L-2,15W,LW * ? *)') as CronSchedule;
    expect(s.fields.dayOfMonth).toEqual({ days: [], fromLastDay: [0, 2], nearestWeekday: [15], lastWeekday: true });
  });

  it('should read xL and x#n in day-of-week', () => {
    const s = parseSchedule('cron(0 9 ? * 6L,2#1,MON#3 *)') as CronSchedule;
    expect(s.fields.dayOfWeek).toEqual({
      weekdays: [], lastOfMonth: [5], nthOfMonth: [{ weekday: 1, n: 1 }, { weekday: 1, n: 3 }],
    });
  });

  it.each([
    ['@yearly', '0 0 1 1 *'], ['@annually', '0 0 1 1 *'], ['@monthly', '0 0 1 * *'], ['@weekly', '0 0 * * 0'],
    ['@daily', '0 0 * * *'], ['@midnight', '0 0 * * *'], ['@hourly', '0 * * * *'],
  ])('should expand %s like %s', (macro, cron) => {
    const s = parseSchedule(macro) as CronSchedule;
    expect(s.expression).toBe(macro);
    expect(s.fields).toEqual((parseSchedule(cron) as CronSchedule).fields);
  });

  it('should trim surrounding space and accept runs of spaces between fields', () => {
    const s = parseSchedule('  0   9 * *    1  ') as CronSchedule;
    expect(s.expression).toBe('0   9 * *    1');
    expect(s.fields.hours).toEqual([9]);
  });
});

describe('parseSchedule: refused cron expressions', () => {
  it.each([
    ['61 * * * *', 'minute', 'minute: 61 is out of range 0-59'],
    ['0 24 * * *', 'hour', 'hour: 24 is out of range 0-23'],
    ['0 0 0 * *', 'day-of-month', 'day-of-month: 0 is out of range 1-31'],
    ['0 0 32 * *', 'day-of-month', 'day-of-month: 32 is out of range 1-31'],
    ['0 0 * 13 *', 'month', 'month: 13 is out of range 1-12'],
    ['0 0 * FOO *', 'month', "month: 'FOO' is not a number or a name (JAN-DEC)"],
    ['0 0 * * 8', 'day-of-week', 'day-of-week: 8 is out of range 0-7'],
    ['cron(0 0 ? * 0 *)', 'day-of-week', 'day-of-week: 0 is out of range 1-7'],
    ['cron(0 0 ? * MOO *)', 'day-of-week', "day-of-week: 'MOO' is not a number or a name (SUN-SAT, 1 = SUN)"],
    ['cron(0 0 * * ? 2200)', 'year', 'year: 2200 is out of range 1970-2199'],
    ['60 * * * * *', 'second', 'second: 60 is out of range 0-59'],
    ['*/0 * * * *', 'minute', "minute: step '0' in '*/0' must be a whole number of at least 1"],
    ['0 22-2 * * *', 'hour', 'hour: range 22-2 runs backwards (22 is after 2)'],
    ['1,,2 * * * *', 'minute', "minute: '1,,2' has an empty item in its list"],
    ['? * * * *', 'minute', "minute: '?' is only allowed in day-of-month or day-of-week"],
    ['0 0 1-2-3 * *', 'day-of-month', "day-of-month: '1-2-3' is not a value, a range a-b or a step"],
    ['1/2/3 * * * *', 'minute', "minute: '1/2/3' has more than one '/'"],
    ['cron(0 0 ? * 2#6 *)', 'day-of-week', "day-of-week: '2#6': the occurrence after # must be 1-5"],
    ['cron(0 0 32W * ? *)', 'day-of-month', 'day-of-month: 32 is out of range 1-31'],
    ['cron(0 0 1-5W * ? *)', 'day-of-month', "day-of-month: '1-5W': W follows a single day, as in 15W or LW"],
    ['cron(0 0 L-31 * ? *)', 'day-of-month', 'day-of-month: L-31: days before the last must be 0-30'],
    ['0 0 1,? * *', 'day-of-month', "day-of-month: '?' must stand alone, not in a list"],
    ['0 0 * * MON,?', 'day-of-week', "day-of-week: '?' must stand alone, not in a list"],
    ['x * * * *', 'minute', "minute: 'x' is not a number"],
    ['0 9.5 * * *', 'hour', "hour: '9.5' is not a number"],
    ['cron(0 0 1 * ? ?)', 'year', "year: '?' is only allowed in day-of-month or day-of-week"],
    ['cron(0 0 1 * ? 1969)', 'year', 'year: 1969 is out of range 1970-2199'],
  ])('should refuse %s in field %s', (expression, field, message) => {
    const error = syntaxErrorOf(expression);
    expect(error).toBeInstanceOf(ScheduleSyntaxError);
    expect(error.name).toBe('ScheduleSyntaxError');
    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });

  it.each([
    ['cron(0 9 * * * *)', "got '*' and '*'"],
    ['cron(0 9 ? * ? *)', "got '?' and '?'"],
    ['cron(0 9 1 * MON *)', "got '1' and 'MON'"],
  ])('should require exactly one ? between the EventBridge day fields in %s', (expression, got) => {
    const error = syntaxErrorOf(expression);
    expect(error.field).toBe('day-of-month');
    expect(error.message).toContain("cron() needs exactly one of day-of-month and day-of-week to be '?'");
    expect(error.message).toContain(got);
  });

  it.each([
    ['0 0 30 2 *'], ['0 0 31 4 *'], ['0 0 31 APR,JUN,SEP,NOV *'], ['cron(0 0 29 2 ? 2027)'], ['cron(0 0 ? 2 FRI#5 2027)'],
    ['cron(0 0 31W 2 ? *)'],
  ])('should refuse %s because it never fires', (expression) => {
    const error = syntaxErrorOf(expression);
    expect(error.field).toBe('schedule');
    expect(error.message).toMatch(/^schedule: never fires/);
  });

  it('should accept Feb 29, which fires in leap years', () => {
    expect(() => parseSchedule('0 0 29 2 *')).not.toThrow();
  });

  it('should carry the field and the bare reason besides the message', () => {
    const error = syntaxErrorOf('61 * * * *');
    expect(error).toMatchObject({ field: 'minute', reason: '61 is out of range 0-59', message: 'minute: 61 is out of range 0-59' });
  });

  it('should refuse @reboot with a clear message', () => {
    const error = syntaxErrorOf('@reboot');
    expect(error.field).toBe('schedule');
    expect(error.message).toBe('schedule: @reboot is not supported: Tock runs tasks on a clock, there is no machine to boot');
  });

  it('should refuse an unknown macro and list the known ones', () => {
    expect(syntaxErrorOf('@fortnightly').message).toBe(
      'schedule: unknown macro @fortnightly; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly',
    );
  });

  it.each([
    ['* * * *', 'schedule: a cron needs 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 4'],
    ['0 0 * * * * *', 'schedule: a cron needs 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 7'],
    ['cron(0 9 * * ?)', 'schedule: cron() takes 6 fields (minute hour day-of-month month day-of-week year), got 5'],
    ['every day', 'schedule: a cron needs 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 2'],
    ['daily', "schedule: 'daily' is not a schedule; use at(...), rate(...), cron(...), a 5- or 6-field cron or a @macro such as @daily"],
    ['every(5 minutes)', "schedule: unknown form 'every(...)'; use at(...), rate(...) or cron(...)"],
    ['rate(5 minutes', "schedule: 'rate(5 minutes' is missing its closing ')'"],
    ['   ', 'schedule: is empty'],
  ])('should refuse the shape of %j', (expression, message) => {
    const error = syntaxErrorOf(expression);
    expect(error.field).toBe('schedule');
    expect(error.message).toBe(message);
  });
});

describe('parseSchedule: time zones', () => {
  it.each(['Mars/Olympus_Mons', '+02:00', 'EST5EDT6', ''])('should refuse the time zone %j in field timezone', (timezone) => {
    const error = syntaxErrorOf('0 9 * * *', timezone);
    expect(error.field).toBe('timezone');
    expect(error.message).toMatch(/^timezone: '.*' is not an IANA time zone/);
  });

  it('should check the time zone for every form, even when it is not used', () => {
    expect(syntaxErrorOf('rate(5 minutes)', 'Nowhere/Special').field).toBe('timezone');
  });

  it.each(['UTC', 'Europe/Athens', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'])(
    'should accept the IANA zone %s',
    (timezone) => {
      expect(isValidTimeZone(timezone)).toBe(true);
    },
  );

  it.each(['Not/AZone', '+01:00', '', 'utc+1'])('should not consider %j a valid time zone', (timezone) => {
    expect(isValidTimeZone(timezone)).toBe(false);
  });
});
