export type { Schedule } from './parseSchedule';
export { parseSchedule } from './parseSchedule';
export { ScheduleSyntaxError } from './scheduleErrors';
export { isValidTimeZone } from './zonedTime';
export { nextRun, previousRun, isRecurring, minimumIntervalSeconds } from './nextRun';
export { previewRuns } from './preview';
