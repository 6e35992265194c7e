import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ CONSOLE_PUBLIC_URL: "https://console.example.com" });
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { createClient } = await import("@/lib/clients");
const { claimAttempt } = await import("@/lib/authorization/attempts");
const { deleteUser } = await import("@/lib/users");
const { createLinkSchema } = await import("./input");
const { createLink, revokeLink } = await import("./links");
const { hashNonce, startLinkConsent } = await import("./consent");
const { getLink } = await import("./view");
afterAll(() => tmp.cleanup());

const db = getDb();
const mkUser = async (email: string) =>
  (await db.insert(schema.users).values({ email, name: email.split("@")[0], passwordHash: "x", role: "admin" }).returning())[0];
const user = await mkUser("creator@console.test");
await mkUser("other-admin@console.test");
const client = await createClient(
  { name: "EU client", realm: "live", clientType: "server", clientId: "1000.CONSENTCONSENTCONSENTCONSENTCON", clientSecret: "s".repeat(42), homeDc: "eu", multiDc: false, enabledDcs: [], description: "" },
  user.id,
);
const input = createLinkSchema.parse({ clientRef: client.id, scopes: "Desk.tickets.READ", accessType: "offline", name: "Acme" });
const tokenOf = (url: string) => url.split("/connect/")[1];

describe("Continue to Zoho", () => {
  it("starts an attempt bound to the link and a browser nonce, at the data centre the link fixed", async () => {
    const made = await createLink(input, user, null);
    const started = await startLinkConsent(tokenOf(made.url), "10.1.1.1");
    if (started.status !== "redirect") throw new Error(started.status);
    const url = new URL(started.url);
    expect(url.origin + url.pathname).toBe("https://accounts.zoho.eu/oauth/v2/auth");
    expect(url.searchParams.get("client_id")).toBe("1000.CONSENTCONSENTCONSENTCONSENTCON");
    expect(url.searchParams.get("scope")).toBe("Desk.tickets.READ,AaaServer.profile.READ");
    expect(url.searchParams.get("redirect_uri")).toBe("https://console.example.com/api/oauth/callback");
    expect(url.searchParams.get("prompt")).toBe("consent");
    const [attempt] = await db.select().from(schema.oauthAttempts).where(eq(schema.oauthAttempts.linkRef, made.id));
    expect(attempt).toMatchObject({ userId: user.id, clientRef: client.id, linkNonceHash: hashNonce(started.nonce), connectionName: "Acme" });
    expect(await getLink(made.id)).toMatchObject({ state: "consent_started" });
    expect((await getLink(made.id))?.consentStartedAt).not.toBeNull();

    const trail = JSON.stringify(await db.select().from(schema.auditEvents));
    for (const secret of [tokenOf(made.url), started.nonce, url.searchParams.get("state")!]) expect(trail).not.toContain(secret);
  });

  it("is never completed through a console session, not even the creator's", async () => {
    const made = await createLink(input, user, null);
    const started = await startLinkConsent(tokenOf(made.url), null);
    if (started.status !== "redirect") throw new Error(started.status);
    const state = new URL(started.url).searchParams.get("state")!;
    expect(await claimAttempt(state, user.id)).toMatchObject({ ok: false, failure: "other_user" });
  });

  it("refuses an ended link without starting anything", async () => {
    const made = await createLink(input, user, null);
    await revokeLink(made.id, user, null);
    expect(await startLinkConsent(tokenOf(made.url), null)).toMatchObject({ status: "revoked" });
    expect(await startLinkConsent("B".repeat(43), null)).toEqual({ status: "unknown" });
    expect(await db.select().from(schema.oauthAttempts).where(eq(schema.oauthAttempts.linkRef, made.id))).toHaveLength(0);
  });
});

describe("deleting the creator", () => {
  it("revokes their open links and keeps the ended ones, without a creator", async () => {
    const leaving = await mkUser("leaving@console.test");
    const open = await createLink(input, leaving, null);
    const ended = await createLink(input, leaving, null);
    await revokeLink(ended.id, leaving, null);
    await deleteUser(leaving.id);
    expect(await getLink(open.id)).toMatchObject({ state: "revoked", stateReason: "creator_deleted", createdBy: null });
    expect(await getLink(ended.id)).toMatchObject({ state: "revoked", stateReason: "revoked", createdBy: null, revokedBy: null });
    expect(await startLinkConsent(tokenOf(open.url), null)).toMatchObject({ status: "revoked" });
  });
});
