// Codes, refresh tokens and access tokens, with Zoho's limits. Route handlers only translate
// between HTTP and these functions.
import type { Dc } from "./config";
import { newZohoToken } from "./ids";
import type { SandboxStore } from "./store";
import type { AccessTokenRecord, GrantCode, GrantType, OrgBinding, RateWindow, RefreshTokenRecord } from "./types";

/** Counts one event in a fixed window; false once the window's budget is spent. */
export function takeFromWindow(window: RateWindow, limit: number, windowSec: number, now: number): boolean {
  if (now - window.start >= windowSec * 1000 || now < window.start) {
    window.start = now;
    window.count = 0;
  }
  if (window.count >= limit) return false;
  window.count += 1;
  return true;
}

export interface CodeRequest {
  clientId: string;
  zuid: string;
  dc: Dc;
  scopes: string[];
  redirectUri: string | null;
  issueRefreshToken: boolean;
  orgBinding: OrgBinding | null;
  selfClient: boolean;
  description?: string;
  lifetimeSec?: number;
}

export function issueCode(store: SandboxStore, req: CodeRequest): GrantCode | "throttled" {
  const { state } = store;
  const now = store.now();
  const window = (state.codeWindows[req.clientId] ??= { start: now, count: 0 });
  if (!takeFromWindow(window, state.limits.codesPerClientPerWindow, state.limits.codeWindowSec, now)) {
    state.counters.throttled += 1;
    store.changed();
    return "throttled";
  }
  const code: GrantCode = {
    code: newZohoToken(),
    clientId: req.clientId,
    zuid: req.zuid,
    dc: req.dc,
    scopes: req.scopes,
    redirectUri: req.redirectUri,
    issueRefreshToken: req.issueRefreshToken,
    orgBinding: req.orgBinding,
    selfClient: req.selfClient,
    description: req.description ?? "",
    createdAt: now,
    expiresAt: now + (req.lifetimeSec ?? state.limits.codeLifetimeSec) * 1000,
    usedAt: null,
  };
  state.codes[code.code] = code;
  state.counters.codesIssued += 1;
  store.changed();
  return code;
}

/** A code that may still be exchanged at `dc`, or null (unknown, used, expired, elsewhere). */
export function usableCode(store: SandboxStore, value: string, dc: Dc, clientId: string): GrantCode | null {
  const code = store.state.codes[value];
  if (!code || code.dc !== dc || code.clientId !== clientId) return null;
  if (code.usedAt !== null || code.expiresAt <= store.now()) return null;
  return code;
}

export function liveRefreshTokens(store: SandboxStore, zuid: string, clientId: string): RefreshTokenRecord[] {
  return Object.values(store.state.refreshTokens)
    .filter((t) => t.zuid === zuid && t.clientId === clientId && t.revokedAt === null)
    .sort((a, b) => a.createdAt - b.createdAt);
}

function countMint(store: SandboxStore, clientId: string, grantType: GrantType): void {
  const c = store.state.counters;
  c.tokensMinted[grantType] += 1;
  const perClient = (c.tokensMintedByClient[clientId] ??= {
    authorization_code: 0,
    refresh_token: 0,
    client_credentials: 0,
  });
  perClient[grantType] += 1;
}

/** Refresh-token budget per user and client, checked before a code is burnt. */
export function refreshTokenBudgetLeft(store: SandboxStore, zuid: string, clientId: string): boolean {
  const { state } = store;
  const key = `${zuid}|${clientId}`;
  const now = store.now();
  const window = (state.refreshTokenWindows[key] ??= { start: now, count: 0 });
  return takeFromWindow(window, state.limits.refreshTokensPerUserPerClientPerWindow, state.limits.refreshTokenWindowSec, now);
}

export function mintRefreshToken(store: SandboxStore, code: GrantCode): RefreshTokenRecord {
  const { state } = store;
  const now = store.now();
  // The cap is silent on Zoho's side: the oldest grant just stops working.
  const live = liveRefreshTokens(store, code.zuid, code.clientId);
  const excess = live.length + 1 - state.limits.maxRefreshTokensPerUserPerClient;
  for (const old of live.slice(0, Math.max(0, excess))) {
    revokeRefreshToken(store, old, "evicted: refresh-token limit per user and client");
    state.counters.evictions += 1;
  }
  const record: RefreshTokenRecord = {
    token: newZohoToken(),
    clientId: code.clientId,
    zuid: code.zuid,
    dc: code.dc,
    scopes: code.scopes,
    orgBinding: code.orgBinding,
    createdAt: now,
    revokedAt: null,
    revokedReason: null,
    window: { start: now, count: 0 },
  };
  state.refreshTokens[record.token] = record;
  state.counters.refreshTokensIssued += 1;
  store.changed();
  return record;
}

export interface MintRequest {
  clientId: string;
  zuid: string;
  dc: Dc;
  scopes: string[];
  orgBinding: OrgBinding | null;
  refreshToken: string | null;
  grantType: GrantType;
}

export function mintAccessToken(store: SandboxStore, req: MintRequest): AccessTokenRecord {
  const { state } = store;
  const now = store.now();
  const record: AccessTokenRecord = {
    token: newZohoToken(),
    ...req,
    createdAt: now,
    expiresAt: now + state.limits.accessTokenLifetimeSec * 1000,
    revokedAt: null,
    revokedReason: null,
  };
  if (req.refreshToken) {
    const siblings = Object.values(state.accessTokens)
      .filter((t) => t.refreshToken === req.refreshToken && t.revokedAt === null && t.expiresAt > now)
      .sort((a, b) => a.createdAt - b.createdAt);
    const excess = siblings.length + 1 - state.limits.maxActiveAccessTokensPerRefreshToken;
    for (const old of siblings.slice(0, Math.max(0, excess))) {
      old.revokedAt = now;
      old.revokedReason = "invalidated: too many active access tokens for its refresh token";
    }
  }
  state.accessTokens[record.token] = record;
  countMint(store, req.clientId, req.grantType);
  store.changed();
  return record;
}

/** The refresh-token side of the throttle: false once this token's window is spent. */
export function takeRefreshMint(store: SandboxStore, rt: RefreshTokenRecord): boolean {
  const { limits } = store.state;
  const ok = takeFromWindow(rt.window, limits.refreshMintsPerWindow, limits.refreshMintWindowSec, store.now());
  if (!ok) store.state.counters.throttled += 1;
  store.changed();
  return ok;
}

export function revokeRefreshToken(store: SandboxStore, rt: RefreshTokenRecord, reason: string): number {
  const now = store.now();
  rt.revokedAt = now;
  rt.revokedReason = reason;
  let killed = 0;
  for (const at of Object.values(store.state.accessTokens)) {
    if (at.refreshToken === rt.token && at.revokedAt === null) {
      at.revokedAt = now;
      at.revokedReason = `refresh token ${reason}`;
      killed += 1;
    }
  }
  store.changed();
  return killed;
}

export type TokenStatus = "live" | "expired" | "revoked";

export function accessTokenStatus(store: SandboxStore, at: AccessTokenRecord): TokenStatus {
  if (at.revokedAt !== null) return "revoked";
  return at.expiresAt > store.now() ? "live" : "expired";
}

/** The access token behind a request, if it is live and was minted for this DC. */
export function liveAccessToken(store: SandboxStore, value: string | null, dc: Dc): AccessTokenRecord | null {
  if (!value) return null;
  const at = store.state.accessTokens[value];
  if (!at || at.dc !== dc || accessTokenStatus(store, at) !== "live") return null;
  if (!store.state.users[at.zuid]) return null;
  return at;
}

/** Connected Apps → remove: every grant of this user to this client dies. */
export function removeGrants(store: SandboxStore, zuid: string, clientId: string): { refreshTokens: number; accessTokens: number } {
  const now = store.now();
  let refreshTokens = 0;
  let accessTokens = 0;
  for (const rt of liveRefreshTokens(store, zuid, clientId)) {
    accessTokens += revokeRefreshToken(store, rt, "revoked: app removed by the user");
    refreshTokens += 1;
  }
  for (const at of Object.values(store.state.accessTokens)) {
    if (at.zuid === zuid && at.clientId === clientId && at.revokedAt === null) {
      at.revokedAt = now;
      at.revokedReason = "revoked: app removed by the user";
      accessTokens += 1;
    }
  }
  for (const code of Object.values(store.state.codes)) {
    if (code.zuid === zuid && code.clientId === clientId && code.usedAt === null) code.usedAt = now;
  }
  store.state.counters.grantRemovals += 1;
  store.changed();
  return { refreshTokens, accessTokens };
}
