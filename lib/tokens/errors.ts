/** Why the engine would not (or could not) hand out a token; messages are safe to show. */
type TokenErrorKind =
  | "not_found"
  | "revoked"
  | "needs_reauth"
  | "no_refresh_token"
  | "throttled"
  | "rate_limited"
  | "backing_off"
  | "busy"
  /** A stored secret cannot be decrypted: its encryption key is not configured (or differs). */
  | "key_missing"
  /** A reconnect replaced the tokens while this operation ran on the old ones. */
  | "reconnected"
  | "zoho";

export class TokenError extends Error {
  readonly kind: TokenErrorKind;
  /** When trying again makes sense (end of a throttle window, next retry). */
  readonly until?: number;
  readonly advice?: string;
  /** The Zoho error kind behind a `zoho` failure (`invalid_code`, `server`, …). */
  readonly zohoKind?: string;

  constructor(kind: TokenErrorKind, message: string, extra: { until?: number; advice?: string; zohoKind?: string } = {}) {
    super(message);
    this.name = "TokenError";
    this.kind = kind;
    this.until = extra.until;
    this.advice = extra.advice;
    this.zohoKind = extra.zohoKind;
  }
}

export const isTokenError = (e: unknown): e is TokenError => e instanceof TokenError;
