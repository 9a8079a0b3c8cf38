import { matchesWall } from './cronMatcher';
import { nextMatchingWall } from './cronSearch';
import { parseAtLiteral } from './parseAt';
import type { CronSchedule, Schedule } from './scheduleTypes';
import { formatWallDate, formatWallTime } from './wallClock';
import type { WallSeconds } from './wallClock';
import { resolveWall, wallAt } from './zonedTime';

/** Lists this many skipped times by name; beyond it, a count and the first and last. */
const LISTED = 4;

function listTimes(times: string[]): string {
  return times.length === 1 ? times[0]! : `${times.slice(0, -1).join(', ')} and ${times.at(-1)}`;
}

function skippedNote(timezone: string, skipped: readonly WallSeconds[], total: number, run: WallSeconds, runMatches: boolean): string {
  const withSeconds = [...skipped, run].some((wall) => wall % 60 !== 0);
  const time = (wall: WallSeconds): string => formatWallTime(wall, withSeconds);
  const day = formatWallDate(skipped[0]!);
  const what = total === 1
    ? `${time(skipped[0]!)} does not exist`
    : total <= LISTED
      ? `${listTimes(skipped.map(time))} do not exist`
      : `${total} times from ${time(skipped[0]!)} to ${time(skipped.at(-1)!)} do not exist`;
  const once = total > 1 || runMatches ? 'once ' : '';
  const runDay = formatWallDate(run) === day ? '' : ` on ${formatWallDate(run)}`;
  return `DST: ${what} on ${day} in ${timezone}; runs ${once}at ${time(run)}${runDay}`;
}

function repeatedNote(timezone: string, wall: WallSeconds): string {
  const time = formatWallTime(wall, wall % 60 !== 0);
  return `DST: ${time} occurs twice on ${formatWallDate(wall)} in ${timezone}; runs at the first`;
}

function cronNote(s: CronSchedule, runSeconds: number): string | undefined {
  const wall = wallAt(s.timezone, runSeconds);
  const wallBefore = wallAt(s.timezone, runSeconds - 1);
  const notes: string[] = [];
  if (wall - wallBefore > 1) {
    // The run sits right after a spring-forward gap: name the expression's times inside it.
    const skipped: WallSeconds[] = [];
    let total = 0;
    for (let w = nextMatchingWall(s.fields, wallBefore + 1, Infinity); w !== null && w < wall; w = nextMatchingWall(s.fields, w + 1, Infinity)) {
      total++;
      if (total <= LISTED) skipped.push(w);
      else skipped[LISTED] = w;
    }
    if (total > 0) notes.push(skippedNote(s.timezone, total <= LISTED ? skipped : [skipped[0]!, skipped[LISTED]!], total, wall, matchesWall(s.fields, wall)));
  }
  if (resolveWall(s.timezone, wall).kind === 'repeated') notes.push(repeatedNote(s.timezone, wall));
  return notes.length > 0 ? notes.join(' ') : undefined;
}

function atNote(expression: string, timezone: string): string | undefined {
  const literal = parseAtLiteral(expression.slice(expression.indexOf('(') + 1, expression.lastIndexOf(')')));
  if (literal.offsetSeconds !== null) return undefined;
  const resolved = resolveWall(timezone, literal.wall);
  if (resolved.kind === 'repeated') return repeatedNote(timezone, literal.wall);
  if (resolved.kind === 'skipped') {
    return skippedNote(timezone, [literal.wall], 1, wallAt(timezone, resolved.epochSeconds), false);
  }
  return undefined;
}

/**
 * Explains how DST moved or merged a run, e.g.
 * "DST: 02:30 does not exist on 2025-03-09 in America/New_York; runs at 03:00" or
 * "DST: 01:30 occurs twice on 2025-11-02 in America/New_York; runs at the first".
 * Undefined for runs DST did not touch, and always for rate schedules (elapsed time).
 */
export function dstNoteFor(s: Schedule, run: Date): string | undefined {
  if (s.kind === 'rate') return undefined;
  if (s.kind === 'at') return atNote(s.expression, s.timezone);
  return cronNote(s, Math.floor(run.getTime() / 1000));
}
