// GET/POST /oauth/v2/auth: validate, sign in, send the user to their own DC, choose the Assist
// organisation, then Accept or Deny. Request errors are shown on the page, never redirected,
// because the redirect URI itself may be the thing that is wrong.
import type { ServerResponse } from "node:http";
import type { Dc } from "./config";
import { ACCESS_DENIED, type Ctx } from "./context";
import { consentPage, orgChooserPage, type ConsentView } from "./consent-pages";
import { issueCode, liveRefreshTokens } from "./grants";
import { errorPage } from "./html";
import { readParams, redirect, sendHtml, type Req } from "./http";
import { parseScopeList, requestsService } from "./scopes";
import type { SandboxClient, SandboxOrg } from "./types";

const AUTH_KEYS = ["response_type", "client_id", "redirect_uri", "scope", "access_type", "prompt", "state"] as const;
const MAX_STATE_LENGTH = 4096;

const RESOLUTIONS: Record<string, string> = {
  ERROR_invalid_response_type:
    'The value of "response_type" is not "code", or a mandatory key (client_id, response_type, redirect_uri, scope) is missing.',
  ERROR_invalid_client: "The client ID is wrong or empty. Check your client ID in the developer console.",
  ERROR_invalid_redirect_uri: "The redirect URI passed does not match the one registered in the developer console.",
  ERROR_invalid_scope: "The scope is invalid. Pass valid scopes, separated by commas.",
};

interface AuthRequest {
  client: SandboxClient;
  scopes: string[];
  redirectUri: string;
  offline: boolean;
  forceConsent: boolean;
  state: string | null;
  /** The original parameters, carried through the following screens. */
  params: Record<string, string>;
}

function validate(ctx: Ctx, p: URLSearchParams, dc: Dc): AuthRequest | { error: string } {
  const fail = (error: string) => ({ error });
  const params: Record<string, string> = {};
  for (const key of AUTH_KEYS) {
    const v = p.get(key);
    if (v !== null) params[key] = v;
  }
  if (params.response_type !== "code") return fail("ERROR_invalid_response_type");
  const { clients } = ctx.store.state;
  const clientId = params.client_id ?? "";
  const client = Object.hasOwn(clients, clientId) ? clients[clientId] : undefined;
  if (!client || client.type !== "server" || !client.enabledDcs.includes(dc)) return fail("ERROR_invalid_client");
  if (params.redirect_uri === undefined || params.scope === undefined) return fail("ERROR_invalid_response_type");
  if (!client.redirectUris.includes(params.redirect_uri)) return fail("ERROR_invalid_redirect_uri");
  const scopes = parseScopeList(params.scope, ctx.store.state.limits);
  if (!scopes) return fail("ERROR_invalid_scope");
  if ((params.state ?? "").length > MAX_STATE_LENGTH) return fail("ERROR_invalid_response_type");
  return {
    client,
    scopes,
    redirectUri: params.redirect_uri,
    offline: (params.access_type ?? "").toLowerCase() === "offline",
    forceConsent: (params.prompt ?? "").toLowerCase() === "consent",
    state: params.state ?? null,
    params,
  };
}

/** Appends callback parameters the way Zoho does, keeping any query the URI already has. */
export function withParams(uri: string, params: Record<string, string | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null) qs.append(k, v);
  const sep = !uri.includes("?") ? "?" : uri.endsWith("?") || uri.endsWith("&") ? "" : "&";
  return `${uri}${sep}${qs.toString()}`;
}

function showError(res: ServerResponse, code: string, resolution?: string, status = 400): void {
  sendHtml(res, status, errorPage(code, resolution ?? RESOLUTIONS[code] ?? ""));
}

export async function handleConsent(ctx: Ctx, req: Req, res: ServerResponse, dc: Dc): Promise<void> {
  const p = req.method === "POST" ? await readParams(req) : req.query;
  if (p === "too_large") return showError(res, "ERROR_invalid_response_type", "The request is too large.", 413);
  const auth = validate(ctx, p, dc);
  if ("error" in auth) return showError(res, auth.error);

  const { store } = ctx;
  const zuid = ctx.sessions.zuidOf(req);
  const user = zuid ? store.state.users[zuid] : undefined;
  if (!user) {
    const back = `/${dc}/accounts/oauth/v2/auth?${new URLSearchParams(auth.params)}`;
    return redirect(res, `/${dc}/accounts/signin?serviceurl=${encodeURIComponent(back)}`);
  }
  if (user.dc !== dc) {
    // China is a separate deployment: its accounts never meet the others.
    if ((user.dc === "cn") !== (dc === "cn")) {
      return showError(res, "ERROR_invalid_account", `This account lives in the ${user.dc} data centre, which is a separate deployment. Start the authorization there.`);
    }
    if (!auth.client.enabledDcs.includes(user.dc)) {
      return showError(res, "ERROR_invalid_client", `This client is not enabled for accounts in the ${user.dc} data centre. Enable multi-DC for it in the API console.`);
    }
    return redirect(res, `${ctx.urls.accounts(user.dc)}/oauth/v2/auth?${new URLSearchParams(auth.params)}`);
  }

  const view: ConsentView = { dc, client: auth.client, user, hidden: { ...auth.params } };
  let org: SandboxOrg | null = null;
  if (requestsService(auth.scopes, "zohoassist")) {
    const orgs = store.orgsOf(user.zuid, "assist").filter((o) => o.dc === dc);
    if (orgs.length === 1) org = orgs[0];
    if (orgs.length > 1) {
      const chosen = p.get("assist_org");
      org = orgs.find((o) => o.id === chosen) ?? null;
      if (!org) {
        const error = chosen ? "Choose one of the listed organisations." : null;
        return sendHtml(res, 200, orgChooserPage(view, orgs, error));
      }
      view.hidden.assist_org = org.id;
    }
  }

  const decision = req.method === "POST" ? p.get("decision") : null;
  if (decision !== "accept" && decision !== "deny") {
    return sendHtml(res, 200, consentPage(view, auth.scopes, org, auth.offline));
  }
  if (decision === "deny") {
    return redirect(res, withParams(auth.redirectUri, { error: "access_denied", state: auth.state }));
  }
  const firstConsent = liveRefreshTokens(store, user.zuid, auth.client.clientId).length === 0;
  const code = issueCode(store, {
    clientId: auth.client.clientId,
    zuid: user.zuid,
    dc,
    scopes: auth.scopes,
    redirectUri: auth.redirectUri,
    issueRefreshToken:
      auth.offline && (auth.forceConsent || firstConsent || !store.state.limits.refreshTokenOnFirstConsentOnly),
    orgBinding: org ? { service: "assist", orgId: org.id } : null,
    selfClient: false,
  });
  if (code === "throttled") return showError(res, ACCESS_DENIED.error, ACCESS_DENIED.error_description, 429);
  const back = withParams(auth.redirectUri, {
    state: auth.state,
    code: code.code,
    location: dc,
    "accounts-server": ctx.urls.accounts(dc),
  });
  // Zoho's callback URL sometimes ends in a stray `&`; a client must not choke on it.
  redirect(res, store.state.limits.strayAmpersand ? `${back}&` : back);
}
