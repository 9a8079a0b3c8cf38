/** A one-shot run at a fixed instant (whole seconds). */
export interface AtSchedule {
  readonly kind: 'at';
  readonly expression: string;
  readonly timezone: string;
  readonly at: Date;
}

/** A fixed elapsed interval, independent of wall clocks and DST. */
export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly timezone: string;
  readonly intervalMs: number;
}

/** How the cron text was written; it decides field order and day-of-week numbering. */
export type CronDialect = 'eventbridge' | 'unix' | 'unix-seconds';

/** Day-of-month restrictions; a day matching any entry matches. */
export interface DayOfMonthRule {
  /** Plain days of the month, 1-31. */
  readonly days: readonly number[];
  /** Days counted back from the last day: 0 is `L`, 3 is `L-3`. */
  readonly fromLastDay: readonly number[];
  /** `15W`: the weekday nearest to that day, never leaving the month. */
  readonly nearestWeekday: readonly number[];
  /** `LW`: the last weekday (Monday-Friday) of the month. */
  readonly lastWeekday: boolean;
}

/** Day-of-week restrictions, weekdays 0-6 with 0 = Sunday whatever the dialect. */
export interface DayOfWeekRule {
  readonly weekdays: readonly number[];
  /** `5L` (unix) / `6L` (EventBridge): the last such weekday of the month. */
  readonly lastOfMonth: readonly number[];
  /** `2#1`: the n-th such weekday of the month (n 1-5). */
  readonly nthOfMonth: ReadonlyArray<{ readonly weekday: number; readonly n: number }>;
}

/**
 * A parsed cron expression over wall-clock fields. Value lists are sorted and unique.
 * A `null` day rule means unrestricted (`*` or `?`); when both day rules are present, a day
 * matching either one runs (Vixie cron's OR rule).
 */
export interface CronFields {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: readonly number[];
  /** `null` when every year matches. */
  readonly years: readonly number[] | null;
  readonly dayOfMonth: DayOfMonthRule | null;
  readonly dayOfWeek: DayOfWeekRule | null;
}

/** A cron schedule evaluated on the wall clock of `timezone`. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly timezone: string;
  readonly dialect: CronDialect;
  readonly fields: CronFields;
}

export type Schedule = AtSchedule | RateSchedule | CronSchedule;
