import { describe, expect, it } from 'vitest';
import { planOccurrence } from '../../../lambdas/app/occurrencePlan';
import { parseSchedule } from '../../../lambdas/domain/schedule';
import { DEFAULT_SCHEDULE_POLICY, jitterMs } from '../../../lambdas/domain/schedulePolicy';
import type { SchedulePolicy } from '../../../lambdas/domain/schedulePolicy';

const everyMinute = parseSchedule('* * * * *');
const head = (policy: Partial<SchedulePolicy> = {}, runCount = 0) => ({
  anchor: '2026-01-01T00:00:00.000Z',
  runCount,
  policy: { ...DEFAULT_SCHEDULE_POLICY, ...policy },
});
const at = (hhmm: string) => new Date(`2026-01-01T${hhmm}:00.000Z`);
const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString().slice(11, 16));

describe('planOccurrence', () => {
  it('should run an occurrence that is on time and plan the next', () => {
    const plan = planOccurrence(everyMinute, head(), at('10:00'), new Date(at('10:00').getTime() + 300));
    expect(iso(plan.runs)).toEqual(['10:00']);
    expect(plan.skipped).toEqual([]);
    expect(plan.nextRunAt).toEqual(at('10:01'));
  });

  it('should run only the latest missed occurrence under LATEST and skip the rest', () => {
    const plan = planOccurrence(everyMinute, head(), at('10:00'), new Date(at('10:03').getTime() + 20_000));
    expect(iso(plan.runs)).toEqual(['10:03']);
    expect(iso(plan.skipped)).toEqual(['10:00', '10:01', '10:02']);
    expect(plan.nextRunAt).toEqual(at('10:04'));
  });

  it('should run each missed occurrence within the window under ALL', () => {
    const plan = planOccurrence(everyMinute, head({ catchUpPolicy: 'ALL', catchUpWindowSeconds: 150 }), at('10:00'), new Date(at('10:03').getTime() + 20_000));
    expect(iso(plan.runs)).toEqual(['10:01', '10:02', '10:03']);
    expect(iso(plan.skipped)).toEqual(['10:00']);
  });

  it('should run none of the missed occurrences under NONE', () => {
    const plan = planOccurrence(everyMinute, head({ catchUpPolicy: 'NONE' }), at('10:00'), new Date(at('10:03').getTime() + 20_000));
    expect(plan.runs).toEqual([]);
    expect(iso(plan.skipped)).toEqual(['10:00', '10:01', '10:02', '10:03']);
    expect(plan.nextRunAt).toEqual(at('10:04'));
  });

  it('should complete the task after maxRuns, saying why', () => {
    const plan = planOccurrence(everyMinute, head({ maxRuns: 3 }, 2), at('10:00'), at('10:00'));
    expect(iso(plan.runs)).toEqual(['10:00']);
    expect(plan.nextRunAt).toBeNull();
    expect(plan.completedReason).toContain('maxRuns');
  });

  it('should complete the task when the next run would pass endAt', () => {
    const plan = planOccurrence(everyMinute, head({ endAt: at('10:00').toISOString() }), at('10:00'), at('10:00'));
    expect(iso(plan.runs)).toEqual(['10:00']);
    expect(plan.nextRunAt).toBeNull();
    expect(plan.completedReason).toContain('endAt');
  });
});

describe('jitterMs', () => {
  it('should be deterministic per occurrence, within [0, jitter), and zero without jitter', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `exe_X_${1764579600000 + i * 1000}`);
    for (const id of ids) {
      expect(jitterMs(id, 30)).toBe(jitterMs(id, 30));
      expect(jitterMs(id, 30)).toBeGreaterThanOrEqual(0);
      expect(jitterMs(id, 30)).toBeLessThan(30_000);
      expect(jitterMs(id, 0)).toBe(0);
    }
    expect(new Set(ids.map((id) => Math.floor(jitterMs(id, 30) / 1000))).size).toBeGreaterThan(20);
  });
});
