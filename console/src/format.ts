import { h } from './dom';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-29 03:00:00" on the wall clock of `timeZone` (default: the browser's). */
export function wallTime(iso: string, timeZone?: string): string {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      ...(timeZone ? { timeZone } : {}),
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(key, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** "in 5 s", "3 min ago", "in 2 h", "in 1 day". */
export function relativeTime(iso: string, now = Date.now()): string {
  const deltaSeconds = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(deltaSeconds);
  if (size === 0) return 'now';
  const days = Math.round(size / 86_400);
  const amount = size < 60 ? `${size} s` : size < 3600 ? `${Math.round(size / 60)} min` : size < 86_400 ? `${Math.round(size / 3600)} h` : `${days} day${days === 1 ? '' : 's'}`;
  return deltaSeconds > 0 ? `in ${amount}` : `${amount} ago`;
}

export interface TimeOptions {
  /** Add "(in 5 s)". @default true */
  readonly relative?: boolean;
  /** Show the wall clock of this zone, named after the time. @default the browser's zone, unnamed */
  readonly timeZone?: string;
}

/** A `<time>` element; the exact ISO instant is its title. */
export function timeElement(iso: string | null | undefined, options: TimeOptions = {}): HTMLElement | string {
  if (!iso) return '—';
  const zone = options.timeZone ? ` ${options.timeZone}` : '';
  const relative = options.relative === false ? '' : ` (${relativeTime(iso)})`;
  return h('time', { datetime: iso, title: iso }, `${wallTime(iso, options.timeZone)}${zone}${relative}`);
}

/** The browser's zone, which every time without a zone name is shown in. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The payload as the form shows it: JSON text, pretty-printed. */
export function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}
