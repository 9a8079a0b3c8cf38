import { nextRun, parseSchedule } from '../../../../lambdas/domain/schedule';
import { localText } from './zoneOracle';

/** Local wall-clock texts (`2025-03-09 03:00:00`) of every run on one local calendar day. */
export function runsOnLocalDay(expression: string, timezone: string, day: string): string[] {
  const s = parseSchedule(expression, timezone);
  const found: string[] = [];
  // Any zone's local day lies within [day - 14 h, day + 38 h] in UTC.
  let cursor = new Date(Date.parse(`${day}T00:00:00Z`) - 15 * 3_600_000);
  const end = Date.parse(`${day}T00:00:00Z`) + 39 * 3_600_000;
  for (let run = nextRun(s, cursor); run && run.getTime() <= end; run = nextRun(s, cursor)) {
    const text = localText(timezone, run);
    if (text.startsWith(day)) found.push(text);
    cursor = run;
  }
  return found;
}
