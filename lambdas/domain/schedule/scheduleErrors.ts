/**
 * A schedule expression or time zone that Tock refuses. `field` names the part at fault
 * (`schedule` for the expression as a whole, at() and rate(); `timezone`; and the cron
 * fields `second`, `minute`, `hour`, `day-of-month`, `month`, `day-of-week`, `year`) and the message always reads `<field>: <reason>`, so the API can show it as is.
 */
export class ScheduleSyntaxError extends Error {
  override readonly name = 'ScheduleSyntaxError';
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string, options?: { cause?: unknown }) {
    super(`${field}: ${reason}`, options);
    this.field = field;
    this.reason = reason;
  }
}
