/** A schedule expression that cannot be used; `field` names the part at fault. */
export class ScheduleSyntaxError extends Error {
  override readonly name = 'ScheduleSyntaxError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
