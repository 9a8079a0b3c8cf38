import { ScheduleSyntaxError } from './scheduleErrors';

/** What one cron field accepts. */
export interface FieldSpec {
  /** Field name used in errors: `minute`, `dayOfWeek`, ... */
  readonly field: string;
  readonly min: number;
  readonly max: number;
  /** Upper-case names and their numeric values (JAN=1, SUN=0 or 1 depending on the dialect). */
  readonly names?: Readonly<Record<string, number>>;
  /** How the names read in a message, e.g. `JAN-DEC`. */
  readonly nameHint?: string;
}

export const MONTH_NAMES: Readonly<Record<string, number>> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
};

/** Weekday names with a base: 0 for unix cron (SUN=0), 1 for EventBridge (SUN=1). */
export function weekdayNames(sundayValue: number): Readonly<Record<string, number>> {
  const names = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  return Object.fromEntries(names.map((name, i) => [name, i + sundayValue]));
}

/** Splits a comma list, refusing empty items such as `1,,2` or a trailing comma. */
export function splitList(text: string, spec: FieldSpec): string[] {
  const items = text.split(',');
  if (items.some((item) => item === '')) {
    throw new ScheduleSyntaxError(spec.field, `'${text}' has an empty item in its list`);
  }
  return items;
}

/** Parses one value, a number or a name. */
export function parseFieldValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.[text.toUpperCase()];
  let value: number;
  if (named !== undefined) {
    value = named;
  } else if (/^\d+$/.test(text)) {
    value = Number(text);
  } else {
    const hint = spec.nameHint ? ` or a name (${spec.nameHint})` : '';
    throw new ScheduleSyntaxError(spec.field, `'${text}' is not a number${hint}`);
  }
  if (value < spec.min || value > spec.max) {
    throw new ScheduleSyntaxError(spec.field, `${text} is out of range ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseStep(text: string, item: string, spec: FieldSpec): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new ScheduleSyntaxError(spec.field, `step '${text}' in '${item}' must be a whole number of at least 1`);
  }
  return Number(text);
}

/** Parses one list item: `*`, `n`, `a-b`, `*\/s`, `a-b/s` or `a/s` (a, then every s up to the max). */
export function parseFieldItem(item: string, spec: FieldSpec): number[] {
  const slash = item.split('/');
  if (slash.length > 2) throw new ScheduleSyntaxError(spec.field, `'${item}' has more than one '/'`);
  const [rangeText, stepText] = slash as [string, string | undefined];
  const step = stepText === undefined ? 1 : parseStep(stepText, item, spec);

  let start: number;
  let end: number;
  if (rangeText === '*') {
    start = spec.min;
    end = spec.max;
  } else {
    const bounds = rangeText.split('-');
    if (bounds.length > 2 || bounds.some((b) => b === '')) {
      throw new ScheduleSyntaxError(spec.field, `'${item}' is not a value, a range a-b or a step`);
    }
    start = parseFieldValue(bounds[0]!, spec);
    if (bounds.length === 2) {
      end = parseFieldValue(bounds[1]!, spec);
      if (start > end) {
        throw new ScheduleSyntaxError(spec.field, `range ${rangeText} runs backwards (${bounds[0]} is after ${bounds[1]})`);
      }
    } else {
      end = stepText === undefined ? start : spec.max;
    }
  }
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return values;
}

/** Parses a whole field (comma list of items) into sorted, unique values. */
export function parseField(text: string, spec: FieldSpec): number[] {
  if (text === '?') {
    throw new ScheduleSyntaxError(spec.field, `'?' is only allowed in day-of-month or day-of-week`);
  }
  const values = new Set<number>();
  for (const item of splitList(text, spec)) for (const v of parseFieldItem(item, spec)) values.add(v);
  return [...values].sort((a, b) => a - b);
}
