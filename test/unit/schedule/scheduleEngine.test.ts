import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextRun, parseSchedule, previewRuns, previousRun, ScheduleSyntaxError } from '../../../lambdas/domain/schedule';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseSchedule', () => {
  it.each([
    ['61 * * * *', 'minute', 'minute: 61 is out of range 0-59'],
    ['0 24 * * *', 'hour', 'hour: 24 is out of range 0-23'],
    ['0 0 30 2 *', 'schedule', 'never fires'],
    ['@reboot', 'schedule', '@reboot'],
  ])('should refuse %s naming the field', (expression, field, message) => {
    try {
      parseSchedule(expression);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScheduleSyntaxError);
      expect((error as ScheduleSyntaxError).field).toBe(field);
      expect((error as Error).message).toContain(message);
    }
  });

  it('should refuse an unknown time zone on the timezone field', () => {
    expect(() => parseSchedule('0 9 * * *', 'Mars/Olympus')).toThrow(/timezone/);
  });

  it('should read at() with an offset, with Z, and as wall time in the task time zone', () => {
    expect(iso(parseSchedule('at(2026-12-01T09:00:00+02:00)').kind === 'at' ? (parseSchedule('at(2026-12-01T09:00:00+02:00)') as { at: Date }).at : null)).toBe('2026-12-01T07:00:00.000Z');
    const zoned = parseSchedule('at(2026-07-01T09:00:00)', 'Europe/Berlin') as { at: Date };
    expect(zoned.at.toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });
});

describe('nextRun', () => {
  const from = new Date('2026-01-01T00:00:00Z');

  it('should run 6-field crons on the second', () => {
    expect(iso(nextRun(parseSchedule('*/10 * * * * *'), new Date('2026-01-01T00:00:03Z')))).toBe('2026-01-01T00:00:10.000Z');
  });

  it('should run a day matching either day-of-month or day-of-week (Vixie OR rule)', () => {
    const s = parseSchedule('0 0 13 * 5'); // the 13th, or any Friday
    const runs = previewRuns(s, from, 4).map((r) => r.at.toISOString().slice(0, 10));
    expect(runs).toEqual(['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16']);
  });

  it('should run 0 0 31 * * only in months with 31 days and Feb 29 only in leap years', () => {
    const months = previewRuns(parseSchedule('0 0 31 * *'), from, 7).map((r) => r.at.toISOString().slice(5, 7));
    expect(months).toEqual(['01', '03', '05', '07', '08', '10', '12']);
    expect(iso(nextRun(parseSchedule('0 0 29 2 *'), from))).toBe('2028-02-29T00:00:00.000Z');
  });

  it('should support EventBridge L, W and #', () => {
    expect(iso(nextRun(parseSchedule('cron(0 10 L * ? *)'), new Date('2026-02-01Z')))).toBe('2026-02-28T10:00:00.000Z');
    expect(iso(nextRun(parseSchedule('cron(0 10 15W * ? *)'), new Date('2026-02-01Z')))).toBe('2026-02-16T10:00:00.000Z');
    expect(iso(nextRun(parseSchedule('cron(0 10 ? * 6#3 *)'), from))).toBe('2026-01-16T10:00:00.000Z');
  });

  it('should anchor rate schedules', () => {
    const anchor = new Date('2026-01-01T00:00:07Z');
    expect(iso(nextRun(parseSchedule('rate(5 minutes)'), anchor, anchor))).toBe('2026-01-01T00:05:07.000Z');
  });
});

describe('DST policy (America/New_York)', () => {
  it('should run a time inside the spring-forward gap once, right after the gap', () => {
    const runs = previewRuns(parseSchedule('30 2 * * *', 'America/New_York'), new Date('2025-03-08T12:00:00Z'), 2);
    expect(runs[0]!.at.toISOString()).toBe('2025-03-09T07:00:00.000Z');
    expect(runs[0]!.note).toContain('does not exist');
    expect(runs[1]!.at.toISOString()).toBe('2025-03-10T06:30:00.000Z');
  });

  it('should run a time that happens twice once, at its first occurrence', () => {
    const runs = previewRuns(parseSchedule('30 1 * * *', 'America/New_York'), new Date('2025-11-01T12:00:00Z'), 2);
    expect(runs.map((r) => r.at.toISOString())).toEqual(['2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']);
    expect(runs[0]!.note).toContain('occurs twice');
  });

  it('should never skip nor double a daily schedule in any zone (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Europe/Athens', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Tokyo'),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 1) }),
        (zone, hour, minute, start) => {
          const s = parseSchedule(`${minute} ${hour} * * *`, zone);
          const runs = previewRuns(s, new Date(start), 40);
          const days = runs.map((r) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(r.at));
          expect(new Set(days).size).toBe(runs.length);
          for (let i = 1; i < runs.length; i++) expect(runs[i]!.at.getTime()).toBeGreaterThan(runs[i - 1]!.at.getTime());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('should agree between previous and next runs (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('*/15 * * * *', '0 * * * *', '30 2 * * *', '*/7 * * * * *', 'cron(0 10 ? * MON-FRI *)'),
        fc.constantFrom('UTC', 'America/New_York', 'Australia/Lord_Howe'),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 1) }),
        (expression, zone, t) => {
          const s = parseSchedule(expression, zone);
          const next = nextRun(s, new Date(t))!;
          expect(next.getTime()).toBeGreaterThan(t);
          expect(previousRun(s, new Date(next.getTime() + 1))!.getTime()).toBe(next.getTime());
          const prev = previousRun(s, next)!;
          expect(prev.getTime()).toBeLessThanOrEqual(t);
          expect(nextRun(s, prev)!.getTime()).toBe(next.getTime());
        },
      ),
      { numRuns: 100 },
    );
  });
});
