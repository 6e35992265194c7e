/**
 * Reading the token endpoint's answers (zoho-oauth.md §3). Zoho answers errors with HTTP 200
 * and a JSON body, so the body decides, never the status alone.
 */
import { isRecord, optString, type ZohoHttpResponse } from "./http";
import { sanitiseZohoText, ZohoError, type ZohoErrorContext, type ZohoErrorKind } from "./zoho-error";

export interface TokenSet {
  accessToken: string;
  /** Only on code exchange with `access_type=offline`; Zoho never rotates refresh tokens. */
  refreshToken?: string;
  /** Where API calls for this token go; keep it across refreshes. */
  apiDomain: string;
  tokenType: string;
  expiresInSec: number;
  /** Granted scopes when Zoho says so (space or comma separated). */
  scope?: string;
  idToken?: string;
}

const TOKEN_ERRORS: Readonly<Record<string, ZohoErrorKind>> = {
  invalid_code: "invalid_code",
  invalid_client: "invalid_client",
  invalid_client_secret: "invalid_client_secret",
  invalid_redirect_uri: "invalid_redirect_uri",
};

/** Above a day, an `expires_in` can only be the old millisecond form (3600000). */
const MS_THRESHOLD = 86_400;

function num(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

function parseExpiresInSec(body: Record<string, unknown>): number | undefined {
  const sec = num(body.expires_in_sec);
  if (sec !== undefined) return Math.round(sec);
  const raw = num(body.expires_in);
  if (raw === undefined) return undefined;
  return Math.round(raw > MS_THRESHOLD ? raw / 1000 : raw);
}

function isThrottle(body: Record<string, unknown>): boolean {
  const err = typeof body.error === "string" ? body.error.toLowerCase() : "";
  const desc = typeof body.error_description === "string" ? body.error_description.toLowerCase() : "";
  return err === "access denied" || desc.includes("too many requests");
}

/** The error a JSON body carries, if any (checked before anything else, whatever the status). */
function tokenBodyError(body: Record<string, unknown>, ctx: ZohoErrorContext): ZohoError | undefined {
  if (isThrottle(body)) return new ZohoError("throttled", { ...ctx, zohoCode: "Access Denied" });
  if (body.error === undefined || body.error === null || body.error === false) return undefined;
  const code = typeof body.error === "string" ? body.error.trim() : "";
  const kind = TOKEN_ERRORS[code.toLowerCase()];
  if (kind) return new ZohoError(kind, { ...ctx, zohoCode: code.toLowerCase() });
  return new ZohoError("other", { ...ctx, zohoCode: sanitiseZohoText(code, 60) ?? "unrecognised error" });
}

function looksLikeHtml(res: ZohoHttpResponse): boolean {
  return res.contentType.toLowerCase().includes("html") || /^\s*</.test(res.text);
}

/** Common checks for every token-endpoint answer: returns the JSON body or throws. */
export function tokenEndpointBody(res: ZohoHttpResponse, ctx: ZohoErrorContext): Record<string, unknown> {
  const c = { ...ctx, host: ctx.host ?? res.host, status: res.status };
  const body = isRecord(res.json) ? res.json : undefined;
  const bodyError = body ? tokenBodyError(body, c) : undefined;
  // Zoho's throttle and protocol errors are meaningful whatever the status line says.
  if (bodyError && (res.status < 500 || bodyError.kind === "throttled")) throw bodyError;
  if (res.status >= 500) throw new ZohoError("server", c);
  if (res.status === 429) throw new ZohoError("throttled", c);
  if (res.status >= 300 && res.status < 400) throw new ZohoError("malformed", c, "(redirected)");
  if (!body) throw new ZohoError("malformed", c, looksLikeHtml(res) ? "(an HTML page)" : "(not JSON)");
  return body;
}

/** Success body → TokenSet, or a `malformed` error naming the missing field (never its value). */
export function parseTokenSet(body: Record<string, unknown>, ctx: ZohoErrorContext): TokenSet {
  const accessToken = optString(body.access_token, 4096);
  if (!accessToken || /\s/.test(accessToken)) throw new ZohoError("malformed", ctx, "(no access_token)");
  const apiDomain = optString(body.api_domain, 300)?.replace(/\/+$/, "");
  if (!apiDomain || !/^https?:\/\/[^\s/?#@]+(\/[^\s?#@]*)?$/i.test(apiDomain)) {
    throw new ZohoError("malformed", ctx, "(no usable api_domain)");
  }
  const expiresInSec = parseExpiresInSec(body);
  if (expiresInSec === undefined) throw new ZohoError("malformed", ctx, "(no expires_in)");
  const refreshToken = optString(body.refresh_token, 4096);
  const set: TokenSet = {
    accessToken,
    apiDomain,
    tokenType: optString(body.token_type, 40) ?? "Bearer",
    expiresInSec,
  };
  if (refreshToken) set.refreshToken = refreshToken;
  const scope = optString(body.scope, 4000);
  if (scope) set.scope = scope;
  const idToken = optString(body.id_token, 8000);
  if (idToken) set.idToken = idToken;
  return set;
}
