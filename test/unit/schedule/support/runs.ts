import { nextRun, parseSchedule, previewRuns, previousRun } from '../../../../lambdas/domain/schedule';

/** ISO strings of the next `count` runs of an expression after `fromIso`. */
export function runsOf(expression: string, fromIso: string, count: number, timezone = 'UTC'): string[] {
  return previewRuns(parseSchedule(expression, timezone), new Date(fromIso), count).map((run) => run.at.toISOString());
}

export function nextOf(expression: string, afterIso: string, timezone = 'UTC'): string | null {
  return nextRun(parseSchedule(expression, timezone), new Date(afterIso))?.toISOString() ?? null;
}

export function previousOf(expression: string, beforeIso: string, timezone = 'UTC'): string | null {
  return previousRun(parseSchedule(expression, timezone), new Date(beforeIso))?.toISOString() ?? null;
}

/** Just the dates (yyyy-mm-dd, UTC) of the next runs. */
export function runDatesOf(expression: string, fromIso: string, count: number): string[] {
  return runsOf(expression, fromIso, count).map((iso) => iso.slice(0, 10));
}
