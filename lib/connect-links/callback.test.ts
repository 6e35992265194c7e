import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { MULTI_USER, SINGLE_USER } from "@/sandbox/seed";
import { consentAt, startSandboxHarness } from "@/test/sandbox-harness";

const t = await startSandboxHarness();
const { handleCallback } = await import("@/lib/authorization/callback");
const { attemptForUser } = await import("@/lib/authorization/attempts");
const { loadConnection } = await import("@/lib/connections/queries");
const { createLinkSchema } = await import("./input");
const { createLink, revokeLink } = await import("./links");
const { linkNonceCookie, startLinkConsent } = await import("./consent");
const { getLink } = await import("./view");
const { linkResultForBrowser } = await import("./result");
const { ownerConnection, ownerDiscovery, saveOwnerBinding, ORGANISATION_WINDOW_MS } = await import("./organisation");
const { createReconnectLink } = await import("./links");
const { sweepExpiredLinks } = await import("./expiry");
const { eq } = await import("drizzle-orm");

afterAll(() => t.close());
beforeEach(async () => {
  await t.sandbox.admin("POST", "reset");
  await t.sandbox.admin("POST", "limits", { codesPerClientPerWindow: 1000, refreshTokensPerUserPerClientPerWindow: 1000 });
});

const SCOPES = "Desk.basic.READ,SalesIQ.portals.READ";
const tokenOf = (url: string) => url.split("/connect/")[1];

/** Makes a link, presses Continue and consents at the sandbox as `email`: Zoho's redirect back. */
async function consentThroughLink(email: string, opts: { lifetimeMinutes?: number; expectedEmail?: string; reconnect?: number } = {}) {
  const { reconnect, ...rest } = opts;
  const made = reconnect
    ? await createReconnectLink({ connectionId: reconnect, lifetimeMinutes: 60 }, t.admin, null)
    : await createLink(createLinkSchema.parse({ clientRef: t.demo.id, scopes: SCOPES, accessType: "offline", name: "Customer desk", ...rest }), t.admin, null);
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
    expect(created.at(-1)).toMatchObject({ actorType: "system", actorLabel: `authorized through a connect link by ${MULTI_USER.email}`, targetId: String(conn.id) });

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

  it("lets the owner's browser, and only it, choose the organisation of the connection it made, for an hour", async () => {
    const { linkId, callback, cookies } = await consentThroughLink(MULTI_USER.email);
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    const nonce = cookies[linkNonceCookie(linkId)];
    const owner = await ownerConnection(linkId, nonce);
    if (!owner.ok) throw new Error(owner.reason);
    const conn = (await getLink(linkId))!.resultConnectionId!;
    expect(owner.connectionId).toBe(conn);
    // Another browser, another link's id, no cookie: nothing.
    expect(await ownerConnection(linkId, "A".repeat(43))).toMatchObject({ ok: false, reason: "not_yours" });
    expect(await ownerConnection(linkId, undefined)).toMatchObject({ ok: false, reason: "not_yours" });
    expect(await ownerConnection(linkId + 1000, nonce)).toMatchObject({ ok: false, reason: "not_yours" });

    const load = await ownerDiscovery(owner);
    if (!load.ok) throw new Error(load.message);
    expect(load.needsChoice.length).toBeGreaterThan(0);
    const desk = load.options.desk?.ok ? load.options.desk.options.find((o) => !o.isDefault) ?? load.options.desk.options[0] : undefined;
    const portal = load.options.salesiq?.ok ? load.options.salesiq.options.at(-1) : undefined;
    // A choice Zoho did not offer is refused, whatever the form sends.
    await expect(saveOwnerBinding(linkId, nonce, { desk: "99999999", salesiq: portal?.id }, null)).rejects.toThrow();
    const saved = await saveOwnerBinding(linkId, nonce, { desk: desk?.id, salesiq: portal?.id }, "10.2.2.2");
    expect(saved.desk?.orgId).toBe(desk?.id);
    expect(saved.salesiq?.screenName).toBe(portal?.id);
    expect((await loadConnection(conn))?.orgBinding).toMatchObject({ desk: { orgId: desk?.id }, salesiq: { screenName: portal?.id } });
    const bound = await t.db.select().from(t.schema.auditEvents).where(eq(t.schema.auditEvents.action, "connection.bind"));
    expect(bound.at(-1)).toMatchObject({ targetId: String(conn), actorLabel: `${MULTI_USER.email} through connect link #${linkId}` });
    await expect(saveOwnerBinding(linkId, "A".repeat(43), { desk: desk?.id, salesiq: portal?.id }, null)).rejects.toThrow(/did not complete this link/);

    // After the window the console's users finish it.
    const later = Date.now() + ORGANISATION_WINDOW_MS + 1000;
    expect(await ownerConnection(linkId, nonce, later)).toMatchObject({ ok: false, reason: "closed" });
    await expect(saveOwnerBinding(linkId, nonce, { desk: desk?.id, salesiq: portal?.id }, null, later)).rejects.toThrow(/time to choose/);
  });

  it("sends connect_link.completed in the transaction that completes the link, and connect_link.expired once for an unused one", async () => {
    const { linkId, callback, cookies } = await consentThroughLink(SINGLE_USER.email);
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    const events = async (type: string) => (await t.db.select().from(t.schema.alertEvents).where(eq(t.schema.alertEvents.type, type))).map((e) => e.payload as { data: Record<string, unknown> });
    const completed = (await events("connect_link.completed")).filter((e) => (e.data.link as { id: number }).id === linkId);
    expect(completed).toHaveLength(1);
    expect(completed[0].data).toMatchObject({ zoho_user: { email: SINGLE_USER.email }, connection: { id: (await getLink(linkId))!.resultConnectionId } });

    const input = createLinkSchema.parse({ clientRef: t.demo.id, scopes: SCOPES, accessType: "offline", name: "Never used" });
    const unused = await createLink(input, t.admin, null);
    expect(JSON.stringify(await events("connect_link.expired"))).not.toContain(`"id":${unused.id},`);
    const after = unused.expiresAt + 1000;
    expect(await sweepExpiredLinks(after)).toBeGreaterThanOrEqual(1);
    await sweepExpiredLinks(after);
    const expired = (await events("connect_link.expired")).filter((e) => (e.data.link as { id: number }).id === unused.id);
    expect(expired).toHaveLength(1);
    expect(expired[0].data).toMatchObject({ last_state: "waiting", link: { connection_name: "Never used" } });
    expect(JSON.stringify(expired)).not.toContain(tokenOf(unused.url));
    expect(await getLink(unused.id)).toMatchObject({ state: "expired" });
  });
});

describe("a reconnect link completed through Zoho", () => {
  async function connectionNeedingReauth() {
    const { linkId, callback, cookies } = await consentThroughLink(SINGLE_USER.email);
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    const id = (await getLink(linkId))!.resultConnectionId!;
    await t.db.update(t.schema.connections).set({ reauthReason: "invalid_code" }).where(eq(t.schema.connections.id, id));
    return (await loadConnection(id))!;
  }

  it("replaces the tokens of the same connection when the same Zoho user consents", async () => {
    const before = await connectionNeedingReauth();
    const count = await connectionCount();
    const { linkId, callback, cookies } = await consentThroughLink(SINGLE_USER.email, { reconnect: before.id });
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    expect(await getLink(linkId)).toMatchObject({ state: "completed", resultConnectionId: before.id, completedEmail: SINGLE_USER.email });
    const after = (await loadConnection(before.id))!;
    expect(await connectionCount()).toBe(count);
    expect(after).toMatchObject({ id: before.id, name: before.name, reauthReason: null });
    expect(after.refreshTokenEnc).not.toEqual(before.refreshTokenEnc);
    const trail = await t.db.select().from(t.schema.auditEvents).where(eq(t.schema.auditEvents.action, "connection.reconnect"));
    expect(trail.at(-1)).toMatchObject({ targetId: String(before.id), actorLabel: `authorized through a connect link by ${SINGLE_USER.email}` });
  });

  it("refuses another Zoho user and leaves the connection untouched", async () => {
    const before = await connectionNeedingReauth();
    const { linkId, callback, cookies } = await consentThroughLink(MULTI_USER.email, { reconnect: before.id });
    await handleCallback({ params: callback.searchParams, user: null, ip: null, cookies });
    expect(await getLink(linkId)).toMatchObject({ state: "failed", resultConnectionId: null });
    const after = (await loadConnection(before.id))!;
    expect(after).toMatchObject({ reauthReason: "invalid_code", zuid: SINGLE_USER.zuid });
    expect(after.refreshTokenEnc).toEqual(before.refreshTokenEnc);
    expect(after.accessTokenEnc).toEqual(before.accessTokenEnc);
  });
});
