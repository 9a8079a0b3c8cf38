import type { Schedule } from '../domain/schedule';
import { nextRun, previousRun } from '../domain/schedule';
import type { TaskHead } from '../domain/task';
import type { SchedulePolicy } from '../domain/schedulePolicy';
import { DEFAULT_SCHEDULE_POLICY } from '../domain/schedulePolicy';

/** An occurrence late by more than this, with a later one also due, counts as missed (downtime). */
export const CATCH_UP_GRACE_MS = 5_000;
/** At most this many missed occurrences are run (ALL) or recorded (ledger) at once. */
export const MAX_CATCH_UP = 100;

export interface OccurrencePlan {
  /** The occurrences to run now, oldest first: one normally; several with catch-up ALL; none with NONE. */
  readonly runs: readonly Date[];
  /** Occurrences that were due but will not run (the run ledger records them). */
  readonly skipped: readonly Date[];
  /** The occurrence after those, or null when the task is done. */
  readonly nextRunAt: Date | null;
  /** Why the task completes, when nextRunAt is null. */
  readonly completedReason: string | null;
}

export function policyOf(head: Pick<TaskHead, 'policy'>): SchedulePolicy {
  return head.policy ?? DEFAULT_SCHEDULE_POLICY;
}

/**
 * What the scanner does with a recurring task's due occurrence. Normally it runs and the next is
 * planned. After downtime the catch-up policy decides: LATEST runs the most recent missed
 * occurrence, ALL runs each one within the catch-up window, NONE runs none of them. The window
 * (endAt) and count (maxRuns) end the task.
 */
export function planOccurrence(
  schedule: Schedule,
  head: Pick<TaskHead, 'anchor' | 'runCount' | 'policy'>,
  scheduledFor: Date,
  now: Date,
): OccurrencePlan {
  const policy = policyOf(head);
  const anchor = new Date(head.anchor);
  const following = nextRun(schedule, scheduledFor, anchor);
  const late = following !== null && following.getTime() <= now.getTime() && now.getTime() - scheduledFor.getTime() > CATCH_UP_GRACE_MS;
  let runs: Date[] = [scheduledFor];
  let skipped: Date[] = [];
  let last = scheduledFor;
  const endAt = policy.endAt ? Date.parse(policy.endAt) : Infinity;
  if (late) {
    // Occurrences after endAt do not exist: missed ones stop there (LATEST runs the last one in
    // the window), and none past it is run or written to the ledger.
    const latest = previousRun(schedule, new Date(Math.min(now.getTime(), endAt) + 1), anchor) ?? scheduledFor;
    const missed: Date[] = [];
    for (let t: Date | null = scheduledFor; t && t.getTime() <= latest.getTime() && missed.length < 10_000; t = nextRun(schedule, t, anchor)) {
      missed.push(t);
    }
    last = latest;
    if (policy.catchUpPolicy === 'LATEST') {
      runs = [latest];
      skipped = missed.slice(0, -1);
    } else if (policy.catchUpPolicy === 'ALL') {
      const windowStart = now.getTime() - policy.catchUpWindowSeconds * 1000;
      runs = missed.filter((t) => t.getTime() >= windowStart).slice(-MAX_CATCH_UP);
      skipped = missed.filter((t) => !runs.includes(t));
    } else {
      runs = [];
      skipped = missed;
    }
  }
  runs = runs.filter((t) => t.getTime() <= endAt);
  if (policy.maxRuns !== null) runs = runs.slice(0, Math.max(0, policy.maxRuns - head.runCount));
  const runCount = head.runCount + runs.length;
  let nextRunAt = nextRun(schedule, last, anchor);
  let completedReason: string | null = nextRunAt ? null : 'the schedule has no further runs';
  if (policy.maxRuns !== null && runCount >= policy.maxRuns) {
    nextRunAt = null;
    completedReason = `maxRuns reached (${policy.maxRuns} runs)`;
  } else if (nextRunAt && nextRunAt.getTime() > endAt) {
    nextRunAt = null;
    completedReason = `endAt reached (${policy.endAt})`;
  }
  return { runs, skipped: skipped.slice(-MAX_CATCH_UP), nextRunAt, completedReason };
}
