import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { createAttempt, recordUsedAttempt, saveOutcome } = await import("./attempts");
const { recentUnfinishedAttempts } = await import("./recent-attempts");
afterAll(() => tmp.cleanup());

describe("recent unfinished authorizations", () => {
  const db = getDb();
  const mkUser = (email: string) => db.insert(schema.users).values({ email, name: email, passwordHash: "x", role: "operator" }).returning().get();
  const mkClient = (name: string, clientType: "server" | "self") =>
    db
      .insert(schema.zohoClients)
      .values({ name, realm: "live", clientType, clientId: `1000.${name.toUpperCase().padEnd(30, "X")}`, secretEnc: "x", secretLast4: "x", secretUpdatedAt: new Date(), homeDc: "us" })
      .returning()
      .get();
  const user = mkUser("me@x.test");
  const other = mkUser("other@x.test");
  const server = mkClient("server", "server");
  const self = mkClient("self", "self");
  const start = (connectionName: string, extra: Partial<{ userId: number; clientRef: number; reconnectId: number }> = {}, now = Date.now()) =>
    createAttempt({ userId: user.id, clientRef: server.id, scopes: ["Desk.basic.READ"], accessType: "offline", connectionName, ...extra }, now).attempt;

  it("lists pending, failed and abandoned attempts with their reason, newest first, and nothing that connected", async () => {
    const abandoned = start("abandoned", {}, Date.now() - 20 * 60_000);
    const denied = start("denied");
    saveOutcome(denied.id, { status: "failed", code: "access_denied" });
    const connected = start("connected");
    saveOutcome(connected.id, {
      status: "connected",
      connectionId: 1,
      reconnected: false,
      needsBinding: [],
      discoveryProblems: [],
      evicted: [],
      budgetUsed: null,
      missingRefreshToken: false,
    });
    const selfFailed = recordUsedAttempt({ userId: user.id, clientRef: self.id, scopes: ["Desk.basic.READ"], accessType: "offline", connectionName: "nightly" });
    saveOutcome(selfFailed.id, {
      status: "failed",
      code: "zoho_invalid_code",
      zoho: { code: "zoho_invalid_code", operation: "exchange", title: "Zoho did not accept the authorization code", message: "The code expired.", advice: "" },
    });
    const pending = start("pending");
    start("theirs", { userId: other.id });

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
    const first = start("again");
    saveOutcome(first.id, { status: "failed", code: "access_denied" });
    const reconnect = start("conn", { reconnectId: 42 });
    let ids = (await recentUnfinishedAttempts(user.id)).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, reconnect.id]));

    const second = start("again");
    const reconnect2 = start("renamed", { reconnectId: 42 });
    ids = (await recentUnfinishedAttempts(user.id)).map((a) => a.id);
    expect(ids).not.toContain(first.id);
    expect(ids).not.toContain(reconnect.id);
    expect(ids).toEqual(expect.arrayContaining([second.id, reconnect2.id]));

    expect(await recentUnfinishedAttempts(user.id, { limit: 2 })).toHaveLength(2);
  });
});
