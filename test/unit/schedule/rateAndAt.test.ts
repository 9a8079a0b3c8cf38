import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule, previewRuns, previousRun } from '../../../lambdas/domain/schedule';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

describe('rate schedules', () => {
  const anchor = new Date('2026-01-01T00:00:07.250Z');

  it('should run at anchor + k * interval, k >= 1, with the anchor truncated to the second', () => {
    // Prepare
    const s = parseSchedule('rate(5 minutes)');
    // Act
    const runs = previewRuns(s, anchor, 3, anchor).map((r) => r.at.toISOString());
    // Assess
    expect(runs).toEqual(['2026-01-01T00:05:07.000Z', '2026-01-01T00:10:07.000Z', '2026-01-01T00:15:07.000Z']);
  });

  it('should not count the anchor itself as a run', () => {
    const s = parseSchedule('rate(5 minutes)');
    expect(iso(nextRun(s, new Date('2025-12-31T00:00:00Z'), anchor))).toBe('2026-01-01T00:05:07.000Z');
    expect(previousRun(s, new Date('2026-01-01T00:05:07Z'), anchor)).toBeNull();
  });

  it('should run strictly after `after` and strictly before `before`', () => {
    const s = parseSchedule('rate(5 minutes)');
    expect(iso(nextRun(s, new Date('2026-01-01T00:05:07Z'), anchor))).toBe('2026-01-01T00:10:07.000Z');
    expect(iso(nextRun(s, new Date('2026-01-01T00:05:06.999Z'), anchor))).toBe('2026-01-01T00:05:07.000Z');
    expect(iso(previousRun(s, new Date('2026-01-01T00:10:07Z'), anchor))).toBe('2026-01-01T00:05:07.000Z');
    expect(iso(previousRun(s, new Date('2026-01-01T00:10:07.001Z'), anchor))).toBe('2026-01-01T00:10:07.000Z');
  });

  it('should align to the Unix epoch when no anchor is given', () => {
    const s = parseSchedule('rate(5 minutes)');
    expect(iso(nextRun(s, new Date('2026-01-01T10:02:30Z')))).toBe('2026-01-01T10:05:00.000Z');
    expect(iso(previousRun(s, new Date('2026-01-01T10:02:30Z')))).toBe('2026-01-01T10:00:00.000Z');
  });

  it('should count elapsed time across a DST change, ignoring the wall clock', () => {
    // Prepare: every hour from 00:00 EST on the spring-forward day in New York.
    const s = parseSchedule('rate(1 hour)', 'America/New_York');
    const start = new Date('2025-03-09T05:00:00Z');
    // Act
    const runs = previewRuns(s, start, 4, start);
    // Assess: exactly 3600 s apart, no DST notes.
    const gaps = runs.slice(1).map((r, i) => (r.at.getTime() - runs[i]!.at.getTime()) / 1000);
    expect(gaps).toEqual([3600, 3600, 3600]);
    expect(runs.every((r) => r.note === undefined)).toBe(true);
  });

  it('should run every second when asked, cheaply', () => {
    const s = parseSchedule('rate(1 second)');
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) nextRun(s, new Date(1_767_225_600_000 + i * 997), anchor);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('at() schedules', () => {
  const s = parseSchedule('at(2026-12-01T09:00:00Z)');

  it('should run once, at its instant, when asked before it', () => {
    expect(iso(nextRun(s, new Date('2026-11-30T00:00:00Z')))).toBe('2026-12-01T09:00:00.000Z');
    expect(previewRuns(s, new Date('2026-11-30T00:00:00Z'), 5).map((r) => r.at.toISOString())).toEqual(['2026-12-01T09:00:00.000Z']);
  });

  it('should return null when asked at or after its instant', () => {
    expect(nextRun(s, new Date('2026-12-01T09:00:00Z'))).toBeNull();
    expect(nextRun(s, new Date('2027-01-01T00:00:00Z'))).toBeNull();
  });

  it('should be its own previous run only strictly after its instant', () => {
    expect(previousRun(s, new Date('2026-12-01T09:00:00Z'))).toBeNull();
    expect(iso(previousRun(s, new Date('2026-12-01T09:00:00.001Z')))).toBe('2026-12-01T09:00:00.000Z');
  });

  it('should refuse an invalid clock argument rather than guess', () => {
    expect(() => nextRun(s, new Date('not a date'))).toThrow(RangeError);
    expect(() => previewRuns(s, new Date('2026-01-01T00:00:00Z'), -1)).toThrow(RangeError);
  });
});
