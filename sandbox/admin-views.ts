// Read-only views for the admin API: what a token is, and whether it still works.
import type { Ctx } from "./context";
import { accessTokenStatus, liveRefreshTokens } from "./grants";
import type { AccessTokenRecord, RefreshTokenRecord, SandboxClient } from "./types";

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function clientView(c: SandboxClient) {
  return { ...c, createdAt: isoOf(c.createdAt) };
}

function accessTokenView(ctx: Ctx, at: AccessTokenRecord) {
  const status = accessTokenStatus(ctx.store, at);
  return {
    kind: "access_token",
    status,
    live: status === "live",
    reason: at.revokedReason,
    clientId: at.clientId,
    email: ctx.store.state.users[at.zuid]?.email ?? null,
    zuid: at.zuid,
    location: at.dc,
    scopes: at.scopes,
    orgBinding: at.orgBinding,
    grantType: at.grantType,
    refreshToken: at.refreshToken,
    createdAt: isoOf(at.createdAt),
    expiresAt: isoOf(at.expiresAt),
  };
}

function refreshTokenView(ctx: Ctx, rt: RefreshTokenRecord) {
  const now = ctx.store.now();
  const active = Object.values(ctx.store.state.accessTokens).filter(
    (a) => a.refreshToken === rt.token && a.revokedAt === null && a.expiresAt > now,
  ).length;
  return {
    kind: "refresh_token",
    status: rt.revokedAt === null ? "live" : "revoked",
    live: rt.revokedAt === null,
    reason: rt.revokedReason,
    clientId: rt.clientId,
    email: ctx.store.state.users[rt.zuid]?.email ?? null,
    zuid: rt.zuid,
    location: rt.dc,
    scopes: rt.scopes,
    orgBinding: rt.orgBinding,
    createdAt: isoOf(rt.createdAt),
    revokedAt: isoOf(rt.revokedAt),
    activeAccessTokens: active,
    refreshWindow: { startedAt: isoOf(rt.window.start), minted: rt.window.count },
  };
}

/** GET /_sandbox/tokens: one token by value, or the grants of a user to a client. */
export function tokensView(ctx: Ctx, q: URLSearchParams): { status: number; body: unknown } {
  const { state } = ctx.store;
  const value = q.get("access_token") ?? q.get("refresh_token") ?? q.get("token");
  if (value) {
    if (Object.hasOwn(state.accessTokens, value)) return { status: 200, body: accessTokenView(ctx, state.accessTokens[value]) };
    if (Object.hasOwn(state.refreshTokens, value)) return { status: 200, body: refreshTokenView(ctx, state.refreshTokens[value]) };
    return { status: 404, body: { status: "unknown", live: false } };
  }
  const email = q.get("email");
  const clientId = q.get("clientId");
  const user = email ? ctx.store.userByEmail(email) : undefined;
  if (!user || !clientId) return { status: 400, body: { error: "bad_request", message: "pass a token, or email and clientId" } };
  const now = ctx.store.now();
  const all = Object.values(state.refreshTokens)
    .filter((t) => t.zuid === user.zuid && t.clientId === clientId)
    .sort((a, b) => a.createdAt - b.createdAt);
  return {
    status: 200,
    body: {
      email: user.email,
      clientId,
      liveRefreshTokens: liveRefreshTokens(ctx.store, user.zuid, clientId).length,
      liveAccessTokens: Object.values(state.accessTokens).filter(
        (a) => a.zuid === user.zuid && a.clientId === clientId && a.revokedAt === null && a.expiresAt > now,
      ).length,
      refreshTokens: all.map((t) => refreshTokenView(ctx, t)).map((v, i) => ({ token: all[i].token, ...v })),
    },
  };
}
