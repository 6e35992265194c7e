import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { createAttempt, recordUsedAttempt, saveOutcome } = await import("./attempts");
const { recentUnfinishedAttempts } = await import("./recent-attempts");
afterAll(() => tmp.cleanup());

const db = getDb();
const mkUser = async (email: string) => (await db.insert(schema.users).values({ email, name: email, passwordHash: "x", role: "operator" }).returning())[0];
const mkClient = async (name: string, clientType: "server" | "self") =>
  (
    await db
      .insert(schema.zohoClients)
      .values({ name, realm: "live", clientType, clientId: `1000.${name.toUpperCase().padEnd(30, "X")}`, secretEnc: "x", secretLast4: "x", secretUpdatedAt: new Date(), homeDc: "us" })
      .returning()
  )[0];
const user = await mkUser("me@x.test");
const other = await mkUser("other@x.test");
const server = await mkClient("server", "server");
const self = await mkClient("self", "self");
const start = async (connectionName: string, extra: Partial<{ userId: number; clientRef: number; reconnectId: number }> = {}, now = Date.now()) =>
  (await createAttempt({ userId: user.id, clientRef: server.id, scopes: ["Desk.basic.READ"], accessType: "offline", connectionName, ...extra }, now)).attempt;

describe("recent unfinished authorizations", () => {
  it("lists pending, failed and abandoned attempts with their reason, newest first, and nothing that connected", async () => {
    const abandoned = await start("abandoned", {}, Date.now() - 20 * 60_000);
    const denied = await start("denied");
    await saveOutcome(denied.id, { status: "failed", code: "access_denied" });
    const connected = await start("connected");
    await saveOutcome(connected.id, {
      status: "connected",
      connectionId: 1,
      reconnected: false,
      needsBinding: [],
      discoveryProblems: [],
      evicted: [],
      budgetUsed: null,
      missingRefreshToken: false,
    });
    const selfFailed = await recordUsedAttempt({ userId: user.id, clientRef: self.id, scopes: ["Desk.basic.READ"], accessType: "offline", connectionName: "nightly" });
    await saveOutcome(selfFailed.id, {
      status: "failed",
      code: "zoho_invalid_code",
      zoho: { code: "zoho_invalid_code", operation: "exchange", title: "Zoho did not accept the authorization code", message: "The code expired.", advice: "" },
    });
    const pending = await start("pending");
    await start("theirs", { userId: other.id });

    const list = await recentUnfinishedAttempts(user.id);
    expect(list.map((a) => [a.connectionName, a.state])).toEqual([
      ["pending", "pending"],
      ["nightly", "failed"],
      ["denied", "failed"],
      ["abandoned", "expired"],
    ]);
    expect(list.find((a) => a.id === denied.id)!.reason).toContain("Access was denied in Zoho");
    expect(list.find((a) => a.id === selfFailed.id)).toMatchObject({ selfClient: true, reason: expect.stringContaining("The code expired.") });
    expect(list.find((a) => a.id === abandoned.id)!.reason).toContain("Never came back from Zoho");
    expect(list.find((a) => a.id === pending.id)).toMatchObject({ clientName: "server", scopes: ["Desk.basic.READ"], reconnectId: null });
  });

  it("drops an attempt once a newer one for the same connection starts, and stops at the limit", async () => {
    const first = await start("again");
    await saveOutcome(first.id, { status: "failed", code: "access_denied" });
    const reconnect = await start("conn", { reconnectId: 42 });
    let ids = (await recentUnfinishedAttempts(user.id)).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, reconnect.id]));

    const second = await start("again");
    const reconnect2 = await start("renamed", { reconnectId: 42 });
    ids = (await recentUnfinishedAttempts(user.id)).map((a) => a.id);
    expect(ids).not.toContain(first.id);
    expect(ids).not.toContain(reconnect.id);
    expect(ids).toEqual(expect.arrayContaining([second.id, reconnect2.id]));

    expect(await recentUnfinishedAttempts(user.id, { limit: 2 })).toHaveLength(2);
  });
});
