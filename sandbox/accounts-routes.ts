// The accounts server of one data centre: consent, token, revoke, user info, server info, and
// the sandbox's own sign-in pages.
import type { ServerResponse } from "node:http";
import { DCS, type Dc } from "./config";
import { handleConsent } from "./consent";
import type { Ctx } from "./context";
import { liveAccessToken, revokeRefreshToken } from "./grants";
import { errorPage } from "./html";
import { headerValue, readParams, redirect, sendHtml, sendJson, zohoOauthToken, type Req } from "./http";
import { signInPage } from "./consent-pages";
import { scopeAllows } from "./scopes";
import { handleTokenEndpoint } from "./token-endpoint";

export async function handleAccounts(ctx: Ctx, req: Req, res: ServerResponse, dc: Dc, rest: string[]): Promise<void> {
  const route = rest.join("/");
  switch (route) {
    case "oauth/v2/auth":
      return handleConsent(ctx, req, res, dc);
    case "oauth/v2/token":
      return handleTokenEndpoint(ctx, req, res, dc);
    case "oauth/v2/token/revoke":
      return handleRevoke(ctx, req, res, dc);
    case "oauth/user/info":
      return handleUserInfo(ctx, req, res, dc);
    case "oauth/serverinfo":
      // Zoho's serverinfo lists the global DCs only: China is a separate deployment, not in it.
      return sendJson(res, 200, {
        result: "success",
        locations: Object.fromEntries(DCS.filter((d) => d !== "cn").map((d) => [d, ctx.urls.accounts(d)])),
      });
    case "signin":
      return handleSignIn(ctx, req, res, dc);
    case "signout":
      return redirect(res, "/", { "set-cookie": ctx.sessions.signOut(req) });
    case "":
      return redirect(res, `/${dc}/accounts/signin`);
    default:
      return sendHtml(res, 404, errorPage("404", "The requested URL is not available on this accounts server."));
  }
}

async function handleRevoke(ctx: Ctx, req: Req, res: ServerResponse, dc: Dc): Promise<void> {
  if (req.method !== "POST") {
    return sendJson(res, 405, { status: "failure", error: "invalid_request", error_description: "Use POST" }, { allow: "POST" });
  }
  const params = await readParams(req);
  if (params === "too_large") return sendJson(res, 413, { status: "failure", error: "invalid_request" });
  const { store } = ctx;
  const value = params.get("token") ?? "";
  const rt = Object.hasOwn(store.state.refreshTokens, value) ? store.state.refreshTokens[value] : undefined;
  const at = Object.hasOwn(store.state.accessTokens, value) ? store.state.accessTokens[value] : undefined;
  if (rt && rt.dc === dc && rt.revokedAt === null) {
    revokeRefreshToken(store, rt, "revoked by the client");
  } else if (at && at.dc === dc && at.revokedAt === null) {
    at.revokedAt = store.now();
    at.revokedReason = "revoked by the client";
  } else {
    return sendJson(res, 400, { status: "failure", error: "invalid_token" });
  }
  store.state.counters.revocations += 1;
  store.changed();
  sendJson(res, 200, { status: "success" });
}

function handleUserInfo(ctx: Ctx, req: Req, res: ServerResponse, dc: Dc): void {
  const at = liveAccessToken(ctx.store, zohoOauthToken(headerValue(req, "authorization")), dc);
  if (!at) return sendJson(res, 401, { status: "failure", error: "INVALID_OAUTHTOKEN" });
  if (!scopeAllows(at.scopes, "aaaserver", ["profile"], ["READ"])) {
    return sendJson(res, 401, { status: "failure", error: "INVALID_OAUTHSCOPE" });
  }
  const user = ctx.store.state.users[at.zuid];
  sendJson(res, 200, {
    First_Name: user.firstName,
    Email: user.email,
    Last_Name: user.lastName,
    Display_Name: `${user.firstName} ${user.lastName}`.trim(),
    ZUID: Number(user.zuid),
  });
}

/** Only same-origin paths: the sign-in form must not become an open redirect. */
export function safeReturnPath(value: string | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\") || value.length > 8000) return "/";
  return value;
}

async function handleSignIn(ctx: Ctx, req: Req, res: ServerResponse, dc: Dc): Promise<void> {
  const returnTo = safeReturnPath(req.query.get("serviceurl"));
  if (req.method !== "POST") return sendHtml(res, 200, signInPage(dc, returnTo, null, ""));
  const form = await readParams(req);
  if (form === "too_large") return sendHtml(res, 413, signInPage(dc, returnTo, "Request too large.", ""));
  const email = (form.get("email") ?? "").slice(0, 320);
  const target = safeReturnPath(form.get("serviceurl") ?? returnTo);
  const user = ctx.store.userByEmail(email);
  if (!user || user.password !== (form.get("password") ?? "")) {
    return sendHtml(res, 401, signInPage(dc, target, "Invalid email address or password.", email));
  }
  redirect(res, target, { "set-cookie": ctx.sessions.signIn(user.zuid) });
}
