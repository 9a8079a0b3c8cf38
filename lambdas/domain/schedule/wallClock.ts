/**
 * Wall-clock arithmetic. A wall time is held as "wall seconds": the seconds since
 * 1970-01-01T00:00:00 as read on the local clock, i.e. the epoch seconds the same reading
 * would have in UTC. It orders, adds and splits like a plain number, with no time zone involved.
 */
export type WallSeconds = number;

export interface WallParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export const SECONDS_PER_DAY = 86_400;

/**
 * Builds wall seconds from fields; out-of-range fields carry over (hour 24 is the next day).
 * Years must be 100 or later (Date.UTC maps 0-99 to the 1900s); the engine stays within 1000-9999.
 */
export function wallFromParts(
  year: number, month: number, day: number, hour = 0, minute = 0, second = 0,
): WallSeconds {
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

export function splitWall(wall: WallSeconds): WallParts {
  const date = new Date(wall * 1000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(wallFromParts(year, month, day) * 1000).getUTCDay();
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2025-03-09` */
export function formatWallDate(wall: WallSeconds): string {
  const p = splitWall(wall);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `02:30`, or `02:30:15` when seconds matter. */
export function formatWallTime(wall: WallSeconds, withSeconds: boolean): string {
  const p = splitWall(wall);
  const hm = `${pad(p.hour)}:${pad(p.minute)}`;
  return withSeconds ? `${hm}:${pad(p.second)}` : hm;
}
