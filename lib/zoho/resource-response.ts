/**
 * Reading answers from Zoho's resource servers (products and `/oauth/user/info`). Each product
 * reports errors its own way — Desk `{errorCode}`, SalesIQ HTTP 200 `{error:{code,message}}`,
 * accounts `{error}` — so they are classified here once.
 */
import { isRecord, type ZohoHttpResponse } from "./http";
import { sanitiseZohoText, ZohoError, type ZohoErrorContext } from "./zoho-error";

const INVALID_TOKEN_CODES = new Set([
  "invalid_oauthtoken",
  "invalid_token",
  "invalid_oauth",
  "oauth_token_invalid",
  "invalid_oauth_token",
]);
const SCOPE_CODES = new Set([
  "scope_mismatch",
  "oauth_scope_mismatch",
  "invalid_scope",
  "insufficient_scope",
  "invalid_oauthscope",
  "invalid_oauth_scope",
]);
/**
 * SalesIQ reports errors only by number (always HTTP 200): 1002 missing or invalid Authorization
 * header, 1008 invalid OAuth token, 1009 invalid OAuth scope. Its messages never say
 * INVALID_OAUTHTOKEN, so the number is all there is to go on.
 */
const NUMERIC_INVALID_TOKEN_CODES = new Set(["1002", "1008"]);
const NUMERIC_SCOPE_CODES = new Set(["1009"]);
/** SalesIQ 1005 (invalid portal) and Assist's organisation error carry the same number. */
const NUMERIC_ORG_CODES = new Set(["1005"]);
/** Desk: the `orgId` is not the organisation the token was granted for, or not the user's. */
const ORG_CODES = new Set(["oauth_org_mismatch", "org_mismatch", "invalid_orgid", "invalid_org"]);

/** The short code and message an error body carries, whichever product wrote it. */
function errorParts(body: Record<string, unknown>): { code?: string; message?: string } | undefined {
  const err = body.error;
  if (isRecord(err)) {
    return { code: sanitiseZohoText(err.code, 60), message: sanitiseZohoText(err.message) };
  }
  if (typeof err === "string" && err) return { code: sanitiseZohoText(err, 60), message: sanitiseZohoText(body.error_description) };
  if (typeof body.errorCode === "string" || typeof body.errorCode === "number") {
    return { code: sanitiseZohoText(body.errorCode, 60), message: sanitiseZohoText(body.message) };
  }
  // Some accounts answers: {"status":"failure","code":"INVALID_OAUTHTOKEN"} or {"response":"error"};
  // www.zohoapis.*: {"code":"INVALID_TOKEN"|"OAUTH_SCOPE_MISMATCH","status":"error",…}.
  if (body.status === "failure" || body.response === "error" || (body.status === "error" && body.code !== undefined)) {
    return { code: sanitiseZohoText(body.code ?? body.status, 60), message: sanitiseZohoText(body.message) };
  }
  return undefined;
}

type ProductAnswerKind = "invalid_token" | "insufficient_scope" | "wrong_org";

function classify(parts: { code?: string; message?: string }): ProductAnswerKind | undefined {
  const code = parts.code?.trim();
  if (code && NUMERIC_INVALID_TOKEN_CODES.has(code)) return "invalid_token";
  if (code && NUMERIC_SCOPE_CODES.has(code)) return "insufficient_scope";
  if (code && NUMERIC_ORG_CODES.has(code)) return "wrong_org";
  if (code && ORG_CODES.has(code.toLowerCase())) return "wrong_org";
  const texts = [parts.code, parts.message].filter(Boolean).map((t) => t!.toLowerCase().replace(/[\s-]+/g, "_"));
  if (texts.some((t) => INVALID_TOKEN_CODES.has(t) || t.includes("invalid_oauthtoken"))) return "invalid_token";
  if (texts.some((t) => SCOPE_CODES.has(t) || t.includes("scope_mismatch"))) return "insufficient_scope";
  return undefined;
}


/**
 * Whether a product's answer (Desk, Assist, SalesIQ, `www.zohoapis.*`) says the access token is
 * invalid, lacks the scope, or is not valid for the organisation asked for. Error bodies are read the same way `resourceBody` reads them, so
 * SalesIQ's HTTP-200 errors count too; an HTTP 401 without a recognisable error body means an
 * invalid token. Success bodies and every other error (validation, org, URL) give undefined.
 */
export function productAnswerKind(status: number, json: unknown): ProductAnswerKind | undefined {
  const parts = isRecord(json) ? errorParts(json) : undefined;
  if (parts) return classify(parts);
  return status === 401 ? "invalid_token" : undefined;
}

/**
 * Whether Zoho's answer names the access token invalid with one of its documented codes (Desk
 * INVALID_OAUTH, accounts INVALID_OAUTHTOKEN, SalesIQ 1008, …). Stricter than
 * `productAnswerKind`: a bare 401 or an answer the console cannot read is not enough, because a
 * refresh spent on it would cost Zoho's budget of ten per ten minutes for nothing — and a caller
 * able to provoke such answers could spend that budget for everyone.
 */
export function namesInvalidToken(json: unknown): boolean {
  const parts = isRecord(json) ? errorParts(json) : undefined;
  return parts !== undefined && classify(parts) === "invalid_token";
}

/** The short code of an error Zoho answered, as `namesInvalidToken` reads it; undefined for anything else. */
export function zohoAnswerCode(json: unknown): string | undefined {
  return isRecord(json) ? errorParts(json)?.code : undefined;
}

/** Returns the JSON body of a successful answer, or throws the matching `ZohoError`. */
export function resourceBody(res: ZohoHttpResponse, ctx: ZohoErrorContext): Record<string, unknown> | unknown[] {
  const c: ZohoErrorContext = { ...ctx, host: ctx.host ?? res.host, status: res.status };
  const json = res.json;
  const parts = isRecord(json) ? errorParts(json) : undefined;
  if (parts) {
    const kind = classify(parts);
    if (kind) throw new ZohoError(kind, { ...c, zohoCode: parts.code, tokenNamedInvalid: kind === "invalid_token" });
    if (parts.code?.toLowerCase() === "access denied") throw new ZohoError("throttled", { ...c, zohoCode: parts.code });
    if (res.status >= 500) throw new ZohoError("server", c);
    if (res.status === 401) throw new ZohoError("invalid_token", { ...c, zohoCode: parts.code });
    throw new ZohoError("other", { ...c, zohoCode: parts.code }, parts.message ? `— ${parts.message}` : undefined);
  }
  if (res.status >= 500) throw new ZohoError("server", c);
  if (res.status === 401) throw new ZohoError("invalid_token", c);
  if (res.status === 429) throw new ZohoError("throttled", c);
  if (res.status >= 400) throw new ZohoError("other", { ...c, zohoCode: `HTTP ${res.status}` });
  if (res.status >= 300) throw new ZohoError("malformed", c, "(redirected)");
  if (!isRecord(json) && !Array.isArray(json)) {
    const html = res.contentType.toLowerCase().includes("html") || /^\s*</.test(res.text);
    throw new ZohoError("malformed", c, html ? "(an HTML page)" : "(not JSON)");
  }
  return json;
}

export function authHeader(accessToken: string): Record<string, string> {
  if (typeof accessToken !== "string" || accessToken.trim() === "" || /\s/.test(accessToken.trim())) {
    throw new TypeError("accessToken is required");
  }
  return { Authorization: `Zoho-oauthtoken ${accessToken.trim()}` };
}
