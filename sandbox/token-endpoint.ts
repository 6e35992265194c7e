// POST /oauth/v2/token. Zoho answers errors with HTTP 200 and a JSON body; the sandbox does the
// same so that a console which trusts the status code alone fails here first.
import type { ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import type { Dc } from "./config";
import { ACCESS_DENIED, type Ctx } from "./context";
import {
  mintAccessToken,
  mintRefreshToken,
  refreshTokenBudgetLeft,
  takeRefreshMint,
  usableCode,
} from "./grants";
import { errorPage } from "./html";
import { basicCredentials, headerValue, readParams, sendHtml, sendJson, type Req } from "./http";
import { parseScopeList } from "./scopes";
import type { SandboxStore } from "./store";
import type { AccessTokenRecord, RefreshTokenRecord, SandboxClient, Service } from "./types";

type Answer = Record<string, unknown>;

const MAX_FAULT_DELAY_MS = 120_000;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Applies an injected fault; true when it already answered the request. */
async function applyFault(ctx: Ctx, res: ServerResponse): Promise<boolean> {
  const { faults } = ctx.store.state;
  const fault = faults.token;
  if (!fault) return false;
  if (typeof fault.count === "number") {
    fault.count -= 1;
    if (fault.count <= 0) delete faults.token;
    ctx.store.changed();
  }
  if (fault.delayMs && fault.delayMs > 0) {
    await new Promise((r) => setTimeout(r, Math.min(fault.delayMs ?? 0, MAX_FAULT_DELAY_MS)));
  }
  if (fault.status) {
    // An outage is not a Zoho JSON answer but whatever the front end serves.
    sendHtml(res, fault.status, errorPage(`HTTP ${fault.status}`, "The server is temporarily unable to service your request."));
    return true;
  }
  if (fault.throttle) {
    sendJson(res, 200, ACCESS_DENIED);
    return true;
  }
  return false;
}

// Requests in flight per sandbox. Kept out of the persisted counters: a count saved to disk would
// be wrong after a restart, and resetting the counters must not lose requests still running.
const inFlight = new WeakMap<SandboxStore, number>();

/** Counts the request until its response ends or its connection drops, whichever comes first. */
function trackInFlight(store: SandboxStore, res: ServerResponse): void {
  const now = (inFlight.get(store) ?? 0) + 1;
  inFlight.set(store, now);
  const counters = store.state.counters;
  if (now > counters.tokenEndpointPeakInFlight) counters.tokenEndpointPeakInFlight = now;
  // "close" follows a finished response as well as an aborted one, and fires once.
  res.once("close", () => inFlight.set(store, Math.max(0, (inFlight.get(store) ?? 1) - 1)));
}

export async function handleTokenEndpoint(ctx: Ctx, req: Req, res: ServerResponse, dc: Dc): Promise<void> {
  trackInFlight(ctx.store, res);
  ctx.store.state.counters.tokenEndpointCalls += 1;
  ctx.store.changed();
  if (await applyFault(ctx, res)) return;
  if (req.method !== "POST") {
    sendJson(res, 200, { error: "invalid_request", error_description: "The token endpoint accepts POST requests only" });
    return;
  }
  const params = await readParams(req);
  if (params === "too_large") {
    sendJson(res, 413, { error: "invalid_request", error_description: "Request entity too large" });
    return;
  }
  sendJson(res, 200, grant(ctx, params, headerValue(req, "authorization"), dc));
}

function grant(ctx: Ctx, p: URLSearchParams, authorization: string | undefined, dc: Dc): Answer {
  const { state } = ctx.store;
  const basic = basicCredentials(authorization);
  const bodyId = p.get("client_id");
  if (basic && bodyId && basic.id !== bodyId) return { error: "invalid_client" };
  const clientId = bodyId ?? basic?.id ?? "";
  const secret = p.get("client_secret") ?? basic?.secret ?? "";
  const client = Object.hasOwn(state.clients, clientId) ? state.clients[clientId] : undefined;
  if (!client || !client.enabledDcs.includes(dc)) return { error: "invalid_client" };
  if (!sameSecret(secret, client.dcSecrets[dc] ?? client.clientSecret)) return { error: "invalid_client_secret" };
  switch (p.get("grant_type")) {
    case "authorization_code":
      return exchangeCode(ctx, client, p, dc);
    case "refresh_token":
      return refresh(ctx, client, p, dc);
    case "client_credentials":
      return clientCredentials(ctx, client, p, dc);
    default:
      return { error: "unsupported_grant_type" };
  }
}

function tokenBody(ctx: Ctx, at: AccessTokenRecord, rt: RefreshTokenRecord | null): Answer {
  const seconds = ctx.store.state.limits.accessTokenLifetimeSec;
  const body: Answer = { access_token: at.token };
  if (rt) body.refresh_token = rt.token;
  body.scope = at.scopes.join(" ");
  body.api_domain = ctx.urls.apiDomain(at.dc);
  body.token_type = "Bearer";
  if (ctx.store.state.limits.legacyExpiresIn) {
    body.expires_in_sec = seconds;
    body.expires_in = seconds * 1000;
  } else {
    body.expires_in = seconds;
  }
  return body;
}

function exchangeCode(ctx: Ctx, client: SandboxClient, p: URLSearchParams, dc: Dc): Answer {
  const { store } = ctx;
  const code = usableCode(store, p.get("code") ?? "", dc, client.clientId);
  if (!code) return { error: "invalid_code" };
  if (!code.selfClient && p.get("redirect_uri") !== code.redirectUri) return { error: "invalid_redirect_uri" };
  if (code.issueRefreshToken && !refreshTokenBudgetLeft(store, code.zuid, client.clientId)) {
    store.state.counters.throttled += 1;
    store.changed();
    return { ...ACCESS_DENIED };
  }
  code.usedAt = store.now();
  const rt = code.issueRefreshToken ? mintRefreshToken(store, code) : null;
  const at = mintAccessToken(store, {
    clientId: client.clientId,
    zuid: code.zuid,
    dc,
    scopes: code.scopes,
    orgBinding: code.orgBinding,
    refreshToken: rt?.token ?? null,
    grantType: "authorization_code",
  });
  return tokenBody(ctx, at, rt);
}

function refresh(ctx: Ctx, client: SandboxClient, p: URLSearchParams, dc: Dc): Answer {
  const { store } = ctx;
  const value = p.get("refresh_token") ?? "";
  const rt = Object.hasOwn(store.state.refreshTokens, value) ? store.state.refreshTokens[value] : undefined;
  if (!rt || rt.revokedAt !== null || rt.dc !== dc || rt.clientId !== client.clientId || !store.state.users[rt.zuid]) {
    return { error: "invalid_code" };
  }
  if (!takeRefreshMint(store, rt)) return { ...ACCESS_DENIED };
  const at = mintAccessToken(store, {
    clientId: client.clientId,
    zuid: rt.zuid,
    dc,
    scopes: rt.scopes,
    orgBinding: rt.orgBinding,
    refreshToken: rt.token,
    grantType: "refresh_token",
  });
  return tokenBody(ctx, at, null);
}

const SOID_SERVICES: Record<string, Service> = {
  zohoassist: "assist",
  assist: "assist",
  desk: "desk",
  zohodesk: "desk",
  salesiq: "salesiq",
  zohosalesiq: "salesiq",
};

/** Self clients only: a token for the owner, bound to the organisation named by `soid`. */
function clientCredentials(ctx: Ctx, client: SandboxClient, p: URLSearchParams, dc: Dc): Answer {
  const { store } = ctx;
  if (client.type !== "self" || !client.ownerZuid) return { error: "unauthorized_client" };
  const scopes = parseScopeList(p.get("scope"), store.state.limits);
  if (!scopes) return { error: "invalid_scope" };
  const match = /^([A-Za-z]+)\.([A-Za-z0-9_-]{1,100})$/.exec(p.get("soid") ?? "");
  const service = match ? SOID_SERVICES[match[1].toLowerCase()] : undefined;
  const org = service
    ? store.state.orgs.find(
        (o) =>
          o.service === service &&
          (o.id === match![2] || o.screenname === match![2]) &&
          o.dc === dc &&
          o.memberZuids.includes(client.ownerZuid!),
      )
    : undefined;
  if (!service || !org) return { error: "invalid_request", error_description: "soid is missing or names no organisation of this client's owner" };
  const at = mintAccessToken(store, {
    clientId: client.clientId,
    zuid: client.ownerZuid,
    dc,
    scopes,
    orgBinding: { service, orgId: org.id },
    refreshToken: null,
    grantType: "client_credentials",
  });
  return tokenBody(ctx, at, null);
}
