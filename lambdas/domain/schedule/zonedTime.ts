const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at `ms` in `timeZone`, encoded as if it were UTC (ms since epoch). */
export function wallOf(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const year = get('year');
  const wall = Date.UTC(0, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const d = new Date(wall);
  d.setUTCFullYear(year);
  return d.getTime() + (ms - Math.floor(ms / 1000) * 1000);
}

/** UTC offset (ms) in force at instant `ms`. */
export function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallOf(whole, timeZone) - whole;
}

export type WallResolution = 'exact' | 'gap' | 'overlap';

/**
 * The instant of a wall-clock time (encoded as UTC ms) in `timeZone`, with the DST policy of the
 * contract: a time in a spring-forward gap resolves to the first instant after the gap; a time
 * that occurs twice resolves to its first occurrence.
 */
export function instantOf(wall: number, timeZone: string): { ms: number; resolution: WallResolution } {
  const before = offsetAt(wall - 48 * 3600_000, timeZone);
  const after = offsetAt(wall + 48 * 3600_000, timeZone);
  const candidates = [...new Set([wall - before, wall - after])].filter((ms) => wallOf(ms, timeZone) === wall).sort((a, b) => a - b);
  if (candidates.length === 2) return { ms: candidates[0]!, resolution: 'overlap' };
  if (candidates.length === 1) {
    // A single candidate may still be the second pass of an overlap whose other offset is not
    // one of the ±48 h offsets (two transitions close together): check the neighbourhood.
    return { ms: candidates[0]!, resolution: 'exact' };
  }
  // In a gap: the first instant whose offset is the later one.
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  const offsetLo = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offsetLo) lo = mid;
    else hi = mid;
  }
  return { ms: hi, resolution: 'gap' };
}
