import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule, previewRuns, previousRun } from '../../../lambdas/domain/schedule';
import type { Schedule } from '../../../lambdas/domain/schedule';
import { cronOracle } from './support/cronOracle';
import type { WallReading } from './support/cronOracle';
import { anyCron, eventBridgeCron, secondsCron, unixCron } from './support/expressionArbitraries';
import { localText, policyRunsAt, readWall, skippedWallsBefore, transitionsBetween, wallNumber } from './support/zoneOracle';

const ALL_ZONES = Intl.supportedValuesOf('timeZone');
/** Zones with DST (or other offset changes) worth aiming at: 30-minute, 2-hour and midnight shifts included. */
const DST_ZONES = [
  'America/New_York', 'Europe/Athens', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Asia/Beirut',
  'America/Nuuk', 'Africa/Cairo', 'Europe/London', 'Australia/Sydney', 'Pacific/Chatham', 'Antarctica/Troll',
  'Pacific/Auckland', 'Europe/Dublin', 'America/Scoresbysund', 'America/Los_Angeles',
];
/** Zones whose spring-forward gap runs up to midnight (23:00 -> 00:00), so a 23:xx run moves to the next date. */
const GAP_CROSSES_MIDNIGHT = new Set(['America/Nuuk', 'America/Godthab', 'America/Scoresbysund', 'Asia/Pyongyang']);

const YEAR_2012 = Date.UTC(2012, 0, 1);
const YEAR_2040 = Date.UTC(2040, 0, 1);
const instant = fc.integer({ min: YEAR_2012, max: YEAR_2040 }).map((ms) => new Date(ms));

/** Every transition of the DST zones in 2024-2027, found by the oracle (daily scan, then bisection). */
const TRANSITIONS: Array<{ zone: string; at: number }> = DST_ZONES.flatMap((zone) =>
  transitionsBetween(zone, Date.UTC(2024, 0, 1) / 1000, Date.UTC(2028, 0, 1) / 1000, 86_400).map((at) => ({ zone, at })),
);
const transition = fc.constantFrom(...TRANSITIONS);

const seconds = (d: Date): number => d.getTime() / 1000;
const stepOf = (s: Schedule): number => (s.kind === 'cron' && s.dialect === 'unix-seconds' ? 1 : 60);

describe('schedule engine properties', () => {
  it('should produce runs that strictly increase, come after `from`, are whole seconds and match the expression', () => {
    fc.assert(
      fc.property(anyCron, fc.constantFrom(...ALL_ZONES), instant, (expression, zone, from) => {
        // Prepare
        const s = parseSchedule(expression, zone);
        const matches = cronOracle(expression);
        // Act
        const runs = previewRuns(s, from, 6).map((r) => r.at);
        // Assess
        let previous = from.getTime();
        for (const run of runs) {
          expect(run.getTime()).toBeGreaterThan(previous);
          expect(run.getTime() % 1000).toBe(0);
          expect(policyRunsAt(matches, zone, seconds(run), stepOf(s)), `${expression} in ${zone} at ${run.toISOString()}`).toBe(true);
          previous = run.getTime();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should run exactly the instants the DST policy names, around real transitions (minute crons)', () => {
    fc.assert(
      fc.property(fc.oneof(unixCron, eventBridgeCron), transition, fc.integer({ min: -3, max: 3 }), (expression, t, shiftHours) => {
        // Prepare: a 4-hour window around (or near) a transition.
        const s = parseSchedule(expression, t.zone);
        const matches = cronOracle(expression);
        const start = Math.floor((t.at + shiftHours * 1800 - 2 * 3600) / 60) * 60;
        const end = start + 4 * 3600;
        const expected: number[] = [];
        for (let u = start + 60; u <= end; u += 60) if (policyRunsAt(matches, t.zone, u, 60)) expected.push(u);
        // Act
        const actual: number[] = [];
        for (let run = nextRun(s, new Date(start * 1000)); run && seconds(run) <= end; run = nextRun(s, run)) actual.push(seconds(run));
        // Assess
        expect(actual, `${expression} in ${t.zone} near ${new Date(t.at * 1000).toISOString()}`).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('should run exactly the instants the DST policy names, around real transitions (second crons)', () => {
    fc.assert(
      fc.property(secondsCron, transition, (expression, t) => {
        // Prepare: the first and last 90 s of the shifted stretch, and the seconds before it.
        const s = parseSchedule(expression, t.zone);
        const matches = cronOracle(expression);
        const offsetAfter = wallNumber(readWall(t.zone, t.at)) - t.at;
        const offsetBefore = wallNumber(readWall(t.zone, t.at - 1)) - (t.at - 1);
        const shift = Math.abs(offsetAfter - offsetBefore);
        for (const centre of [t.at, t.at + shift]) {
          const start = centre - 90;
          const end = centre + 90;
          const expected: number[] = [];
          for (let u = start + 1; u <= end; u++) if (policyRunsAt(matches, t.zone, u, 1)) expected.push(u);
          // Act
          const actual: number[] = [];
          for (let run = nextRun(s, new Date(start * 1000)); run && seconds(run) <= end; run = nextRun(s, run)) actual.push(seconds(run));
          // Assess
          expect(actual, `${expression} in ${t.zone} near ${new Date(centre * 1000).toISOString()}`).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('should agree between previousRun and nextRun', () => {
    const schedule: fc.Arbitrary<[string, string]> = fc.oneof(
      fc.tuple(anyCron, fc.constantFrom(...ALL_ZONES)),
      fc.tuple(anyCron, fc.constantFrom(...DST_ZONES)),
      fc.tuple(fc.constantFrom('rate(1 second)', 'rate(7 minutes)', 'rate(1 hour)', 'rate(3 days)'), fc.constant('UTC')),
      fc.tuple(fc.constantFrom('at(2026-03-29T02:30:00)', 'at(2030-01-01T00:00:00Z)'), fc.constantFrom(...DST_ZONES)),
    );
    fc.assert(
      fc.property(schedule, instant, instant, ([expression, zone], t, anchor) => {
        // Prepare
        const s = parseSchedule(expression, zone);
        // Act
        const next = nextRun(s, t, anchor);
        const previous = previousRun(s, t, anchor);
        const tIsRun = previousRun(s, new Date(t.getTime() + 1), anchor)?.getTime() === t.getTime();
        // Assess: with runs R, next = min{r > t} and previous = max{r < t}.
        const time = (d: Date | null | undefined): number | null => d?.getTime() ?? null;
        if (next) {
          expect(time(previousRun(s, next, anchor))).toBe(tIsRun ? t.getTime() : time(previous));
          expect(time(nextRun(s, previousRun(s, next, anchor) ?? new Date(0), anchor))).toBe(next.getTime());
        }
        if (previous) {
          expect(time(nextRun(s, previous, anchor))).toBe(tIsRun ? t.getTime() : time(next));
          expect(time(previousRun(s, nextRun(s, previous, anchor) ?? new Date(8.64e15), anchor))).toBe(previous.getTime());
        }
      }),
      { numRuns: 300 },
    );
  });

  describe('daily schedules in any zone', () => {
    // Half the starts anywhere in 2012-2040, half within three weeks before a real transition.
    const start = fc.oneof(
      fc.tuple(fc.constantFrom(...ALL_ZONES), instant),
      fc.tuple(transition, fc.integer({ min: 0, max: 20 * 86_400 })).map(([t, back]) => [t.zone, new Date((t.at - back) * 1000)] as [string, Date]),
    );
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }));

    it('should run exactly once for each scheduled day, never skipping nor doubling one', () => {
      fc.assert(
        fc.property(start, time, ([zone, from], [hour, minute]) => {
          // Prepare
          const expression = `${minute} ${hour} * * *`;
          const matches = cronOracle(expression);
          // Act
          const runs = previewRuns(parseSchedule(expression, zone), from, 30).map((r) => seconds(r.at));
          // Assess: each run serves the day of its wall time (for a moved run, the day of the time the gap swallowed).
          const days = runs.map((run) => {
            const served: WallReading = matches(readWall(zone, run)) ? readWall(zone, run) : skippedWallsBefore(zone, run, 60).find(matches)!;
            return Date.UTC(served.year, served.month - 1, served.day) / 86_400_000;
          });
          days.slice(1).forEach((day, i) => expect(day - days[i]!, `${expression} in ${zone}`).toBe(1));
        }),
        { numRuns: 200 },
      );
    });

    it('should run exactly once per local calendar day where no gap crosses midnight', () => {
      fc.assert(
        fc.property(start.filter(([zone]) => !GAP_CROSSES_MIDNIGHT.has(zone)), time, ([zone, from], [hour, minute]) => {
          // Act
          const runs = previewRuns(parseSchedule(`${minute} ${hour} * * *`, zone), from, 30);
          // Assess
          const dates = runs.map((r) => Date.parse(`${localText(zone, r.at).slice(0, 10)}T00:00:00Z`) / 86_400_000);
          dates.slice(1).forEach((date, i) => expect(date - dates[i]!, `${minute} ${hour} * * * in ${zone}`).toBe(1));
        }),
        { numRuns: 200 },
      );
    });
  });

  it('should run a rate schedule every interval from its anchor', () => {
    fc.assert(
      fc.property(fc.constantFrom('rate(1 second)', 'rate(5 minutes)', 'rate(2 hours)', 'rate(1 day)'), instant, instant, (expression, anchor, from) => {
        // Prepare
        const s = parseSchedule(expression, 'Europe/Athens');
        const interval = s.kind === 'rate' ? s.intervalMs : 0;
        const base = Math.floor(anchor.getTime() / 1000) * 1000;
        // Act
        const runs = previewRuns(s, from, 5, anchor).map((r) => r.at.getTime());
        // Assess
        for (const run of runs) {
          expect((run - base) % interval).toBe(0);
          expect(run).toBeGreaterThan(Math.max(from.getTime(), base));
        }
        expect(runs[0]! - interval).toBeLessThanOrEqual(Math.max(from.getTime(), base));
        runs.slice(1).forEach((run, i) => expect(run - runs[i]!).toBe(interval));
      }),
      { numRuns: 200 },
    );
  });
});
