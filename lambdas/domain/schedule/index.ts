/** Tock's schedule engine: pure functions, the clock is always an argument. See docs/schedules.md. */
export type {
  AtSchedule, CronDialect, CronFields, CronSchedule, DayOfMonthRule, DayOfWeekRule, RateSchedule, Schedule,
} from './scheduleTypes';
export type { PreviewRun } from './preview';
export { ScheduleSyntaxError } from './scheduleErrors';
export { parseSchedule } from './parseSchedule';
export { isValidTimeZone } from './zonedTime';
export { nextRun, previousRun } from './nextRun';
export { previewRuns } from './preview';
export { minimumIntervalSeconds, isRecurring } from './minimumInterval';
