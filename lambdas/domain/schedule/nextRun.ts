import type { Schedule } from './parseSchedule';
import type { CronSpec } from './cronFields';
import { dayMatches } from './cronFields';
import type { WallResolution } from './zonedTime';
import { instantOf, wallOf } from './zonedTime';

/** How far a search looks before it decides there is no run (Feb 29 recurs within 8 years). */
const SEARCH_DAYS = 366 * 9;
const DAY = 86_400_000;

export interface Run {
  readonly at: Date;
  readonly wall: number;
  readonly resolution: WallResolution;
}

function dayStart(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}

function ymd(dayWall: number): [number, number, number] {
  const d = new Date(dayWall);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function timesOfDay(spec: CronSpec): number[] {
  const times: number[] = [];
  for (const h of spec.hours) for (const m of spec.minutes) for (const s of spec.seconds) times.push(h * 3_600_000 + m * 60_000 + s * 1000);
  return times;
}

const timeCache = new WeakMap<CronSpec, number[]>();
function times(spec: CronSpec): number[] {
  let t = timeCache.get(spec);
  if (!t) {
    t = timesOfDay(spec);
    timeCache.set(spec, t);
  }
  return t;
}

function lastYear(spec: CronSpec): number | null {
  return spec.years ? Math.max(...spec.years) : null;
}

/**
 * A wall time's instant never decreases as the wall time grows (a gap folds to one instant, an
 * overlap keeps its first pass), so the first run of a day after an instant is a binary search.
 */
function firstAfter(day: number, daily: readonly number[], timezone: string, after: number): Run | null {
  const last = instantOf(day + daily[daily.length - 1]!, timezone);
  if (last.ms <= after) return null;
  let lo = 0;
  let hi = daily.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (instantOf(day + daily[mid]!, timezone).ms > after) hi = mid;
    else lo = mid + 1;
  }
  const wall = day + daily[lo]!;
  const resolved = instantOf(wall, timezone);
  return { at: new Date(resolved.ms), wall, resolution: resolved.resolution };
}

function lastBefore(day: number, daily: readonly number[], timezone: string, before: number): Run | null {
  if (instantOf(day + daily[0]!, timezone).ms >= before) return null;
  let lo = 0;
  let hi = daily.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (instantOf(day + daily[mid]!, timezone).ms < before) lo = mid;
    else hi = mid - 1;
  }
  // Several wall times may fold into one instant (a gap): report the first of them.
  const ms = instantOf(day + daily[lo]!, timezone).ms;
  while (lo > 0 && instantOf(day + daily[lo - 1]!, timezone).ms === ms) lo--;
  const wall = day + daily[lo]!;
  return { at: new Date(ms), wall, resolution: instantOf(wall, timezone).resolution };
}

/** The first cron run strictly after `after`. */
export function nextCronRun(spec: CronSpec, timezone: string, after: number): Run | null {
  const startDay = dayStart(wallOf(after, timezone)) - DAY;
  const limitYear = lastYear(spec);
  const daily = times(spec);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = startDay + i * DAY;
    const [y, m, d] = ymd(day);
    if (limitYear !== null && y > limitYear) return null;
    if (!dayMatches(spec, y, m, d)) continue;
    const run = firstAfter(day, daily, timezone, after);
    if (run) return run;
  }
  return null;
}

/** The last cron run strictly before `before`. */
export function previousCronRun(spec: CronSpec, timezone: string, before: number): Run | null {
  const startDay = dayStart(wallOf(before, timezone)) + DAY;
  const daily = times(spec);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const day = startDay - i * DAY;
    const [y, m, d] = ymd(day);
    if (spec.years && y < Math.min(...spec.years)) return null;
    if (!dayMatches(spec, y, m, d)) continue;
    const run = lastBefore(day, daily, timezone, before);
    if (run) return run;
  }
  return null;
}

/** First run strictly after `after`, or null. Rate runs are anchor + k * interval, k >= 1. */
export function nextRun(s: Schedule, after: Date, anchor?: Date): Date | null {
  return nextRunDetailed(s, after, anchor)?.at ?? null;
}

export function nextRunDetailed(s: Schedule, after: Date, anchor?: Date): Run | null {
  const t = after.getTime();
  if (s.kind === 'at') return s.at.getTime() > t ? { at: s.at, wall: 0, resolution: 'exact' } : null;
  if (s.kind === 'rate') {
    const base = Math.floor((anchor ?? after).getTime() / 1000) * 1000;
    const k = Math.max(1, Math.floor((t - base) / s.intervalMs) + 1);
    return { at: new Date(base + k * s.intervalMs), wall: 0, resolution: 'exact' };
  }
  return nextCronRun(s.spec, s.timezone, t);
}

/** Last run strictly before `before`, or null. */
export function previousRun(s: Schedule, before: Date, anchor?: Date): Date | null {
  const t = before.getTime();
  if (s.kind === 'at') return s.at.getTime() < t ? s.at : null;
  if (s.kind === 'rate') {
    const base = Math.floor((anchor ?? before).getTime() / 1000) * 1000;
    const k = Math.ceil((t - base) / s.intervalMs) - 1;
    return k >= 1 ? new Date(base + k * s.intervalMs) : null;
  }
  return previousCronRun(s.spec, s.timezone, t)?.at ?? null;
}

export function isRecurring(s: Schedule): boolean {
  return s.kind !== 'at';
}

/** Smallest gap between consecutive runs in seconds (sampled), or null for at(). */
export function minimumIntervalSeconds(s: Schedule): number | null {
  if (s.kind === 'at') return null;
  if (s.kind === 'rate') return s.intervalMs / 1000;
  let prev = nextCronRun(s.spec, 'UTC', Date.UTC(2027, 0, 4));
  let min = Infinity;
  for (let i = 0; i < 100 && prev; i++) {
    const next = nextCronRun(s.spec, 'UTC', prev.at.getTime());
    if (!next) break;
    min = Math.min(min, (next.at.getTime() - prev.at.getTime()) / 1000);
    prev = next;
  }
  return Number.isFinite(min) ? min : null;
}
