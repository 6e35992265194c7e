import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { testEngine } from "@/test/engine";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
// Imported after the environment points at the temporary database.
const { getDb, tx } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq, sql } = await import("drizzle-orm");
const { rawExec, rawQuery } = await import("@/test/db-kit");
const q = await import("./query");
const { recordAudit } = await import("./record");
afterAll(() => tmp.cleanup());

const db = getDb();
const a = schema.auditEvents;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const H = 3_600_000;
const D = 24 * H;

type Insert = Partial<typeof a.$inferInsert> & { at: Date };
const insert = async (rows: Insert[]) =>
  (
    await db
      .insert(a)
      .values(rows.map((r) => ({ actorType: "system" as const, actorLabel: "system", action: "auth.sign_in", outcome: "success" as const, ...r })))
      .returning({ id: a.id, at: a.at })
  ).map((r) => ({ id: r.id, at: r.at.getTime() }));
const wipe = async () => {
  await db.delete(a);
};
const ids = (p: { events: { id: number }[] }) => p.events.map((e) => e.id);

/** Every message of a failure, drizzle's "Failed query: …" and the database's own (its cause). */
async function failureOf(run: Promise<unknown>): Promise<string> {
  const error: unknown = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the statement should have been refused").toBeInstanceOf(Error);
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.join(" <- ");
}

// Clients 1 and 2; connection 1 belongs to client 2 and connections 2 and 3 to client 1, so a
// client filter that confused connection ids with client ids would pick the wrong events.
beforeAll(async () => {
  const [user] = await db.insert(schema.users).values({ email: "ops@console.test", name: "Ops", passwordHash: "x", role: "admin" }).returning();
  const client = async (name: string) =>
    (
      await db
        .insert(schema.zohoClients)
        .values({ name, realm: "sandbox", clientType: "server", clientId: `1000.${name}`, secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us" })
        .returning()
    )[0].id;
  const c1 = await client("client-one");
  const c2 = await client("client-two");
  const conn = async (name: string, clientRef: number) =>
    (
      await db
        .insert(schema.connections)
        .values({ name, clientRef, accessType: "offline", location: "us", accountsServer: "http://x/us/accounts", apiDomain: "http://x", scopesRequested: [], scopesGranted: [], createdBy: user.id })
        .returning()
    )[0].id;
  expect([c1, c2]).toEqual([1, 2]);
  expect([await conn("conn-one", c2), await conn("conn-two", c1), await conn("conn-three", c1)]).toEqual([1, 2, 3]);
});

describe("keyset pagination", () => {
  // Seconds after BASE, in insertion (id) order: runs of equal times straddle the 5-row pages.
  const OFFSETS = [5, 5, 5, 5, 5, 5, 5, 3, 9, 9, 1, 3, 3, 3, 7, 7, 7, 7, 7, 7, 2, 2, 9];
  const BASE = NOW - D;
  let rows: { id: number; at: number }[];
  let expected: number[];

  beforeAll(async () => {
    await wipe();
    rows = await insert(OFFSETS.map((s, i) => ({ at: new Date(BASE + s * 1000), outcome: i % 3 === 0 ? "failure" : "success" })));
    expected = [...rows].sort((x, y) => y.at - x.at || y.id - x.id).map((r) => r.id);
  });

  async function walkOlder(filter = {}, limit = 5) {
    const pages = [await q.listAuditPage({ filter }, { limit, now: NOW })];
    while (pages.at(-1)!.older) pages.push(await q.listAuditPage({ filter, before: pages.at(-1)!.older! }, { limit, now: NOW }));
    return pages;
  }

  it("returns every row once, newest first and ties by id, across pages cut inside runs of equal times", async () => {
    const pages = await walkOlder();
    expect(pages.map((p) => p.events.length)).toEqual([5, 5, 5, 5, 3]);
    const all = pages.flatMap(ids);
    expect(all).toEqual(expected);
    expect(new Set(all).size).toBe(23);
    // The cuts really fall between rows of the same time (the case a time-only cursor breaks).
    const at = (id: number) => rows.find((r) => r.id === id)!.at;
    expect(at(pages[0].events[4].id)).toBe(at(pages[1].events[0].id));
    expect(at(pages[1].events[4].id)).toBe(at(pages[2].events[0].id));
    expect(pages[0].newer).toBeNull();
    expect(pages.at(-1)!.older).toBeNull();
    expect(pages[1].newer).toEqual({ at: pages[1].events[0].at, id: pages[1].events[0].id });
  });

  it("walks back with `after` through the same pages, ending on the newest with no newer cursor", async () => {
    const pages = await walkOlder();
    const back = [pages.at(-1)!];
    while (back.at(-1)!.newer) back.push(await q.listAuditPage({ filter: {}, after: back.at(-1)!.newer! }, { limit: 5, now: NOW }));
    expect(back.map(ids)).toEqual([...pages].reverse().map(ids));
    expect(back.at(-1)!.newer).toBeNull();
    // A page reached going back still leads forward to the same older page.
    expect(back[1].older).toEqual(pages.at(-2)!.older);
  });

  it("pages a filtered selection the same way", async () => {
    const failures = rows.filter((_, i) => i % 3 === 0).map((r) => r.id);
    const pages = await walkOlder({ outcome: "failure" }, 2);
    expect(pages.flatMap(ids)).toEqual(expected.filter((id) => failures.includes(id)));
    expect(pages.every((p) => p.events.every((e) => e.outcome === "failure"))).toBe(true);
  });

  it("iterates every matching row in batches smaller than the total", async () => {
    const seen: number[] = [];
    for await (const e of q.iterateAuditEvents({}, { batch: 4, now: NOW })) seen.push(e.id);
    expect(seen).toEqual(expected);
  });

  it("hands out full keyset batches across runs of equal times, the last one short, then stops", async () => {
    const batches: number[][] = [];
    for await (const b of q.auditEventBatches({}, { batch: 4, now: NOW })) batches.push(b.map((e) => e.id));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(batches.flat()).toEqual(expected);
    const failures = [];
    for await (const b of q.auditEventBatches({ outcome: "failure" }, { batch: 2, now: NOW })) failures.push(...b);
    expect(failures.every((e) => e.outcome === "failure")).toBe(true);
    expect(failures.map((e) => e.id)).toEqual(expected.filter((id) => rows.findIndex((r) => r.id === id) % 3 === 0));
  });

  it("reads each batch from SQL only when asked, and nothing after return()", async () => {
    const batches = q.auditEventBatches({}, { batch: 5, now: NOW });
    const first = await batches.next();
    expect(first.done ? [] : first.value.map((e) => e.id)).toEqual(expected.slice(0, 5));
    // A row removed after the first batch was handed out is missing from the next: read then.
    const [gone] = await db.select().from(a).where(eq(a.id, expected[7]));
    await db.delete(a).where(eq(a.id, gone.id));
    try {
      const second = await batches.next();
      expect(second.done ? [] : second.value.map((e) => e.id)).toEqual(expected.slice(5, 11).filter((id) => id !== gone.id));
    } finally {
      await db.insert(a).values(gone);
    }
    await batches.return!();
    // Rows remain past the second batch, but the returned iterator reads no more of them.
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });

  it("does not grow with events written while it runs: every batch after the first is older than it", async () => {
    const batches = q.auditEventBatches({}, { batch: 5, now: NOW });
    const seen: number[] = [];
    const first = await batches.next();
    if (!first.done) seen.push(...first.value.map((e) => e.id));
    // An event recorded meanwhile (the export's own audit row is one) is newer than the cursor.
    const [arrived] = await insert([{ at: new Date(NOW - H) }]);
    try {
      for await (const b of batches) seen.push(...b.map((e) => e.id));
    } finally {
      await db.delete(a).where(eq(a.id, arrived.id));
    }
    expect(seen).toEqual(expected);
  });

  it("refuses a batch size that is not a positive integer", () => {
    expect(() => q.auditEventBatches({}, { batch: 0 })).toThrow(/positive integer/);
    expect(() => q.auditEventBatches({}, { batch: 2.5 })).toThrow(/positive integer/);
  });
});

describe("filters", () => {
  let e: Record<string, number>;
  beforeAll(async () => {
    await wipe();
    const spec: [string, Insert][] = [
      ["signIn", { at: new Date(NOW - 1 * H), actorType: "user", actorId: "1", actorLabel: "ops@console.test", action: "auth.sign_in" }],
      ["createClient", { at: new Date(NOW - 2 * H), actorType: "user", actorId: "2", actorLabel: "b", action: "client.create", targetType: "client", targetId: "1", detail: { name: "client-one" } }],
      ["refreshTwo", { at: new Date(NOW - 3 * H), action: "connection.refresh", targetType: "connection", targetId: "2", detail: { trigger: "background" } }],
      ["createUser", { at: new Date(NOW - 4 * H), actorType: "user", actorId: "12", actorLabel: "c", action: "user.create", targetType: "user", targetId: "1" }],
      ["refreshOne", { at: new Date(NOW - 30 * H), action: "connection.refresh", targetType: "connection", targetId: "1", outcome: "failure" }],
      ["revokeThree", { at: new Date(NOW - 5 * D), actorType: "api_key", actorId: "7", actorLabel: "k", action: "connection.revoke", targetType: "connection", targetId: "3", outcome: "denied" }],
      ["updateClientTwo", { at: new Date(NOW - 10 * D), actorType: "user", actorId: "1", actorLabel: "ops@console.test", action: "client.update", targetType: "client", targetId: "2" }],
      ["reauthTwo", { at: new Date(NOW - 40 * D), action: "connection.needs_reauth", targetType: "connection", targetId: "2", outcome: "failure" }],
      ["anonymous", { at: new Date(NOW - 50 * D), actorType: "anonymous", actorLabel: "anonymous", action: "auth.sign_in", outcome: "failure" }],
    ];
    const inserted = await insert(spec.map(([, r]) => r));
    e = Object.fromEntries(spec.map(([k], i) => [k, inserted[i].id]));
  });

  const pick = async (filter: Parameters<typeof q.listAuditPage>[0]["filter"]) =>
    ids(await q.listAuditPage({ filter }, { limit: 100, now: NOW }));
  const named = (...keys: string[]) => keys.map((k) => e[k]);

  it("selects everything without a filter, newest first", async () => {
    expect(await pick({})).toEqual(named("signIn", "createClient", "refreshTwo", "createUser", "refreshOne", "revokeThree", "updateClientTwo", "reauthTwo", "anonymous"));
  });

  it("matches one actor exactly or every actor of a type", async () => {
    expect(await pick({ actor: "user:1" })).toEqual(named("signIn", "updateClientTwo"));
    expect(await pick({ actor: "user" })).toEqual(named("signIn", "createClient", "createUser", "updateClientTwo"));
    expect(await pick({ actor: "system" })).toEqual(named("refreshTwo", "refreshOne", "reauthTwo"));
    expect(await pick({ actor: "api_key:7" })).toEqual(named("revokeThree"));
    expect(await pick({ actor: "api_key:8" })).toEqual([]);
  });

  it("matches a whole action group or one action", async () => {
    expect(await pick({ action: "tokens" })).toEqual(named("refreshTwo", "refreshOne", "revokeThree", "reauthTwo"));
    expect(await pick({ action: "connection.refresh" })).toEqual(named("refreshTwo", "refreshOne"));
    expect(await pick({ action: "clients" })).toEqual(named("createClient", "updateClientTwo"));
  });

  it("matches the outcome and the connection", async () => {
    expect(await pick({ outcome: "failure" })).toEqual(named("refreshOne", "reauthTwo", "anonymous"));
    expect(await pick({ outcome: "denied" })).toEqual(named("revokeThree"));
    expect(await pick({ connection: 2 })).toEqual(named("refreshTwo", "reauthTwo"));
  });

  it("matches a client's own events and those of its connections, not of same-numbered ones", async () => {
    expect(await pick({ client: 1 })).toEqual(named("createClient", "refreshTwo", "revokeThree", "reauthTwo"));
    expect(await pick({ client: 2 })).toEqual(named("refreshOne", "updateClientTwo"));
    expect(await pick({ client: 99 })).toEqual([]);
  });

  it("keeps to the time range, the custom one from its start inclusive to its end exclusive", async () => {
    expect(await pick({ range: "24h" })).toEqual(named("signIn", "createClient", "refreshTwo", "createUser"));
    expect(await pick({ range: "7d" })).toEqual(named("signIn", "createClient", "refreshTwo", "createUser", "refreshOne", "revokeThree"));
    expect(await pick({ range: "30d" })).toHaveLength(7);
    const iso = (t: number) => new Date(t).toISOString();
    expect(await pick({ range: "custom", from: iso(NOW - 5 * D), to: iso(NOW - 2 * H) })).toEqual(named("refreshTwo", "createUser", "refreshOne", "revokeThree"));
    expect(await pick({ range: "custom", to: iso(NOW - 40 * D + 1) })).toEqual(named("reauthTwo", "anonymous"));
  });

  it("combines filters with AND", async () => {
    expect(await pick({ actor: "system", action: "tokens", outcome: "failure" })).toEqual(named("refreshOne", "reauthTwo"));
    expect(await pick({ client: 1, range: "24h" })).toEqual(named("createClient", "refreshTwo"));
  });

  it("counts what the filter selects", async () => {
    expect(await q.countAuditEvents({}, NOW)).toEqual({ count: 9, capped: false });
    expect(await q.countAuditEvents({ client: 1 }, NOW)).toEqual({ count: 4, capped: false });
    expect(await q.countAuditEvents({ actor: "api_key:8" }, NOW)).toEqual({ count: 0, capped: false });
  });

  it("names targets and links them, falling back to the detail's name", async () => {
    const page = await q.listAuditPage({ filter: {} }, { limit: 100, now: NOW });
    const by = (id: number) => page.events.find((x) => x.id === id)!;
    expect(by(e.refreshTwo).target).toEqual({ type: "connection", id: "2", label: "conn-two", href: "/connections/2" });
    expect(by(e.createClient).target).toMatchObject({ label: "client-one", href: "/clients/1" });
    expect(by(e.createUser).target).toMatchObject({ label: "ops@console.test", href: "/settings/users" });
    expect(by(e.signIn).target).toBeNull();
    expect(by(e.refreshTwo)).toMatchObject({ actionLabel: "Token refresh", group: "tokens", summary: "Refreshed the access token by the background refresher.", at: NOW - 3 * H });
  });
});

describe("count cap", () => {
  it("stops counting at COUNT_CAP and says so", async () => {
    await wipe();
    const row = (at: number, action: string) => ({ at: new Date(at), actorType: "system" as const, actorLabel: "system", action, outcome: "success" as const });
    const all = [...Array.from({ length: q.COUNT_CAP }, (_, i) => row(NOW - i, "connection.refresh")), row(NOW, "auth.sign_in")];
    await tx(async (t) => {
      for (let i = 0; i < all.length; i += 400) await t.insert(a).values(all.slice(i, i + 400));
    });
    expect(await q.countAuditEvents({}, NOW)).toEqual({ count: q.COUNT_CAP, capped: true });
    expect(await q.countAuditEvents({ action: "connection.refresh" }, NOW)).toEqual({ count: q.COUNT_CAP, capped: false });
    expect(await q.countAuditEvents({ action: "auth.sign_in" }, NOW)).toEqual({ count: 1, capped: false });
  });
});

describe("the stored trail", () => {
  beforeEach(() => wipe());

  // The same statements on both engines: a SQLite trigger (migration 0006) and its plpgsql twin
  // (db/migrations/postgres/0001_triggers.sql) refuse them alike.
  it("refuses to change an audit row, through SQL or drizzle", async () => {
    await recordAudit({ actor: { type: "system", label: "system" }, action: "connection.refresh", outcome: "failure" });
    expect(await failureOf(rawExec("UPDATE audit_events SET outcome='success'"))).toMatch(/append-only/);
    expect(await failureOf(db.update(a).set({ detail: { edited: true } }))).toMatch(/append-only/);
    expect(await db.select().from(a)).toMatchObject([{ outcome: "failure", detail: null }]);
  });

  it("still lets retention delete rows", async () => {
    await insert([{ at: new Date(NOW - 400 * D) }, { at: new Date(NOW) }]);
    expect(await db.delete(a).where(sql`${a.at} < ${NOW - D}`).returning({ id: a.id })).toHaveLength(1);
    expect(await db.select().from(a)).toHaveLength(1);
  });

  it("records whole milliseconds of the console's clock, so a cursor taken from an event matches it exactly", async () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    vi.useFakeTimers({ toFake: ["Date"], now: at });
    try {
      await recordAudit({ actor: { type: "user", id: 4, label: "x@y.z" }, action: "auth.sign_in", target: { type: "user", id: 4 }, ip: "10.0.0.1" });
      await recordAudit({ actor: { type: "user", id: 4, label: "x@y.z" }, action: "auth.sign_out" });
    } finally {
      vi.useRealTimers();
    }
    // Stored as integer milliseconds: SQLite's integer, PostgreSQL's bigint (not a timestamp).
    const raw = await rawQuery({
      sqlite: "SELECT created_at AS at, typeof(created_at) AS type FROM audit_events ORDER BY id",
      postgres: "SELECT created_at AS at, pg_typeof(created_at)::text AS type FROM audit_events ORDER BY id",
    });
    const type = testEngine === "postgres" ? "bigint" : "integer";
    expect(raw).toEqual([
      { at, type },
      { at, type },
    ]);
    const [first] = await db.select().from(a).where(eq(a.action, "auth.sign_in"));
    expect(first).toMatchObject({ actorType: "user", actorId: "4", actorLabel: "x@y.z", targetType: "user", targetId: "4", outcome: "success", ip: "10.0.0.1", detail: null });
    // Two events in the same millisecond: the cursor of the newer one leads to the older one.
    const page = await q.listAuditPage({ filter: {} }, { limit: 1, now: at });
    expect(page.older).toEqual({ at, id: first.id + 1 });
    const next = await q.listAuditPage({ filter: {}, before: page.older! }, { limit: 1, now: at });
    expect([...ids(page), ...ids(next)]).toEqual([first.id + 1, first.id]);
  });
});
