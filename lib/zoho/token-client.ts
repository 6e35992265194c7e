/**
 * Calls to the token endpoints of one accounts server (zoho-oauth.md §1, §3).
 * Each call goes to the accounts server of the connection's own DC; the caller passes it from
 * the data-centre table, never from user input.
 */
import type { DcLocation } from "./data-centres";
import { zohoHttp, type HttpOptions } from "./http";
import { formatScopeString } from "./scope-string";
import { parseTokenSet, tokenEndpointBody, type TokenSet } from "./token-response";
import { ZohoError, type ZohoErrorContext, type ZohoOperation } from "./zoho-error";

export type { TokenSet } from "./token-response";

interface AccountsCall extends HttpOptions {
  /** e.g. `https://accounts.zoho.eu` (a `DataCentre.accountsServer`). */
  accountsServer: string;
  /** DC of that server, for messages like "not enabled in DC eu". */
  location?: DcLocation;
}

interface ClientAuth {
  clientId: string;
  clientSecret: string;
}

interface ExchangeCodeOptions extends AccountsCall, ClientAuth {
  code: string;
  /** Must equal the one sent to the consent page; omit for a self-client code. */
  redirectUri?: string;
}

interface RefreshOptions extends AccountsCall, ClientAuth {
  refreshToken: string;
}

interface RevokeOptions extends AccountsCall {
  /** A refresh token (kills every access token minted from it) or an access token. */
  token: string;
  /**
   * Zoho documents the token as a query parameter; `body` sends it form-encoded instead.
   * Defaults to Zoho's documented form.
   */
  tokenIn?: "query" | "body";
}

interface ClientCredentialsOptions extends AccountsCall, ClientAuth {
  scopes: string | readonly string[];
  /** Self clients name the org they act for, e.g. `ZohoCRM.123456789`. */
  soid?: string;
}

export function accountsEndpoint(accountsServer: string, path: string): string {
  let url: URL;
  try {
    url = new URL(accountsServer);
  } catch {
    throw new TypeError("accountsServer is not a URL");
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search || url.hash || url.username) {
    throw new TypeError("accountsServer must be a plain http(s) base URL");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${path}`;
}

function requireValue(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${name} is required`);
  return value.trim();
}

function ctxOf(opts: AccountsCall, operation: ZohoOperation): ZohoErrorContext {
  return { operation, location: opts.location };
}

async function tokenCall(opts: AccountsCall, operation: ZohoOperation, params: URLSearchParams): Promise<TokenSet> {
  const ctx = ctxOf(opts, operation);
  const res = await zohoHttp({
    url: accountsEndpoint(opts.accountsServer, "/oauth/v2/token"),
    method: "POST",
    body: params,
    ctx,
    timeoutMs: opts.timeoutMs,
    fetchImpl: opts.fetchImpl,
    signal: opts.signal,
  });
  const body = tokenEndpointBody(res, ctx);
  return parseTokenSet(body, { ...ctx, host: res.host, status: res.status });
}

/** Authorization code → tokens. Errors (HTTP 200 bodies included) throw `ZohoError`. */
export function exchangeCode(opts: ExchangeCodeOptions): Promise<TokenSet> {
  const params = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: requireValue(opts.clientId, "clientId"),
    client_secret: requireValue(opts.clientSecret, "clientSecret"),
    code: requireValue(opts.code, "code"),
  });
  if (opts.redirectUri) params.set("redirect_uri", opts.redirectUri);
  return tokenCall(opts, "exchange", params);
}

/** Refresh token → new access token. The answer has no refresh token: keep the old one. */
export function refreshAccessToken(opts: RefreshOptions): Promise<TokenSet> {
  const params = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: requireValue(opts.clientId, "clientId"),
    client_secret: requireValue(opts.clientSecret, "clientSecret"),
    refresh_token: requireValue(opts.refreshToken, "refreshToken"),
  });
  return tokenCall(opts, "refresh", params);
}

/** Self client, no user: an access token for the org named by `soid`. */
export function clientCredentialsToken(opts: ClientCredentialsOptions): Promise<TokenSet> {
  const params = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: requireValue(opts.clientId, "clientId"),
    client_secret: requireValue(opts.clientSecret, "clientSecret"),
    scope: formatScopeString(opts.scopes),
  });
  if (opts.soid !== undefined) {
    if (!/^[A-Za-z][A-Za-z0-9]*\.[A-Za-z0-9_-]{1,64}$/.test(opts.soid)) {
      throw new TypeError("soid must look like Service.orgId, e.g. ZohoCRM.123456789");
    }
    params.set("soid", opts.soid);
  }
  return tokenCall(opts, "client_credentials", params);
}

/**
 * Revokes a token at Zoho. Resolves when Zoho confirms; an unknown token throws
 * `unknown_token` so the caller can decide that "already gone" is fine.
 */
export async function revokeToken(opts: RevokeOptions): Promise<void> {
  const ctx = ctxOf(opts, "revoke");
  const token = requireValue(opts.token, "token");
  const base = accountsEndpoint(opts.accountsServer, "/oauth/v2/token/revoke");
  const inBody = opts.tokenIn === "body";
  const res = await zohoHttp({
    url: inBody ? base : `${base}?${new URLSearchParams({ token })}`,
    method: "POST",
    body: inBody ? new URLSearchParams({ token }) : new URLSearchParams(),
    ctx,
    timeoutMs: opts.timeoutMs,
    fetchImpl: opts.fetchImpl,
    signal: opts.signal,
  });
  const c = { ...ctx, host: res.host, status: res.status };
  // Zoho answers an unknown token with HTTP 400, not with a body error.
  if (res.status === 400 && !isThrottleBody(res.json)) throw new ZohoError("unknown_token", c);
  const body = tokenEndpointBody(res, ctx);
  if (typeof body.status === "string" && body.status.toLowerCase() === "success") return;
  throw new ZohoError("other", { ...c, zohoCode: "revoke not confirmed" });
}

function isThrottleBody(json: unknown): boolean {
  return typeof json === "object" && json !== null && (json as { error?: unknown }).error === "Access Denied";
}
