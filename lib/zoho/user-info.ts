/** Who consented: `/oauth/user/info` on the connection's accounts server (needs the profile scope). */
import type { DcLocation } from "./data-centres";
import { idString, isRecord, optString, zohoHttp, type HttpOptions } from "./http";
import { authHeader, resourceBody } from "./resource-response";
import { accountsEndpoint } from "./token-client";
import { ZohoError, type ZohoErrorContext } from "./zoho-error";

export interface ZohoUserInfo {
  /** Zoho user id; the refresh-token budget (20 per user per client) is counted against it. */
  zuid: string;
  email: string;
  firstName?: string;
  lastName?: string;
  displayName: string;
}

interface FetchUserInfoOptions extends HttpOptions {
  accountsServer: string;
  accessToken: string;
  location?: DcLocation;
}

export async function fetchUserInfo(opts: FetchUserInfoOptions): Promise<ZohoUserInfo> {
  const ctx = { operation: "user_info" as const, location: opts.location };
  const res = await zohoHttp({
    url: accountsEndpoint(opts.accountsServer, "/oauth/user/info"),
    method: "GET",
    headers: authHeader(opts.accessToken),
    ctx,
    timeoutMs: opts.timeoutMs,
    fetchImpl: opts.fetchImpl,
    signal: opts.signal,
  });
  const body = resourceBody(res, ctx);
  if (!isRecord(body)) throw new ZohoError("malformed", { ...ctx, host: res.host, status: res.status }, "(no user)");
  return parseUserInfo(body, { ...ctx, host: res.host, status: res.status });
}

function parseUserInfo(body: Record<string, unknown>, ctx: ZohoErrorContext): ZohoUserInfo {
  const zuid = idString(body.ZUID);
  const email = optString(body.Email, 320);
  if (!zuid) throw new ZohoError("malformed", ctx, "(no ZUID)");
  if (!email) throw new ZohoError("malformed", ctx, "(no Email)");
  const firstName = optString(body.First_Name, 200);
  const lastName = optString(body.Last_Name, 200);
  const displayName =
    optString(body.Display_Name, 200) ?? ([firstName, lastName].filter(Boolean).join(" ") || email);
  const info: ZohoUserInfo = { zuid, email, displayName };
  if (firstName) info.firstName = firstName;
  if (lastName) info.lastName = lastName;
  return info;
}
