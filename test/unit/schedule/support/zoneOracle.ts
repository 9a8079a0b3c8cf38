import type { WallReading } from './cronOracle';

/**
 * The DST policy, restated by brute force over instants for the tests: an instant runs when
 * its wall reading matches and is not a repeat of an earlier reading, or when it is the first
 * instant after a gap that swallowed a matching wall time.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall reading of an instant (epoch seconds) in a zone. */
export function readWall(timeZone: string, epochSeconds: number): WallReading {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(epochSeconds * 1000).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
  };
}

/** The wall reading as seconds on a UTC clock, for arithmetic. */
export function wallNumber(w: WallReading): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000;
}

export function fromWallNumber(n: number): WallReading {
  const d = new Date(n * 1000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

const offsetOf = (timeZone: string, t: number): number => wallNumber(readWall(timeZone, t)) - t;

/** Whether the wall reading at t already happened earlier (second pass of a fall-back). */
export function isRepeatedReading(timeZone: string, t: number): boolean {
  const shift = offsetOf(timeZone, t - 86_400) - offsetOf(timeZone, t);
  return shift > 0 && wallNumber(readWall(timeZone, t - shift)) === wallNumber(readWall(timeZone, t));
}

/** Wall times skipped just before t (empty unless t is the first instant after a gap). */
export function skippedWallsBefore(timeZone: string, t: number, stepSeconds: number): WallReading[] {
  const before = wallNumber(readWall(timeZone, t - 1));
  const now = wallNumber(readWall(timeZone, t));
  const skipped: WallReading[] = [];
  const first = Math.ceil((before + 1) / stepSeconds) * stepSeconds;
  for (let w = first; w < now; w += stepSeconds) skipped.push(fromWallNumber(w));
  return skipped;
}

/** Whether the policy says a run happens at instant t (epoch seconds). */
export function policyRunsAt(
  matches: (w: WallReading) => boolean, timeZone: string, t: number, stepSeconds: number,
): boolean {
  if (matches(readWall(timeZone, t)) && !isRepeatedReading(timeZone, t)) return true;
  return skippedWallsBefore(timeZone, t, stepSeconds).some(matches);
}

/** Offset transitions (epoch seconds) of a zone between two instants: scan, then bisect to the second. */
export function transitionsBetween(timeZone: string, from: number, to: number, scanSeconds = 3600): number[] {
  const found: number[] = [];
  let previous = offsetOf(timeZone, from);
  for (let t = from + scanSeconds; t <= to; t += scanSeconds) {
    const offset = offsetOf(timeZone, t);
    if (offset === previous) continue;
    let low = t - scanSeconds;
    let high = t;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (offsetOf(timeZone, mid) === previous) low = mid;
      else high = mid;
    }
    found.push(high);
    previous = offset;
  }
  return found;
}

/** `2025-03-09 03:00:00` in the zone, for readable assertions. */
export function localText(timeZone: string, date: Date): string {
  const w = readWall(timeZone, Math.floor(date.getTime() / 1000));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
}
