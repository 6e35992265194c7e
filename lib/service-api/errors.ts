import "server-only";
import { noteRequest } from "@/lib/log";
import { NO_STORE } from "@/lib/no-store";
import type { TokenError } from "@/lib/tokens/errors";

import { API_ERROR_STATUS, type ApiErrorCode } from "./error-codes";

export { API_ERROR_STATUS, type ApiErrorCode };

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly retryAfterSec?: number,
    status?: number,
  ) {
    super(message);
    this.status = status ?? API_ERROR_STATUS[code];
  }
}

export function errorResponse(e: ApiError): Response {
  noteRequest({ outcome: e.code });
  const headers: Record<string, string> = { ...NO_STORE };
  if (e.retryAfterSec !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(e.retryAfterSec)));
  if (e.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="zoho-oauth-console"';
  return Response.json({ error: { code: e.code, message: e.message } }, { status: e.status, headers });
}

const secondsUntil = (until: number | undefined, fallback: number) =>
  until ? Math.max(1, Math.ceil((until - Date.now()) / 1000)) : fallback;

/** What a service is told when the engine could not hand out a token. */
export function fromTokenError(e: TokenError): ApiError {
  const text = [e.message, e.advice].filter(Boolean).join(" ");
  switch (e.kind) {
    case "not_found":
      return new ApiError("not_found", "No such connection.");
    case "revoked":
      return new ApiError("revoked", text);
    case "needs_reauth":
    case "no_refresh_token":
      return new ApiError("needs_reauth", text);
    case "throttled":
    case "rate_limited":
      return new ApiError("throttled", text, secondsUntil(e.until, 60));
    case "backing_off":
    case "busy":
    case "reconnected":
    case "key_missing":
      return new ApiError("upstream_unavailable", text, secondsUntil(e.until, 5));
    case "zoho":
      if (e.zohoKind === "invalid_code") return new ApiError("needs_reauth", text);
      if (e.zohoKind === "throttled") return new ApiError("throttled", text, secondsUntil(e.until, 60));
      if (e.zohoKind === "timeout" || e.zohoKind === "network" || e.zohoKind === "server") {
        return new ApiError("upstream_unavailable", text, secondsUntil(e.until, 30));
      }
      return new ApiError("upstream_unavailable", text, secondsUntil(e.until, 30), 502);
  }
}
