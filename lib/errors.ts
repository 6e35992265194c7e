/**
 * The one error a person can fix: a message for the form and, optionally, the field it belongs to.
 * `guardedAction` turns it into a failed ActionResult; every other error is a bug and is rethrown.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
