import { describe, expect, it } from 'vitest';
import { parseSchedule, previewRuns } from '../../../lambdas/domain/schedule';

function notesOf(expression: string, timezone: string, fromIso: string, count: number): Array<[string, string | undefined]> {
  return previewRuns(parseSchedule(expression, timezone), new Date(fromIso), count).map((r) => [r.at.toISOString(), r.note]);
}

describe('previewRuns DST annotations', () => {
  it('should explain a time that does not exist, and leave the other days unannotated', () => {
    expect(notesOf('30 2 * * *', 'America/New_York', '2025-03-08T00:00:00Z', 3)).toEqual([
      ['2025-03-08T07:30:00.000Z', undefined],
      ['2025-03-09T07:00:00.000Z', 'DST: 02:30 does not exist on 2025-03-09 in America/New_York; runs at 03:00'],
      ['2025-03-10T06:30:00.000Z', undefined],
    ]);
  });

  it('should explain a time that occurs twice', () => {
    expect(notesOf('30 1 * * *', 'America/New_York', '2025-11-01T12:00:00Z', 2)).toEqual([
      ['2025-11-02T05:30:00.000Z', 'DST: 01:30 occurs twice on 2025-11-02 in America/New_York; runs at the first'],
      ['2025-11-03T06:30:00.000Z', undefined],
    ]);
  });

  it('should list several nonexistent times merged into one run', () => {
    const [, merged] = notesOf('*/15 * * * *', 'America/New_York', '2025-03-09T06:30:00Z', 2);
    expect(merged).toEqual([
      '2025-03-09T07:00:00.000Z',
      'DST: 02:00, 02:15, 02:30 and 02:45 do not exist on 2025-03-09 in America/New_York; runs once at 03:00',
    ]);
  });

  it('should say "once" when a nonexistent time merges with an existing run right after the gap', () => {
    const [, merged] = notesOf('0 * * * *', 'America/New_York', '2025-03-09T05:30:00Z', 2);
    expect(merged).toEqual(['2025-03-09T07:00:00.000Z', 'DST: 02:00 does not exist on 2025-03-09 in America/New_York; runs once at 03:00']);
  });

  it('should summarise a whole missing hour of a per-second schedule with seconds shown', () => {
    const [, merged] = notesOf('* * * * * *', 'America/New_York', '2025-03-09T06:59:58Z', 2);
    expect(merged![1]).toBe(
      'DST: 3600 times from 02:00:00 to 02:59:59 do not exist on 2025-03-09 in America/New_York; runs once at 03:00:00',
    );
  });

  it('should annotate every first-pass run of the repeated hour', () => {
    const notes = notesOf('*/15 * * * *', 'America/New_York', '2025-11-02T04:50:00Z', 5).map(([, note]) => note);
    expect(notes).toEqual([
      'DST: 01:00 occurs twice on 2025-11-02 in America/New_York; runs at the first',
      'DST: 01:15 occurs twice on 2025-11-02 in America/New_York; runs at the first',
      'DST: 01:30 occurs twice on 2025-11-02 in America/New_York; runs at the first',
      'DST: 01:45 occurs twice on 2025-11-02 in America/New_York; runs at the first',
      undefined,
    ]);
  });

  it('should name the 30-minute gap of Lord Howe', () => {
    const [, moved] = notesOf('15 2 * * *', 'Australia/Lord_Howe', '2025-10-03T00:00:00Z', 2);
    expect(moved![1]).toBe('DST: 02:15 does not exist on 2025-10-05 in Australia/Lord_Howe; runs at 02:30');
  });

  it('should give the date of the run when the gap pushes it to the next day', () => {
    const [, moved] = notesOf('30 23 * * *', 'America/Nuuk', '2025-03-28T12:00:00Z', 2);
    expect(moved![1]).toBe('DST: 23:30 does not exist on 2025-03-29 in America/Nuuk; runs at 00:00 on 2025-03-30');
  });

  it('should annotate an at() wall time in a gap, but not an at() with an explicit offset', () => {
    expect(notesOf('at(2025-03-09T02:30:00)', 'America/New_York', '2025-01-01T00:00:00Z', 1)).toEqual([
      ['2025-03-09T07:00:00.000Z', 'DST: 02:30 does not exist on 2025-03-09 in America/New_York; runs at 03:00'],
    ]);
    expect(notesOf('at(2025-11-02T01:30:00)', 'America/New_York', '2025-01-01T00:00:00Z', 1)[0]![1]).toBe(
      'DST: 01:30 occurs twice on 2025-11-02 in America/New_York; runs at the first',
    );
    expect(notesOf('at(2025-03-09T07:00:00Z)', 'America/New_York', '2025-01-01T00:00:00Z', 1)[0]![1]).toBeUndefined();
  });

  it('should not annotate a daily run DST does not touch, nor any rate run', () => {
    expect(notesOf('0 9 * * *', 'America/New_York', '2025-03-08T00:00:00Z', 3).every(([, note]) => note === undefined)).toBe(true);
    expect(notesOf('rate(30 minutes)', 'America/New_York', '2025-03-09T05:00:00Z', 6).every(([, note]) => note === undefined)).toBe(true);
  });
});

describe('previewRuns counts', () => {
  it('should return exactly `count` runs of a recurring schedule, strictly after `from`', () => {
    const runs = previewRuns(parseSchedule('*/5 * * * *'), new Date('2026-01-01T00:00:00Z'), 100);
    expect(runs).toHaveLength(100);
    expect(runs[0]!.at.toISOString()).toBe('2026-01-01T00:05:00.000Z');
  });

  it('should return fewer runs when the schedule ends', () => {
    expect(previewRuns(parseSchedule('cron(0 0 1 1 ? 2026-2027)'), new Date('2025-06-01T00:00:00Z'), 10)).toHaveLength(2);
  });

  it('should return nothing for a count of 0', () => {
    expect(previewRuns(parseSchedule('* * * * *'), new Date('2026-01-01T00:00:00Z'), 0)).toEqual([]);
  });
});
