import { describe, expect, it } from 'vitest';
import { scheduleInWords } from '../../../client/scheduleInWords';

describe('scheduleInWords', () => {
  it.each([
    ['cron(0 9 ? * MON-FRI *)', 'Europe/Berlin', 'every weekday at 09:00 Europe/Berlin time'],
    ['0 9 * * 1-5', 'UTC', 'every weekday at 09:00 UTC'],
    ['@daily', 'UTC', 'every day at 00:00 UTC'],
    ['0 9,12,18 * * *', 'UTC', 'every day at 09:00, 12:00 and 18:00 UTC'],
    ['30 2 * 1,7 *', 'America/New_York', 'every day at 02:30 America/New_York time in January and July'],
    ['0 0 1 1 *', 'UTC', 'on January 1st at 00:00 UTC'],
    ['cron(0 0 29 2 ? 2028)', 'UTC', 'on February 29th at 00:00 UTC in 2028'],
    ['cron(0 9 L * ? *)', 'UTC', 'on the last day of the month at 09:00 UTC'],
    ['cron(0 9 ? * 2#1 *)', 'Europe/Paris', 'on the first Monday of the month at 09:00 Europe/Paris time'],
    ['0 9 * * 5L', 'UTC', 'on the last Friday of the month at 09:00 UTC'],
    ['0 0 15W * *', 'UTC', 'on the weekday nearest the 15th at 00:00 UTC'],
    ['0 0 13 * 5', 'UTC', 'on the 13th of every month and on every Friday at 00:00 UTC'],
    ['0 9 * * 0,6', 'UTC', 'every Saturday and Sunday at 09:00 UTC'],
  ])('should read the cron %s in %s as "%s"', (expression, zone, words) => {
    expect(scheduleInWords(expression, zone)).toBe(words);
  });

  it.each([
    ['*/10 * * * * *', 'every 10 seconds'],
    ['0 */5 * * * *', 'every 5 minutes'],
    ['* * * * *', 'every minute'],
    ['@hourly', 'every hour'],
    ['0 30 * * * *', 'every hour at minute 30'],
    ['*/15 9-17 * * *', 'every 15 minutes during hours 09-17 UTC'],
    ['0 * * * 1-5', 'every hour UTC, on weekdays'],
    ['*/30 * * * 1,5', 'every 30 minutes UTC, on Mondays and Fridays'],
  ])('should read the repeating cron %s as "%s"', (expression, words) => {
    expect(scheduleInWords(expression, 'UTC')).toBe(words);
  });

  it('should read rates as elapsed intervals and at() on the task\'s wall clock', () => {
    expect(scheduleInWords('rate(5 minutes)')).toBe('every 5 minutes');
    expect(scheduleInWords('rate(1 day)')).toBe('every day');
    expect(scheduleInWords('rate(90 seconds)')).toBe('every 90 seconds');
    expect(scheduleInWords('at(2026-12-01T09:00:00Z)', 'Europe/Berlin')).toBe('once, at 2026-12-01 10:00 Europe/Berlin time');
    expect(scheduleInWords('at(2026-12-01T09:00:30)', 'UTC')).toBe('once, at 2026-12-01 09:00:30 UTC');
  });

  it('should give back an expression it cannot parse as written', () => {
    expect(scheduleInWords('every tuesday')).toBe('every tuesday');
    expect(scheduleInWords('0 9 * * *', 'Mars/Olympus')).toBe('0 9 * * *');
  });
});
