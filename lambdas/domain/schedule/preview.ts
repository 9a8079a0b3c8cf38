import type { Schedule } from './parseSchedule';
import { nextRunDetailed } from './nextRun';
import { offsetAt } from './zonedTime';

function hhmm(wall: number): string {
  return new Date(wall).toISOString().slice(11, 16);
}

function localTime(ms: number, timezone: string): string {
  return new Date(ms + offsetAt(ms, timezone)).toISOString().slice(11, 16);
}

/** The next `count` runs strictly after `from`, each annotated when DST moved or merged it. */
export function previewRuns(s: Schedule, from: Date, count: number, anchor?: Date): Array<{ at: Date; note?: string }> {
  const runs: Array<{ at: Date; note?: string }> = [];
  let after = from;
  for (let i = 0; i < count; i++) {
    const run = nextRunDetailed(s, after, anchor ?? from);
    if (!run) break;
    const date = new Date(run.wall).toISOString().slice(0, 10);
    let note: string | undefined;
    if (run.resolution === 'gap') {
      note = `DST: ${hhmm(run.wall)} does not exist on ${date} in ${s.timezone}; runs at ${localTime(run.at.getTime(), s.timezone)}`;
    } else if (run.resolution === 'overlap') {
      note = `DST: ${hhmm(run.wall)} occurs twice on ${date} in ${s.timezone}; runs at the first`;
    }
    runs.push(note ? { at: run.at, note } : { at: run.at });
    after = run.at;
  }
  return runs;
}
