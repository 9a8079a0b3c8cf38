import { matchesWall } from './cronMatcher';
import { nextMatchingWall } from './cronSearch';
import { parseAtLiteral } from './parseAt';
import type { CronFields, CronSchedule, Schedule } from './scheduleTypes';
import { formatWallDate, formatWallTime } from './wallClock';
import type { WallSeconds } from './wallClock';
import { resolveWall, wallAt } from './zonedTime';

/** Lists this many skipped times by name; beyond it, a count and the first and last. */
const LISTED = 4;

function listTimes(times: string[]): string {
  return times.length === 1 ? times[0]! : `${times.slice(0, -1).join(', ')} and ${times.at(-1)}`;
}

/** The wall times of a schedule that a gap swallowed. */
interface SkippedTimes {
  /** The first few, to name them. */
  readonly listed: readonly WallSeconds[];
  readonly last: WallSeconds;
  readonly total: number;
}

function skippedNote(timezone: string, skipped: SkippedTimes, run: WallSeconds, runMatches: boolean): string {
  const { listed, last, total } = skipped;
  const withSeconds = [...listed, last, run].some((wall) => wall % 60 !== 0);
  const time = (wall: WallSeconds): string => formatWallTime(wall, withSeconds);
  const day = formatWallDate(listed[0]!);
  const what = total === 1
    ? `${time(last)} does not exist`
    : total <= LISTED
      ? `${listTimes(listed.map(time))} do not exist`
      : `${total} times from ${time(listed[0]!)} to ${time(last)} do not exist`;
  const once = total > 1 || runMatches ? 'once ' : '';
  const runDay = formatWallDate(run) === day ? '' : ` on ${formatWallDate(run)}`;
  return `DST: ${what} on ${day} in ${timezone}; runs ${once}at ${time(run)}${runDay}`;
}

function repeatedNote(timezone: string, wall: WallSeconds): string {
  const time = formatWallTime(wall, wall % 60 !== 0);
  return `DST: ${time} occurs twice on ${formatWallDate(wall)} in ${timezone}; runs at the first`;
}

/** The expression's wall times in [from, to), or null when there are none. */
function matchingWallsBetween(fields: CronFields, from: WallSeconds, to: WallSeconds): SkippedTimes | null {
  const listed: WallSeconds[] = [];
  let last = from;
  let total = 0;
  for (let w = nextMatchingWall(fields, from, Infinity); w !== null && w < to; w = nextMatchingWall(fields, w + 1, Infinity)) {
    if (listed.length < LISTED) listed.push(w);
    last = w;
    total++;
  }
  return total === 0 ? null : { listed, last, total };
}

function cronNote(s: CronSchedule, runSeconds: number): string | undefined {
  const wall = wallAt(s.timezone, runSeconds);
  const wallBefore = wallAt(s.timezone, runSeconds - 1);
  const notes: string[] = [];
  if (wall - wallBefore > 1) {
    // The run sits right after a spring-forward gap: name the expression's times inside it.
    const skipped = matchingWallsBetween(s.fields, wallBefore + 1, wall);
    if (skipped) notes.push(skippedNote(s.timezone, skipped, wall, matchesWall(s.fields, wall)));
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
    const skipped = { listed: [literal.wall], last: literal.wall, total: 1 };
    return skippedNote(timezone, skipped, wallAt(timezone, resolved.epochSeconds), false);
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
