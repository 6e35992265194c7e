import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_CLIENT_ID, EU_USER, MULTI_USER, SINGLE_USER } from "@/sandbox/seed";
import { REDIRECT_URI } from "@/sandbox/test-support";
import { importTokenModules, startSandboxHarness } from "@/test/sandbox-harness";

const h = await startSandboxHarness();
// Imported after the harness has set the environment.
const { engine, revoke, dbm, schema, drizzle } = await importTokenModules();
const { storeConnection } = await import("@/lib/authorization/persist");
const { redeemCode } = await import("@/lib/authorization/redeem");
const { clientCredentialsOf } = await import("./keys");
const { dataCentre, isDcLocation } = await import("@/lib/zoho");
const { tokenTimeline } = await import("./timeline");
const { refreshTokenHistory } = await import("./refresh-token-history");
const { loadConnection } = await import("@/lib/connections/queries");
afterAll(() => h.close());
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});

const db = dbm.getDb();
const { eq } = drizzle;
const actor = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const manual = { trigger: "manual" as const };
const SCOPES = ["Desk.tickets.READ", "AaaServer.profile.READ"];

/**
 * A connection made the way the callback makes one (code exchange, user info, storeConnection),
 * so its first token and its refresh token are recorded as lives. The harness's `connect()`
 * writes the row directly and records neither.
 */
async function consent(email: string, name = `${email} desk`, reconnectId?: number): Promise<number> {
  const minted = await h.sandbox.admin("POST", "codes", { clientId: DEMO_CLIENT_ID, email, scopes: SCOPES, accessType: "offline" });
  if (minted.status !== 201) throw new Error(`code: ${JSON.stringify(minted.body)}`);
  if (!isDcLocation(minted.body.location)) throw new Error(`location ${minted.body.location}`);
  const redeemed = await redeemCode({
    client: await clientCredentialsOf(h.demo.id),
    dc: dataCentre("sandbox", minted.body.location, h.sandbox.url),
    code: minted.body.code,
    redirectUri: REDIRECT_URI,
    scopesRequested: SCOPES,
  });
  if (!redeemed.ok) throw new Error(`redeem: ${JSON.stringify(redeemed.failure)}`);
  return (await storeConnection({ clientRef: h.demo.id, name, accessType: "offline", createdBy: h.admin.id, reconnectId, grant: redeemed.grant, binding: {} })).connectionId;
}

const row = async (id: number) => (await loadConnection(id))!;
const refreshLives = (id: number) =>
  db.select().from(schema.refreshTokenLives).where(eq(schema.refreshTokenLives.connectionId, id)).orderBy(schema.refreshTokenLives.id);
const lastPoint = async () => (await refreshTokenHistory(h.demo.id)).points.at(-1)!.counts;

describe("access and refresh token lives", () => {
  it("records the consent's token and each refresh's, each replaced by the next; a revoke ends the last and the refresh token", async () => {
    const id = await consent(MULTI_USER.email);
    const first = await row(id);
    const r1 = await engine.refreshConnection(id, manual);
    const r2 = await engine.refreshConnection(id, manual);
    expect([r1.refreshed, r2.refreshed]).toEqual([true, true]);

    const t = await tokenTimeline(id);
    expect(t.total).toBe(3);
    expect(t.lives.map((l) => l.via)).toEqual(["authorize", "manual", "manual"]);
    expect(t.lives.map((l) => l.endReason)).toEqual(["replaced", "replaced", null]);
    const [a, b, c] = t.lives;
    expect(a.mintedAt).toBe(first.accessTokenExpiresAt!.getTime() - 3_600_000);
    expect(a.last4).toBe(first.accessTokenLast4);
    // Each token stops being the connection's the moment the next one is minted.
    expect(a.endedAt).toBe(b.mintedAt);
    expect(b.endedAt).toBe(c.mintedAt);
    expect(c.endedAt).toBeNull();
    expect(c.expiresAt).toBe(r2.expiresAt);
    expect(c.expiresAt!).toBeGreaterThan(Date.now());
    expect([b.last4, c.last4]).toEqual([r1.accessToken.slice(-4), r2.accessToken.slice(-4)]);
    // A successful refresh is a bar of its own, not a marker.
    expect(t.markers).toEqual([]);
    expect(await refreshLives(id)).toMatchObject([{ clientRef: h.demo.id, zuid: MULTI_USER.zuid, issuedAt: first.refreshTokenIssuedAt, endedAt: null, endReason: null }]);

    await revoke.revokeConnection(id, actor);
    const revokedAt = (await row(id)).revokedAt!.getTime();
    const after = await tokenTimeline(id);
    expect(after.lives.map((l) => l.endReason)).toEqual(["replaced", "replaced", "revoked"]);
    expect(after.lives[2].endedAt).toBe(revokedAt);
    expect(after.lives.slice(0, 2)).toEqual(t.lives.slice(0, 2));
    expect(after.markers).toMatchObject([{ kind: "revoked", label: "Revoked", actor: h.admin.email }]);
    expect(await refreshLives(id)).toMatchObject([{ endReason: "revoked" }]);
    expect((await refreshLives(id))[0].endedAt!.getTime()).toBe(revokedAt);
  });

  it("ends both lives with the reason when Zoho refuses the refresh token, audits it and marks the timeline", async () => {
    const id = await consent(SINGLE_USER.email);
    await h.sandbox.admin("POST", "revoke-grants", { email: SINGLE_USER.email, clientId: DEMO_CLIENT_ID });
    await expect(engine.refreshConnection(id, manual)).rejects.toMatchObject({ kind: "zoho", zohoKind: "invalid_code" });
    const reauthAt = (await row(id)).reauthAt!.getTime();
    expect((await row(id)).reauthReason).toBe("invalid_code");

    const t = await tokenTimeline(id);
    expect(t.lives).toMatchObject([{ via: "authorize", endReason: "invalid_code", endedAt: reauthAt }]);
    expect(await refreshLives(id)).toMatchObject([{ endReason: "invalid_code" }]);
    expect((await refreshLives(id))[0].endedAt!.getTime()).toBe(reauthAt);

    const audit = await db
      .select()
      .from(schema.auditEvents)
      .where(drizzle.and(eq(schema.auditEvents.action, "connection.needs_reauth"), eq(schema.auditEvents.targetId, String(id))));
    expect(audit).toMatchObject([{ actorType: "system", targetType: "connection", outcome: "failure", detail: { reason: "invalid_code" } }]);
    expect(t.markers.filter((m) => m.kind === "reauth")).toMatchObject([{ id: audit[0].id, label: "Zoho refused the refresh token (invalid_code)" }]);

    // A reconnect starts new lives; the ended ones keep their reason.
    await consent(SINGLE_USER.email, "ignored", id);
    const again = await tokenTimeline(id);
    expect(again.lives.map((l) => [l.via, l.endReason])).toEqual([
      ["authorize", "invalid_code"],
      ["reconnect", null],
    ]);
    expect((await refreshLives(id)).map((l) => l.endReason)).toEqual(["invalid_code", null]);
  });

  it("marks an access token that had already expired as ended at its expiry, not at the refresh", async () => {
    const id = await consent(EU_USER.email, "eu expired");
    const expired = Date.now() - 60_000;
    await db.update(schema.tokenMints).set({ expiresAt: new Date(expired) }).where(eq(schema.tokenMints.connectionId, id));
    await db.update(schema.connections).set({ accessTokenExpiresAt: new Date(expired) }).where(eq(schema.connections.id, id));
    await engine.refreshConnection(id, manual);
    const [old, current] = (await tokenTimeline(id)).lives;
    expect(old).toMatchObject({ endReason: "expired", endedAt: expired });
    expect(current).toMatchObject({ via: "manual", endReason: null, endedAt: null });
  });
});

describe("refresh-token history", () => {
  it("counts each user's live refresh tokens over time and steps down when one ends", async () => {
    const before = await lastPoint();
    expect(before[EU_USER.zuid]).toBe(1);
    const one = await consent(EU_USER.email, "eu one");
    await consent(EU_USER.email, "eu two");
    const grown = await refreshTokenHistory(h.demo.id);
    expect(grown.users).toContainEqual({ zuid: EU_USER.zuid, label: EU_USER.email });
    expect(grown.points.at(-1)!.counts[EU_USER.zuid]).toBe(3);
    expect(grown.cap).toBe(20);

    await revoke.revokeConnection(one, actor);
    const h2 = await refreshTokenHistory(h.demo.id);
    const last = h2.points.at(-1)!;
    expect(last.counts[EU_USER.zuid]).toBe(2);
    expect(last.at).toBe((await row(one)).revokedAt!.getTime());
    // The revoked and Zoho-refused users of the earlier tests are back to none live.
    expect(last.counts[MULTI_USER.zuid]).toBe(0);
    expect(h2.points.some((p) => p.counts[MULTI_USER.zuid] === 1)).toBe(true);
    // Everything here happened within the 30 days, so the series starts from zero.
    expect(h2.points[0].counts[EU_USER.zuid]).toBe(0);
  });

  it("ends the oldest connection's lives as evicted when a user's 21st refresh token is stored, and lists the eviction", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await consent(MULTI_USER.email, `ada ${i}`));
    expect((await lastPoint())[MULTI_USER.zuid]).toBe(20);
    const newest = await consent(MULTI_USER.email, "ada 20");
    expect((await row(ids[0])).reauthReason).toBe("evicted");
    expect(await refreshLives(ids[0])).toMatchObject([{ endReason: "evicted" }]);
    expect((await tokenTimeline(ids[0])).lives).toMatchObject([{ endReason: "evicted" }]);
    expect(await refreshLives(newest)).toMatchObject([{ endReason: null }]);
    const history = await refreshTokenHistory(h.demo.id);
    expect(history.points.at(-1)!.counts[MULTI_USER.zuid]).toBe(20);
    expect(history.evictions).toMatchObject([{ zuid: MULTI_USER.zuid, label: MULTI_USER.email, connectionName: "ada 0" }]);
  });
});
