import { describe, expect, it } from "vitest";
import { ATTENTION_KINDS, connectionStatus, relativeTime, type StatusFacts } from "./connection-status";

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const MIN = 60_000;

const healthy: StatusFacts = {
  accessType: "offline",
  hasAccessToken: true,
  hasRefreshToken: true,
  accessTokenExpiresAt: NOW + 45 * MIN,
  failureCount: 0,
  nextRetryAt: null,
  throttledUntil: null,
  lastErrorMessage: null,
  reauthReason: null,
  revokedAt: null,
  keepFresh: true,
};

const status = (over: Partial<StatusFacts>) => connectionStatus({ ...healthy, ...over }, NOW);

describe("connection status", () => {
  it("is active while the access token has more than ten minutes left", () => {
    const s = status({});
    expect(s.kind).toBe("active");
    expect(s.reason).toContain("in 45 min");
    expect(s.nextAction).toBe("Nothing to do.");
    expect(s.at).toBe(NOW + 45 * MIN);
  });

  it("stays active under ten minutes when the background refresher will renew the token", () => {
    const s = status({ accessTokenExpiresAt: NOW + 4 * MIN });
    expect(s.kind).toBe("active");
    expect(s.tone).toBe("green");
    expect(s.reason).toContain("in 4 min");
    expect(s.reason).toMatch(/background refresher renews it/);
  });

  it("is expiring soon under ten minutes when nothing will renew the token", () => {
    const s = status({ accessTokenExpiresAt: NOW + 4 * MIN, keepFresh: false });
    expect(s.kind).toBe("expiring_soon");
    expect(s.tone).toBe("amber");
    expect(s.reason).toContain("in 4 min");
    expect(s.nextAction).toMatch(/keep-fresh is off/);
    expect(status({ accessTokenExpiresAt: NOW + 11 * MIN, keepFresh: false }).kind).toBe("active");
  });

  it("is expired but refreshable when a refresh token is held", () => {
    const s = status({ accessTokenExpiresAt: NOW - 3 * MIN });
    expect(s.kind).toBe("expired_refreshable");
    expect(s.reason).toContain("3 min ago");
    expect(status({ hasAccessToken: false, accessTokenExpiresAt: null }).kind).toBe("expired_refreshable");
  });

  it("needs a reconnect when an online-only token has expired", () => {
    const s = status({ accessType: "online", hasRefreshToken: false, accessTokenExpiresAt: NOW - MIN });
    expect(s.kind).toBe("online_expired");
    expect(s.nextAction).toMatch(/Reconnect/);
    // Still valid: online-only is not a problem yet, but says it cannot refresh.
    const soon = status({ accessType: "online", hasRefreshToken: false, accessTokenExpiresAt: NOW + 2 * MIN });
    expect(soon.kind).toBe("expiring_soon");
    expect(soon.nextAction).toMatch(/cannot refresh/);
  });

  it("is refresh failing after transient failures, with the next attempt", () => {
    const s = status({ failureCount: 2, nextRetryAt: NOW + 2 * MIN, lastErrorMessage: "accounts.zoho.com had a server error (HTTP 503)." });
    expect(s.kind).toBe("refresh_failing");
    expect(s.reason).toContain("2 refresh attempts in a row failed");
    expect(s.reason).toContain("HTTP 503");
    expect(s.nextAction).toContain("Next attempt in 2 min");
    expect(s.at).toBe(NOW + 2 * MIN);
  });

  it("is throttled until Zoho's window ends, then falls back to the token's own state", () => {
    const s = status({ throttledUntil: NOW + 7 * MIN });
    expect(s.kind).toBe("throttled");
    expect(s.reason).toContain("in 7 min");
    expect(s.at).toBe(NOW + 7 * MIN);
    expect(status({ throttledUntil: NOW - 1 }).kind).toBe("active");
  });

  it("needs re-authorization with a plain reason for each cause", () => {
    expect(status({ reauthReason: "revoked_at_zoho" }).reason).toMatch(/revoked on Zoho's side/);
    expect(status({ reauthReason: "evicted" }).reason).toMatch(/evicted/);
    expect(status({ reauthReason: "secret_changed" }).reason).toMatch(/client secret was changed/);
    const s = status({ reauthReason: "invalid_code", failureCount: 3 });
    expect(s.kind).toBe("needs_reauth");
    expect(s.reason).toMatch(/invalid_code/);
    expect(s.nextAction).toMatch(/Reconnect/);
    expect(status({ reauthReason: "something_new" }).reason).toContain("something_new");
  });

  it("names a missing encryption key, needing attention, and says to restore the key or reconnect", () => {
    const keyMissing = {
      failureCount: 1,
      nextRetryAt: NOW + 60 * MIN,
      lastErrorKind: "key_missing",
      lastErrorMessage: 'The stored refresh token is encrypted under key "k2024", which is not configured. Add the key to ENCRYPTION_KEYS_PREVIOUS, or reconnect.',
      accessTokenExpiresAt: NOW - MIN,
    };
    const s = status(keyMissing);
    expect(s).toMatchObject({ kind: "refresh_failing", label: "Stored secret unreadable", tone: "red", at: NOW + 60 * MIN });
    expect(ATTENTION_KINDS.has(s.kind)).toBe(true);
    expect(s.reason).toContain('key "k2024"');
    expect(s.nextAction).toMatch(/^Restore the key or reconnect/);
    expect(s.nextAction).toContain("in 1 h 0 min");
    expect(status({ ...keyMissing, throttledUntil: NOW + MIN }).label).toBe("Stored secret unreadable");
    // Other failures keep their own wording; a successful refresh clears the kind with the count.
    expect(status({ ...keyMissing, lastErrorKind: "server" }).label).toBe("Refresh failing");
    expect(status({ ...keyMissing, failureCount: 0, lastErrorKind: null, accessTokenExpiresAt: NOW + 45 * MIN }).kind).toBe("active");
  });

  it("is revoked here above everything else", () => {
    const s = status({ revokedAt: NOW - MIN, reauthReason: "invalid_code", hasAccessToken: false, hasRefreshToken: false });
    expect(s.kind).toBe("revoked");
    expect(s.tone).toBe("gray");
  });

  it("ranks re-authorization above throttling and failures", () => {
    expect(status({ reauthReason: "invalid_code", throttledUntil: NOW + MIN }).kind).toBe("needs_reauth");
    expect(status({ throttledUntil: NOW + MIN, failureCount: 1 }).kind).toBe("throttled");
  });
});

describe("relative time", () => {
  it("reads naturally both ways", () => {
    expect(relativeTime(NOW + 30_000, NOW)).toBe("in 30 s");
    expect(relativeTime(NOW - 90 * MIN, NOW)).toBe("1 h 30 min ago");
    expect(relativeTime(NOW + 3 * 86_400_000, NOW)).toBe("in 3 d");
  });
});
