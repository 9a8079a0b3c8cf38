import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule, previewRuns, previousRun } from '../../../lambdas/domain/schedule';
import { runsOnLocalDay } from './support/localDays';
import { localText } from './support/zoneOracle';

/** Next runs as `UTC instant | local wall clock`, so each vector reads both ways. */
function runsIn(timezone: string, expression: string, fromIso: string, count: number): string[] {
  return previewRuns(parseSchedule(expression, timezone), new Date(fromIso), count).map(
    (r) => `${r.at.toISOString().slice(0, 19)}Z | ${localText(timezone, r.at)}`,
  );
}

const NEW_YORK = 'America/New_York';

describe('DST in America/New_York, spring forward on 2025-03-09 (02:00 EST -> 03:00 EDT)', () => {
  it('should run a daily 02:30, which does not exist that day, once at 03:00 EDT', () => {
    expect(runsIn(NEW_YORK, '30 2 * * *', '2025-03-08T00:00:00Z', 3)).toEqual([
      '2025-03-08T07:30:00Z | 2025-03-08 02:30:00',
      '2025-03-09T07:00:00Z | 2025-03-09 03:00:00',
      '2025-03-10T06:30:00Z | 2025-03-10 02:30:00',
    ]);
  });

  it('should leave a daily 01:30 alone', () => {
    expect(runsIn(NEW_YORK, '30 1 * * *', '2025-03-08T00:00:00Z', 3)).toEqual([
      '2025-03-08T06:30:00Z | 2025-03-08 01:30:00',
      '2025-03-09T06:30:00Z | 2025-03-09 01:30:00',
      '2025-03-10T05:30:00Z | 2025-03-10 01:30:00',
    ]);
  });

  it('should run an hourly schedule 23 times, 02:00 merging with 03:00', () => {
    // Act
    const runs = runsIn(NEW_YORK, '0 * * * *', '2025-03-09T05:00:00Z', 3);
    const day = runsOnLocalDay('0 * * * *', NEW_YORK, '2025-03-09');
    // Assess
    expect(runs).toEqual([
      '2025-03-09T06:00:00Z | 2025-03-09 01:00:00',
      '2025-03-09T07:00:00Z | 2025-03-09 03:00:00',
      '2025-03-09T08:00:00Z | 2025-03-09 04:00:00',
    ]);
    expect(day).toHaveLength(23);
  });

  it('should run every 15 minutes with the four nonexistent times merged into one run at 03:00', () => {
    expect(runsIn(NEW_YORK, '*/15 * * * *', '2025-03-09T06:30:00Z', 3)).toEqual([
      '2025-03-09T06:45:00Z | 2025-03-09 01:45:00',
      '2025-03-09T07:00:00Z | 2025-03-09 03:00:00',
      '2025-03-09T07:15:00Z | 2025-03-09 03:15:00',
    ]);
    expect(runsOnLocalDay('*/15 * * * *', NEW_YORK, '2025-03-09')).toHaveLength(96 - 4);
  });

  it('should run several nonexistent times of one expression once', () => {
    expect(runsIn(NEW_YORK, '0,30 2,3 * * *', '2025-03-09T06:00:00Z', 2)).toEqual([
      '2025-03-09T07:00:00Z | 2025-03-09 03:00:00',
      '2025-03-09T07:30:00Z | 2025-03-09 03:30:00',
    ]);
  });

  it('should run every second straight through the gap, 01:59:59 EST then 03:00:00 EDT', () => {
    // Prepare
    const s = parseSchedule('* * * * * *', NEW_YORK);
    // Act
    const runs = runsIn(NEW_YORK, '* * * * * *', '2025-03-09T06:59:58Z', 3);
    const previous = previousRun(s, new Date('2025-03-09T07:00:00Z'));
    // Assess
    expect(runs).toEqual([
      '2025-03-09T06:59:59Z | 2025-03-09 01:59:59',
      '2025-03-09T07:00:00Z | 2025-03-09 03:00:00',
      '2025-03-09T07:00:01Z | 2025-03-09 03:00:01',
    ]);
    expect(previous?.toISOString()).toBe('2025-03-09T06:59:59.000Z');
  });

  it('should run a nonexistent second such as 02:30:30 right after the gap', () => {
    expect(runsIn(NEW_YORK, '30 30 2 * * *', '2025-03-08T12:00:00Z', 1)).toEqual(['2025-03-09T07:00:00Z | 2025-03-09 03:00:00']);
  });
});

describe('DST in America/New_York, fall back on 2025-11-02 (02:00 EDT -> 01:00 EST)', () => {
  it('should run a daily 01:30, which happens twice, once at the first (EDT)', () => {
    expect(runsIn(NEW_YORK, '30 1 * * *', '2025-11-01T00:00:00Z', 3)).toEqual([
      '2025-11-01T05:30:00Z | 2025-11-01 01:30:00',
      '2025-11-02T05:30:00Z | 2025-11-02 01:30:00',
      '2025-11-03T06:30:00Z | 2025-11-03 01:30:00',
    ]);
  });

  it('should leave a daily 02:30 alone (it happens once)', () => {
    expect(runsIn(NEW_YORK, '30 2 * * *', '2025-11-01T00:00:00Z', 3)).toEqual([
      '2025-11-01T06:30:00Z | 2025-11-01 02:30:00',
      '2025-11-02T07:30:00Z | 2025-11-02 02:30:00',
      '2025-11-03T07:30:00Z | 2025-11-03 02:30:00',
    ]);
  });

  it('should run an hourly schedule 24 times: 01:00 once (EDT), nothing in the repeated hour', () => {
    expect(runsIn(NEW_YORK, '0 * * * *', '2025-11-02T03:00:00Z', 4)).toEqual([
      '2025-11-02T04:00:00Z | 2025-11-02 00:00:00',
      '2025-11-02T05:00:00Z | 2025-11-02 01:00:00',
      '2025-11-02T07:00:00Z | 2025-11-02 02:00:00',
      '2025-11-02T08:00:00Z | 2025-11-02 03:00:00',
    ]);
    expect(runsOnLocalDay('0 * * * *', NEW_YORK, '2025-11-02')).toHaveLength(24);
  });

  it('should run every 15 minutes through the first pass only, then resume at 02:00 EST', () => {
    expect(runsIn(NEW_YORK, '*/15 * * * *', '2025-11-02T05:40:00Z', 3)).toEqual([
      '2025-11-02T05:45:00Z | 2025-11-02 01:45:00',
      '2025-11-02T07:00:00Z | 2025-11-02 02:00:00',
      '2025-11-02T07:15:00Z | 2025-11-02 02:15:00',
    ]);
    expect(runsOnLocalDay('*/15 * * * *', NEW_YORK, '2025-11-02')).toHaveLength(96);
  });

  it('should run every second through 01:59:59 EDT, then nothing until 02:00:00 EST', () => {
    // Prepare
    const s = parseSchedule('* * * * * *', NEW_YORK);
    const inRepeatedHour = new Date('2025-11-02T06:30:00Z'); // 01:30 EST, the second pass
    // Act
    const runs = runsIn(NEW_YORK, '* * * * * *', '2025-11-02T05:59:58Z', 2);
    // Assess
    expect(runs).toEqual(['2025-11-02T05:59:59Z | 2025-11-02 01:59:59', '2025-11-02T07:00:00Z | 2025-11-02 02:00:00']);
    expect(nextRun(s, inRepeatedHour)?.toISOString()).toBe('2025-11-02T07:00:00.000Z');
    expect(previousRun(s, inRepeatedHour)?.toISOString()).toBe('2025-11-02T05:59:59.000Z');
    expect(previousRun(s, new Date('2025-11-02T07:00:00Z'))?.toISOString()).toBe('2025-11-02T05:59:59.000Z');
  });

  it('should not run from inside the repeated hour until its end, even for a time it already ran', () => {
    const s = parseSchedule('45 1 * * *', NEW_YORK);
    expect(nextRun(s, new Date('2025-11-02T06:10:00Z'))?.toISOString()).toBe('2025-11-03T06:45:00.000Z');
  });
});

describe('DST in Europe/Athens (03:00 -> 04:00 on 2025-03-30, 04:00 -> 03:00 on 2025-10-26)', () => {
  const ATHENS = 'Europe/Athens';

  it('should run a daily 03:30 at 04:00 on the spring-forward day', () => {
    expect(runsIn(ATHENS, '30 3 * * *', '2025-03-29T00:00:00Z', 3)).toEqual([
      '2025-03-29T01:30:00Z | 2025-03-29 03:30:00',
      '2025-03-30T01:00:00Z | 2025-03-30 04:00:00',
      '2025-03-31T00:30:00Z | 2025-03-31 03:30:00',
    ]);
  });

  it('should run a daily 03:30 at its first occurrence on the fall-back day', () => {
    expect(runsIn(ATHENS, '30 3 * * *', '2025-10-25T00:00:00Z', 3)).toEqual([
      '2025-10-25T00:30:00Z | 2025-10-25 03:30:00',
      '2025-10-26T00:30:00Z | 2025-10-26 03:30:00',
      '2025-10-27T01:30:00Z | 2025-10-27 03:30:00',
    ]);
  });

  it('should run hourly 23 times in spring and 24 in autumn', () => {
    expect(runsOnLocalDay('0 * * * *', ATHENS, '2025-03-30')).toHaveLength(23);
    expect(runsOnLocalDay('0 * * * *', ATHENS, '2025-10-26')).toHaveLength(24);
    expect(runsIn(ATHENS, '0 * * * *', '2025-10-25T23:30:00Z', 2)).toEqual([
      '2025-10-26T00:00:00Z | 2025-10-26 03:00:00',
      '2025-10-26T02:00:00Z | 2025-10-26 04:00:00',
    ]);
  });
});

describe('DST in Australia/Lord_Howe (30-minute shift)', () => {
  const LORD_HOWE = 'Australia/Lord_Howe';

  it('should run a daily 02:15 at 02:30 when 02:00-02:29 does not exist (2025-10-05)', () => {
    expect(runsIn(LORD_HOWE, '15 2 * * *', '2025-10-03T00:00:00Z', 3)).toEqual([
      '2025-10-03T15:45:00Z | 2025-10-04 02:15:00',
      '2025-10-04T15:30:00Z | 2025-10-05 02:30:00',
      '2025-10-05T15:15:00Z | 2025-10-06 02:15:00',
    ]);
  });

  it('should merge 02:00 and 02:15 into the existing 02:30 in spring', () => {
    expect(runsIn(LORD_HOWE, '*/15 * * * *', '2025-10-04T15:10:00Z', 3)).toEqual([
      '2025-10-04T15:15:00Z | 2025-10-05 01:45:00',
      '2025-10-04T15:30:00Z | 2025-10-05 02:30:00',
      '2025-10-04T15:45:00Z | 2025-10-05 02:45:00',
    ]);
  });

  it('should run hourly at 01:00, 02:30 (for 02:00) and 03:00 in spring', () => {
    expect(runsIn(LORD_HOWE, '0 * * * *', '2025-10-04T14:00:00Z', 3)).toEqual([
      '2025-10-04T14:30:00Z | 2025-10-05 01:00:00',
      '2025-10-04T15:30:00Z | 2025-10-05 02:30:00',
      '2025-10-04T16:00:00Z | 2025-10-05 03:00:00',
    ]);
  });

  it('should run a daily 01:45 at the first pass when 01:30-01:59 repeats (2025-04-06)', () => {
    expect(runsIn(LORD_HOWE, '45 1 * * *', '2025-04-04T00:00:00Z', 3)).toEqual([
      '2025-04-04T14:45:00Z | 2025-04-05 01:45:00',
      '2025-04-05T14:45:00Z | 2025-04-06 01:45:00',
      '2025-04-06T15:15:00Z | 2025-04-07 01:45:00',
    ]);
  });

  it('should skip the repeated half hour for every-15-minutes in autumn', () => {
    expect(runsIn(LORD_HOWE, '*/15 * * * *', '2025-04-05T14:20:00Z', 3)).toEqual([
      '2025-04-05T14:30:00Z | 2025-04-06 01:30:00',
      '2025-04-05T14:45:00Z | 2025-04-06 01:45:00',
      '2025-04-05T15:30:00Z | 2025-04-06 02:00:00',
    ]);
  });
});

describe('DST at midnight', () => {
  const SANTIAGO = 'America/Santiago';
  const HAVANA = 'America/Havana';

  it('should run a daily midnight at 01:00 when midnight does not exist (Santiago, 2025-09-07)', () => {
    expect(runsIn(SANTIAGO, '0 0 * * *', '2025-09-05T12:00:00Z', 3)).toEqual([
      '2025-09-06T04:00:00Z | 2025-09-06 00:00:00',
      '2025-09-07T04:00:00Z | 2025-09-07 01:00:00',
      '2025-09-08T03:00:00Z | 2025-09-08 00:00:00',
    ]);
  });

  it('should run a daily 23:30 once when 23:00-23:59 repeats (Santiago, 2025-04-05)', () => {
    expect(runsIn(SANTIAGO, '30 23 * * *', '2025-04-04T12:00:00Z', 3)).toEqual([
      '2025-04-05T02:30:00Z | 2025-04-04 23:30:00',
      '2025-04-06T02:30:00Z | 2025-04-05 23:30:00',
      '2025-04-07T03:30:00Z | 2025-04-06 23:30:00',
    ]);
  });

  it('should run a daily midnight once when 00:00-00:59 repeats (Havana, 2025-11-02)', () => {
    expect(runsIn(HAVANA, '0 0 * * *', '2025-11-01T00:00:00Z', 3)).toEqual([
      '2025-11-01T04:00:00Z | 2025-11-01 00:00:00',
      '2025-11-02T04:00:00Z | 2025-11-02 00:00:00',
      '2025-11-03T05:00:00Z | 2025-11-03 00:00:00',
    ]);
  });

  it('should run a daily midnight at 01:00 when midnight does not exist (Havana, 2025-03-09)', () => {
    expect(runsIn(HAVANA, '0 0 * * *', '2025-03-08T12:00:00Z', 2)).toEqual([
      '2025-03-09T05:00:00Z | 2025-03-09 01:00:00',
      '2025-03-10T04:00:00Z | 2025-03-10 00:00:00',
    ]);
  });

  it('should run a 23:30 swallowed by a gap that ends at midnight at 00:00 the next day (Nuuk, 2025-03-29)', () => {
    // Nuuk jumps from 22:59:59 to 00:00:00, so "right after the gap" is already the next date.
    expect(runsIn('America/Nuuk', '30 23 * * *', '2025-03-28T12:00:00Z', 3)).toEqual([
      '2025-03-29T01:30:00Z | 2025-03-28 23:30:00',
      '2025-03-30T01:00:00Z | 2025-03-30 00:00:00',
      '2025-03-31T00:30:00Z | 2025-03-30 23:30:00',
    ]);
  });
});
