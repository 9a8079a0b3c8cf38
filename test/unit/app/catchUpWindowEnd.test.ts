import { describe, expect, it } from 'vitest';
import { planOccurrence } from '../../../lambdas/app/occurrencePlan';
import { parseSchedule } from '../../../lambdas/domain/schedule';
import { DEFAULT_SCHEDULE_POLICY } from '../../../lambdas/domain/schedulePolicy';

const everyTwoSeconds = parseSchedule('*/2 * * * * *');
const at = (mmss: string) => new Date(`2026-01-01T10:${mmss}.000Z`);
const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString().slice(14, 19));
const head = { anchor: '2026-01-01T00:00:00.000Z', runCount: 0, policy: { ...DEFAULT_SCHEDULE_POLICY, endAt: at('00:10').toISOString() } };

/** Found by the fault-injection suite: a scanner back after endAt wrote SKIPPED records past it. */
describe('planOccurrence after downtime that outlasted endAt', () => {
  it('should run the last occurrence of the window under LATEST and skip only the ones before it', () => {
    const plan = planOccurrence(everyTwoSeconds, head, at('00:02'), at('00:20'));
    expect(iso(plan.runs)).toEqual(['00:10']);
    expect(iso(plan.skipped)).toEqual(['00:02', '00:04', '00:06', '00:08']);
    expect(plan.nextRunAt).toBeNull();
    expect(plan.completedReason).toMatch(/endAt/);
  });

  it('should write no occurrence past endAt to the ledger under NONE', () => {
    const plan = planOccurrence(everyTwoSeconds, { ...head, policy: { ...head.policy, catchUpPolicy: 'NONE' } }, at('00:02'), at('00:20'));
    expect(plan.runs).toEqual([]);
    expect(iso(plan.skipped)).toEqual(['00:02', '00:04', '00:06', '00:08', '00:10']);
    expect(plan.nextRunAt).toBeNull();
  });
});
