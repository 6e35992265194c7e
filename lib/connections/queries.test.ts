import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxHarness, type SandboxHarness } from "@/test/sandbox-harness";

let h: SandboxHarness;
let q: typeof import("./queries");
let ov: typeof import("./overview");
let l: typeof import("./list");
let ids: Record<string, number>;

beforeAll(async () => {
  h = await startSandboxHarness();
  q = await import("./queries");
  ov = await import("./overview");
  l = await import("./list");
  const { connections } = h.schema;
  const { eq } = await import("drizzle-orm");
  ids = {
    alpha: await h.connect({ name: "alpha desk", binding: { desk: { orgId: "700000001001", name: "Zylker Support" } } }),
    beta: await h.connect({ name: "beta chat", scopes: ["SalesIQ.portals.READ"] }),
    gamma: await h.connect({ name: "gamma eu", email: "eva@zylker.eu" }),
    delta: await h.connect({ name: "delta failing" }),
  };
  const set = async (id: number, v: Partial<typeof connections.$inferInsert>) => {
    await h.db.update(connections).set(v).where(eq(connections.id, id));
  };
  // Keep-fresh off: a token nobody will renew is the one that counts as expiring soon.
  await set(ids.beta, { accessTokenExpiresAt: new Date(Date.now() + 4 * 60_000), keepFresh: false });
  await set(ids.delta, { failureCount: 2, nextRetryAt: new Date(Date.now() + 60_000), lastErrorKind: "server", lastErrorMessage: "Zoho had a server error." });
});
afterAll(async () => h?.close());

describe("connection queries", () => {
  it("never puts a token in a DTO", async () => {
    const dto = (await q.getConnection(ids.alpha))!;
    const { decryptSecret, secretPlace } = await import("@/lib/secrets");
    const row = (await q.loadConnection(ids.alpha))!;
    const text = JSON.stringify(dto);
    expect(text).not.toContain(decryptSecret(row.accessTokenEnc!, secretPlace.accessToken(row.id)));
    expect(text).not.toContain(decryptSecret(row.refreshTokenEnc!, secretPlace.refreshToken(row.id)));
    expect(text).not.toContain(row.accessTokenEnc!);
    expect(dto.accessTokenLast4).toHaveLength(4);
    expect(dto.organisation).toBe("Desk: Zylker Support");
    expect(dto.mintBudget).toMatchObject({ used: 0, limit: 10 });
  });

  it("sends each list row's cells and status facts only, the last error's kind among them", async () => {
    const { items } = await l.listConnections({});
    const alpha = items.find((r) => r.id === ids.alpha)!;
    // The first page is sent twice (HTML and RSC payload) and on every poll: nothing else rides along.
    expect(Object.keys(alpha).sort()).toEqual(["client", "facts", "id", "lastRefreshAt", "location", "name", "organisation", "services", "tags", "zohoUser", "zuid"]);
    expect(alpha).toMatchObject({ name: "alpha desk", client: "Sandbox demo client", organisation: "Desk: Zylker Support", services: ["desk", "profile"] });
    expect(JSON.stringify(alpha)).not.toMatch(/scopes|binding|Last4|apiDomain|accountsServer/);
    const delta = items.find((r) => r.id === ids.delta)!;
    expect(delta.facts).toMatchObject({ lastErrorKind: "server", failureCount: 2 });
    const { connectionStatus } = await import("@/lib/connection-status");
    expect(connectionStatus(delta.facts, Date.now()).kind).toBe("refresh_failing");
  });

  it("filters by status, service, DC and search, and sorts problems first", async () => {
    const list = (input: Record<string, string>) => l.listConnections(q.parseListQuery(input));
    const all = await list({});
    expect(all.total).toBe(4);
    expect(all.items[0].id).toBe(ids.delta);
    expect((await list({ status: "expiring_soon" })).items.map((d) => d.id)).toEqual([ids.beta]);
    expect((await list({ service: "salesiq" })).items.map((d) => d.id)).toEqual([ids.beta]);
    expect((await list({ dc: "eu" })).items.map((d) => d.id)).toEqual([ids.gamma]);
    expect((await list({ q: "zylker support" })).items.map((d) => d.id)).toEqual([ids.alpha]);
    expect((await list({ q: "100%_" })).total).toBe(0);
    // A control character is a space, never the end of the pattern (SQLite's like stops at a NUL).
    expect((await list({ q: "\u0000zzzz" })).total).toBe(0);
    expect((await list({ q: "alpha\u0000desk\u001f" })).items.map((d) => d.id)).toEqual([ids.alpha]);
    expect(q.parseListQuery(new URLSearchParams("q=%00%07")).q).toBeUndefined();
    const byName = (await list({ sort: "name", dir: "desc" })).items.map((d) => d.name);
    expect(byName).toEqual(["gamma eu", "delta failing", "beta chat", "alpha desk"]);
  });

  it("drops bad URL values instead of failing, and clamps the page", async () => {
    const query = q.parseListQuery(new URLSearchParams("status=bogus&page=99&sort=nope&client=x"));
    expect(query).toMatchObject({ status: undefined, sort: undefined, client: undefined, page: 99 });
    expect((await l.listConnections({ page: 99 })).page).toBe(1);
  });

  it("counts by status and live refresh tokens per client and Zoho user", async () => {
    const o = await ov.overview();
    expect(o.total).toBe(4);
    expect(o.counts).toMatchObject({ active: 2, expiring_soon: 1, refresh_failing: 1 });
    expect(o.attention.items.map((d) => d.id)).toEqual([ids.delta]);
    expect(o.attention.total).toBe(1);
    expect(o.expiringWithinHour.items[0].id).toBe(ids.beta);
    // Fresh sandbox tokens live one hour, so every connection here expires within the hour.
    expect(o.expiringWithinHour.total).toBe(4);
    const ada = o.budgets.items.find((b) => b.zuid === "70000001")!;
    expect(ada).toMatchObject({ live: 3, cap: 20, email: "ada@zylker.com" });
  });
});
