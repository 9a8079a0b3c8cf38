import { SECONDS_PER_DAY, wallFromParts } from './wallClock';
import type { WallSeconds } from './wallClock';

/**
 * Time-zone arithmetic on top of Intl.DateTimeFormat (the only tz database we rely on).
 * Instants are epoch seconds; wall times are WallSeconds. Transitions are assumed to be more
 * than a day apart, which holds for every IANA zone since 2012 (the closest pair is 7 days).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const FORMATTED = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for an IANA zone name Intl knows (`Europe/Paris`, `UTC`); false for offsets like `+02:00`. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !/^[A-Za-z]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock reading in `timeZone` at an instant (epoch seconds, whole). */
export function wallAt(timeZone: string, epochSeconds: number): WallSeconds {
  const text = formatterFor(timeZone).format(epochSeconds * 1000);
  const m = FORMATTED.exec(text);
  if (m) return wallFromParts(+m[3]!, +m[1]!, +m[2]!, +m[4]!, +m[5]!, +m[6]!);
  // Unusual renderings (eras, far years): fall back to the slower structured form.
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochSeconds * 1000)) parts[part.type] = part.value;
  return wallFromParts(+parts.year!, +parts.month!, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
}

/** UTC offset in seconds at an instant (east positive). */
export function offsetAt(timeZone: string, epochSeconds: number): number {
  return wallAt(timeZone, epochSeconds) - epochSeconds;
}

/** First instant in (lo, hi] whose offset differs from the offset at lo. */
export function transitionAfter(timeZone: string, lo: number, hi: number): number {
  const before = offsetAt(timeZone, lo);
  let low = lo;
  let high = hi;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, mid) === before) low = mid;
    else high = mid;
  }
  return high;
}

export type WallKind = 'exact' | 'skipped' | 'repeated';

export interface ResolvedWall {
  /** The instant the wall time runs at under the DST policy. */
  readonly epochSeconds: number;
  /** `skipped`: inside a spring-forward gap; `repeated`: happens twice on a fall-back day. */
  readonly kind: WallKind;
}

/**
 * The instant at which a wall time runs, under the DST policy of the contract:
 * a skipped wall time runs at the first instant after the gap, a repeated one at its first
 * occurrence. The mapping is monotonic (later wall times never resolve to earlier instants).
 */
export function resolveWall(timeZone: string, wall: WallSeconds): ResolvedWall {
  const early = offsetAt(timeZone, wall - SECONDS_PER_DAY);
  const late = offsetAt(timeZone, wall + SECONDS_PER_DAY);
  const candidates: number[] = [];
  for (const offset of early === late ? [early] : [early, late]) {
    const instant = wall - offset;
    if (offsetAt(timeZone, instant) === offset) candidates.push(instant);
  }
  if (candidates.length === 2) return { epochSeconds: Math.min(...candidates), kind: 'repeated' };
  if (candidates.length === 1) return { epochSeconds: candidates[0]!, kind: 'exact' };
  if (early < late) {
    // In the gap: the instant `wall - late` is before the transition, `wall - early` after it.
    return { epochSeconds: transitionAfter(timeZone, wall - late, wall - early), kind: 'skipped' };
  }
  // Two transitions within a day of each other (none since 2012): keep the later offset.
  return { epochSeconds: wall - late, kind: 'exact' };
}

/**
 * When `epochSeconds` lies in the second pass of a repeated (fall-back) stretch, the wall time
 * at which that stretch ends: every wall time before it already ran in the first pass.
 * Otherwise null.
 */
export function repeatedStretchEnd(timeZone: string, epochSeconds: number): WallSeconds | null {
  const now = offsetAt(timeZone, epochSeconds);
  const dayBefore = offsetAt(timeZone, epochSeconds - SECONDS_PER_DAY);
  if (dayBefore <= now) return null;
  const firstPass = epochSeconds - (dayBefore - now);
  if (offsetAt(timeZone, firstPass) !== dayBefore) return null;
  const transition = transitionAfter(timeZone, firstPass, epochSeconds);
  return transition + dayBefore;
}
