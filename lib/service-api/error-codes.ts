/** The stable error codes of `/api/v1` and their usual HTTP statuses. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  needs_reauth: 409,
  /** A token minted to replace a refused one was refused too: scopes or the organisation are wrong, not the token. */
  token_refused_again: 409,
  revoked: 410,
  payload_too_large: 413,
  /** A token report whose Zoho answer does not name the token invalid (a missing scope, a wrong organisation). */
  not_a_token_refusal: 422,
  throttled: 429,
  internal: 500,
  /** 503 when Zoho is down or slow, 502 when it answered something the console cannot use. */
  upstream_unavailable: 503,
  /** 503 while the console's own database does not answer (restarting, unreachable). */
  database_unavailable: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
