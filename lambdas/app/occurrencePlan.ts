import type { Schedule } from '../domain/schedule';
import { nextRun, previousRun } from '../domain/schedule';
import type { TaskHead } from '../domain/task';

/** An occurrence late by more than this, with a later one also due, counts as missed (downtime). */
export const CATCH_UP_GRACE_MS = 10_000;

export interface OccurrencePlan {
  /** The occurrence to run now. */
  readonly runAt: Date;
  /** Occurrences that were due but will not run (missed while the scanner was down). */
  readonly skipped: readonly Date[];
  /** The occurrence after `runAt`, or null when the schedule has no more. */
  readonly nextRunAt: Date | null;
}

/**
 * What the scanner does with a recurring task's due occurrence. Normally it runs and the next one
 * is planned. After downtime, the catch-up policy `LATEST` runs only the most recent missed
 * occurrence; the ones before it are skipped.
 */
export function planOccurrence(schedule: Schedule, head: Pick<TaskHead, 'anchor'>, scheduledFor: Date, now: Date): OccurrencePlan {
  const anchor = new Date(head.anchor);
  let runAt = scheduledFor;
  const skipped: Date[] = [];
  const following = nextRun(schedule, scheduledFor, anchor);
  if (following && following.getTime() <= now.getTime() && now.getTime() - scheduledFor.getTime() > CATCH_UP_GRACE_MS) {
    const latest = previousRun(schedule, new Date(now.getTime() + 1), anchor) ?? scheduledFor;
    for (let t: Date | null = scheduledFor; t && t.getTime() < latest.getTime() && skipped.length < 1000; t = nextRun(schedule, t, anchor)) {
      skipped.push(t);
    }
    runAt = latest;
  }
  return { runAt, skipped, nextRunAt: nextRun(schedule, runAt, anchor) };
}
