import { dstNoteFor } from './dstNote';
import { nextRun } from './nextRun';
import type { Schedule } from './scheduleTypes';

export interface PreviewRun {
  readonly at: Date;
  /** Set when DST moved or merged this run (see dstNoteFor). */
  readonly note?: string;
}

/**
 * The next `count` runs strictly after `from`, exactly as nextRun would produce them one by
 * one, each with a DST note when a spring-forward gap or a fall-back repeat touched it.
 * Fewer than `count` when the schedule ends (at(), or a year-restricted cron).
 */
export function previewRuns(s: Schedule, from: Date, count: number, anchor?: Date): PreviewRun[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number >= 0, got ${count}`);
  const runs: PreviewRun[] = [];
  let cursor = from;
  while (runs.length < count) {
    const at = nextRun(s, cursor, anchor);
    if (at === null) break;
    const note = dstNoteFor(s, at);
    runs.push(note === undefined ? { at } : { at, note });
    cursor = at;
  }
  return runs;
}
