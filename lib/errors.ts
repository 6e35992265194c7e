/**
 * The one error a person can fix: a message for the form and, optionally, the field it belongs to.
 * `guardedAction` turns it into a failed ActionResult; every other error is a bug and is rethrown.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    /** Where the person can go instead, e.g. the record that already exists. */
    readonly link?: { href: string; label: string },
  ) {
    super(message);
    this.name = "UserError";
  }
}
