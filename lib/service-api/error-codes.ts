/** The stable error codes of `/api/v1` and their usual HTTP statuses. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  needs_reauth: 409,
  revoked: 410,
  payload_too_large: 413,
  throttled: 429,
  internal: 500,
  /** 503 when Zoho is down or slow, 502 when it answered something the console cannot use. */
  upstream_unavailable: 503,
  /** 503 while the console's own database does not answer (restarting, unreachable). */
  database_unavailable: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
