import type { Schedule } from '../domain/schedule';
import { nextRun, parseSchedule, ScheduleSyntaxError } from '../domain/schedule';
import { ValidationError } from '../domain/errors';
import type { SchedulePolicy } from '../domain/schedulePolicy';
import { DEFAULT_SCHEDULE_POLICY } from '../domain/schedulePolicy';

/** How far in the past an `at()` may be and still run (CONTRACT.md: more than 60 s is a 400). */
export const AT_GRACE_MS = 60_000;

/** Parses a schedule for the API, turning syntax errors into a 400 that names the field. */
export function parseForApi(expression: string, timezone: string): Schedule {
  try {
    return parseSchedule(expression, timezone);
  } catch (error) {
    if (error instanceof ScheduleSyntaxError) {
      const path = error.field === 'timezone' ? 'timezone' : 'schedule';
      throw new ValidationError([{ path, message: error.message }], { cause: error });
    }
    throw error;
  }
}

/**
 * The first occurrence of a new or changed schedule: an `at()` up to 60 s in the past still runs
 * (now); one further back is refused. Rate schedules count from `anchor`.
 */
export function firstRun(schedule: Schedule, now: Date, anchor: Date, policy: SchedulePolicy = DEFAULT_SCHEDULE_POLICY): Date | null {
  if (schedule.kind === 'at') {
    if (schedule.at.getTime() < now.getTime() - AT_GRACE_MS) {
      throw new ValidationError([{ path: 'schedule', message: `at() is more than 60 s in the past (${schedule.at.toISOString()})` }]);
    }
    return schedule.at;
  }
  const from = Math.max(now.getTime(), policy.startAt ? Date.parse(policy.startAt) : 0);
  const first = nextRun(schedule, new Date(from - 1), anchor);
  if (first && policy.endAt && first.getTime() > Date.parse(policy.endAt)) return null;
  return first;
}

/** A rate schedule counts from startAt when there is one, else from when it was (re)scheduled. */
export function anchorFor(policy: SchedulePolicy, now: Date): Date {
  return truncateToSecond(policy.startAt ? new Date(policy.startAt) : now);
}

/** Whole seconds: schedules fire on the second. */
export function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
