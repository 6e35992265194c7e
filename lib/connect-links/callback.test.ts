import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { MULTI_USER, SINGLE_USER } from "@/sandbox/seed";
import { consentAt, startSandboxHarness } from "@/test/sandbox-harness";

const t = await startSandboxHarness();
const { handleCallback } = await import("@/lib/connect/callback");
const { attemptForUser } = await import("@/lib/connect/attempts");
const { loadConnection } = await import("@/lib/connections/queries");
const { createLinkSchema } = await import("./input");
const { createLink, revokeLink } = await import("./links");
const { linkNonceCookie, startLinkConsent } = await import("./consent");
const { getLink } = await import("./view");
const { linkResultForBrowser } = await import("./result");
const { eq } = await import("drizzle-orm");

afterAll(() => t.close());
beforeEach(async () => {
  await t.sandbox.admin("POST", "reset");
  await t.sandbox.admin("POST", "limits", { codesPerClientPerWindow: 1000, refreshTokensPerUserPerClientPerWindow: 1000 });
});

const SCOPES = "Desk.basic.READ,SalesIQ.portals.READ";
const tokenOf = (url: string) => url.split("/connect/")[1];

/** Makes a link, presses Continue and consents at the sandbox as `email`: Zoho's redirect back. */
async function consentThroughLink(email: string, opts: { lifetimeMinutes?: number; expectedEmail?: string } = {}) {
  const input = createLinkSchema.parse({ clientRef: t.demo.id, scopes: SCOPES, accessType: "offline", name: "Customer desk", ...opts });
  const made = await createLink(input, t.admin, null);
  const started = await startLinkConsent(tokenOf(made.url), "10.2.2.2");
  if (started.status !== "redirect") throw new Error(started.status);
  const callback = await consentAt(t.driver, started.url, { email });
  const cookies = { [linkNonceCookie(made.id)]: started.nonce };
  const [attempt] = await t.db.select().from(t.schema.oauthAttempts).where(eq(t.schema.oauthAttempts.linkRef, made.id));
  return { linkId: made.id, callback, cookies, attemptId: attempt.id };
}

const connectionCount = async () => (await t.db.select({ id: t.schema.connections.id }).from(t.schema.connections)).length;
const linkAudit = async (linkId: number) =>
  (await t.db.select().from(t.schema.auditEvents).where(eq(t.schema.auditEvents.targetId, String(linkId)))).filter(
    (e) => e.targetType === "connect_link",
  );

describe("Zoho's redirect back for a connect link", () => {
  it("creates the connection in the owner's browser, without a console session, and completes the link once", async () => {
    const { linkId, callback, cookies, attemptId } = await consentThroughLink(MULTI_USER.email);
    const before = await connectionCount();
    const res = await handleCallback({ params: callback.searchParams, user: null, ip: "10.2.2.2", cookies });
    // Ada has several Desk organisations and SalesIQ portals: the owner's organisation step.
    expect(res.location).toBe(`/connect/organisation/${linkId}`);
    expect(await connectionCount()).toBe(before + 1);
    const link = (await getLink(linkId))!;
    expect(link).toMatchObject({ state: "completed", completedZuid: MULTI_USER.zuid, completedEmail: MULTI_USER.email });
    const conn = (await loadConnection(link.resultConnectionId!))!;
    expect(conn).toMatchObject({ name: "Customer desk", zuid: MULTI_USER.zuid, createdBy: t.admin.id });
    expect((await attemptForUser(attemptId, t.admin.id))?.outcome).toMatchObject({ status: "connected", connectionId: conn.id });
    const trail = await linkAudit(linkId);
    expect(trail.filter((e) => e.action === "connect_link.complete")).toHaveLength(1);
    const created = await t.db.select().from(t.schema.auditEvents).where(eq(t.schema.auditEvents.action, "connection.create"));
    expect(created.at(-1)).toMatchObject({ actorType: "system", actorLabel: `connect link #${linkId}`, targetId: String(conn.id) });

    // The same callback again (a reload, a replay): refused and recorded, nothing changes.
    const again = await handleCallback({ params: callback.searchParams, user: null, ip: "10.2.2.2", cookies });
    expect(again.location).toBe(`/connect/done/${linkId}`);
    expect(await connectionCount()).toBe(before + 1);
    expect(await getLink(linkId)).toMatchObject({ state: "completed", resultConnectionId: conn.id });
    const refused = (await linkAudit(linkId)).filter((e) => e.action === "connect_link.fail");
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ outcome: "denied" });
    expect(JSON.stringify(refused[0].detail)).toContain("used_state");
  });

  it("goes to the done page when nothing is left to choose", async () => {
    const { linkId, callback, cookies } = await consentThroughLink(SINGLE_USER.email);
    const res = await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    expect(res.location).toBe(`/connect/done/${linkId}`);
    expect(await getLink(linkId)).toMatchObject({ state: "completed", completedEmail: SINGLE_USER.email });
    // The done page: for the browser holding the nonce only.
    expect(await linkResultForBrowser(linkId, cookies[linkNonceCookie(linkId)])).toMatchObject({ status: "completed", completedEmail: SINGLE_USER.email });
    expect(await linkResultForBrowser(linkId, "A".repeat(43))).toEqual({ status: "not_yours" });
    expect(await linkResultForBrowser(linkId, undefined)).toEqual({ status: "not_yours" });
  });

  it("refuses a browser without the link's cookie, or with another nonce, and exchanges nothing", async () => {
    for (const cookies of [{}, undefined, "wrong"] as const) {
      const run = await consentThroughLink(SINGLE_USER.email);
      const jar = cookies === "wrong" ? { [linkNonceCookie(run.linkId)]: "A".repeat(43) } : cookies;
      const before = await connectionCount();
      const calls = (await t.counters()).tokenEndpointCalls;
      // A console session does not help, not even the creator's.
      const res = await handleCallback({ params: run.callback.searchParams, user: t.admin, ip: null, cookies: jar });
      expect(res.location).toBe(`/connect/done/${run.linkId}`);
      expect(await connectionCount()).toBe(before);
      expect((await t.counters()).tokenEndpointCalls).toBe(calls);
      expect((await attemptForUser(run.attemptId, t.admin.id))?.outcome).toMatchObject({ status: "failed", code: "link_browser_mismatch" });
      // The stranger cannot end the owner's link; the refusal is on its trail.
      expect(await getLink(run.linkId)).toMatchObject({ state: "consent_started" });
      expect((await linkAudit(run.linkId)).some((e) => e.action === "connect_link.fail" && e.outcome === "denied")).toBe(true);
      // The attempt is burnt: the right cookie afterwards does not revive it.
      await handleCallback({ params: run.callback.searchParams, user: null, ip: null, cookies: run.cookies });
      expect(await connectionCount()).toBe(before);
    }
  });

  it("refuses a revoked link and leaves it revoked", async () => {
    const { linkId, callback, cookies, attemptId } = await consentThroughLink(SINGLE_USER.email);
    await revokeLink(linkId, t.admin, null);
    const before = await connectionCount();
    const res = await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    expect(res.location).toBe(`/connect/done/${linkId}`);
    expect(await connectionCount()).toBe(before);
    expect(await getLink(linkId)).toMatchObject({ state: "revoked" });
    expect((await attemptForUser(attemptId, t.admin.id))?.outcome).toMatchObject({ status: "failed", code: "link_ended" });
  });

  it("refuses a link that expired while Zoho's page was open", async () => {
    const { linkId, callback, cookies, attemptId } = await consentThroughLink(SINGLE_USER.email, { lifetimeMinutes: 30 });
    // The link's time runs out; the attempt row itself is still within its 10 minutes.
    await t.db
      .update(t.schema.connectLinks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(t.schema.connectLinks.id, linkId));
    const before = await connectionCount();
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    expect(await connectionCount()).toBe(before);
    expect(await getLink(linkId)).toMatchObject({ state: "expired" });
    expect((await attemptForUser(attemptId, t.admin.id))?.outcome).toMatchObject({ status: "failed", code: "link_ended" });
  });

  it("ends the link as failed when its attempt came back too late, or the owner denied at Zoho", async () => {
    const late = await consentThroughLink(SINGLE_USER.email);
    await t.db
      .update(t.schema.oauthAttempts)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(t.schema.oauthAttempts.id, late.attemptId));
    await handleCallback({ params: late.callback.searchParams, user: null, ip: null, cookies: late.cookies });
    expect(await getLink(late.linkId)).toMatchObject({ state: "failed", stateReason: "expired_state" });

    const input = createLinkSchema.parse({ clientRef: t.demo.id, scopes: SCOPES, accessType: "offline", name: "Denied" });
    const made = await createLink(input, t.admin, null);
    const started = await startLinkConsent(tokenOf(made.url), null);
    if (started.status !== "redirect") throw new Error(started.status);
    const callback = await consentAt(t.driver, started.url, { email: SINGLE_USER.email, decision: "deny" });
    const res = await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies: { [linkNonceCookie(made.id)]: started.nonce } });
    expect(res.location).toBe(`/connect/done/${made.id}`);
    expect(await getLink(made.id)).toMatchObject({ state: "failed", stateReason: "access_denied" });
    const failed = (await linkAudit(made.id)).filter((e) => e.action === "connect_link.fail");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ outcome: "failure" });
    expect(await linkResultForBrowser(made.id, started.nonce)).toMatchObject({ status: "failed", reason: { title: "Access was denied in Zoho" } });
  });

  it("refuses another Zoho user than the link expects, revokes what Zoho issued and stores nothing", async () => {
    const { linkId, callback, cookies, attemptId } = await consentThroughLink(MULTI_USER.email, { expectedEmail: SINGLE_USER.email });
    const before = await connectionCount();
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    expect(await connectionCount()).toBe(before);
    expect(await getLink(linkId)).toMatchObject({ state: "failed", stateReason: "link_other_user", resultConnectionId: null });
    expect((await attemptForUser(attemptId, t.admin.id))?.outcome).toMatchObject({ status: "failed", code: "link_other_user" });
    const grants = (await t.sandbox.admin("GET", `tokens?email=${MULTI_USER.email}&clientId=${t.demo.clientId}`)).body as { liveRefreshTokens: number };
    expect(grants.liveRefreshTokens).toBe(0);
  });
});
