import { afterAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

// The refresh rollups are what the overview's chart reads instead of the events: they must count
// exactly the refresh events the trail holds, on both engines, whatever commits or rolls back.
const tmp = setupTempDatabase();
const { database, getDb, tx } = await import("@/db/client");
const { auditEvents: a, refreshRollups: r } = await import("@/db/schema");
const { asc, eq } = await import("drizzle-orm");
const { recordAudit, systemActor } = await import("./record");
const { rollupBackfillSql, rollupKindOf, ROLLUP_BUCKET_MS } = await import("./rollup-sql");
const { engineOf } = await import("@/db/engine");
afterAll(() => tmp.cleanup());

const T0 = Date.UTC(2027, 4, 1, 9, 0);
const key = { type: "api_key" as const, id: 4, label: "svc (zoc_ab…)" };
const viewer = { type: "user" as const, id: 9, label: "viewer@example.com" };

const refresh = (at: number, trigger: string, outcome: "success" | "failure" = "success", extra: Record<string, unknown> = {}) =>
  recordAudit(
    { actor: trigger === "api" ? key : systemActor, action: "connection.refresh", target: { type: "connection", id: 3 }, outcome, detail: { name: "desk", trigger, ...extra } },
    new Date(at),
  );

const rollups = async () =>
  (await getDb().select().from(r).orderBy(asc(r.bucket), asc(r.trigger), asc(r.outcome), asc(r.kind))).map((x) => ({ ...x, count: Number(x.count) }));

/** What the rollups should hold, counted from the events themselves (their kind as the writer reads it). */
async function countedFromEvents() {
  const events = await getDb()
    .select({ at: a.at, trigger: a.trigger, outcome: a.outcome, detail: a.detail, n: a.repeatCount })
    .from(a)
    .where(eq(a.action, "connection.refresh"));
  const counted = new Map<string, { bucket: number; trigger: string; outcome: string; kind: string; count: number }>();
  for (const e of events) {
    const row = { bucket: Math.floor(e.at.getTime() / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS, trigger: e.trigger ?? "", outcome: e.outcome, kind: rollupKindOf(e.outcome, e.detail) };
    const k = JSON.stringify(row);
    counted.set(k, { ...row, count: (counted.get(k)?.count ?? 0) + Number(e.n) });
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...counted.values()].sort((x, y) => x.bucket - y.bucket || cmp(x.trigger, y.trigger) || cmp(x.outcome, y.outcome) || cmp(x.kind, y.kind));
}

describe("refresh rollups", () => {
  it("count every refresh event by quarter hour, trigger and outcome, failures and folded refusals included", async () => {
    for (let i = 0; i < 12; i++) await refresh(T0 + i * 4 * 60_000, "background");
    await refresh(T0 + 60_000, "background", "failure", { errorKind: "network", error: "Zoho could not be reached." });
    await refresh(T0 + 3 * 60_000, "background", "failure", { errorKind: "throttled" });
    await refresh(T0 + 4 * 60_000, "background", "failure", { errorKind: "network" });
    await refresh(T0 + 2 * 60_000, "api");
    await refresh(T0 + 16 * 60_000, "manual", "failure", { refused: "rate_limited" });
    await refresh(T0 + 18 * 60_000, "manual", "failure", { discarded: "the connection was re-authorized meanwhile" });
    await refresh(T0 + 17 * 60_000, "rejected");
    // A viewer pressing "Refresh now" three times in a minute: one folded row counting 3.
    for (let i = 0; i < 3; i++) {
      await recordAudit({ actor: viewer, action: "connection.refresh", target: { type: "connection", id: 3 }, outcome: "denied", detail: { reason: "forbidden" }, fold: true }, new Date(T0 + 20 * 60_000 + i));
    }
    // Not a refresh, though its detail names a trigger: neither a trigger column nor a count.
    await recordAudit({ actor: systemActor, action: "secrets.rekey", detail: { trigger: "startup" } }, new Date(T0));

    const got = await rollups();
    expect(got).toEqual(await countedFromEvents());
    expect(got).toEqual([
      { bucket: T0, trigger: "api", outcome: "success", kind: "", count: 1 },
      { bucket: T0, trigger: "background", outcome: "failure", kind: "network", count: 2 },
      { bucket: T0, trigger: "background", outcome: "failure", kind: "throttled", count: 1 },
      { bucket: T0, trigger: "background", outcome: "success", kind: "", count: 4 },
      { bucket: T0 + 15 * 60_000, trigger: "", outcome: "denied", kind: "", count: 3 },
      { bucket: T0 + 15 * 60_000, trigger: "background", outcome: "success", kind: "", count: 4 },
      { bucket: T0 + 15 * 60_000, trigger: "manual", outcome: "failure", kind: "discarded", count: 1 },
      { bucket: T0 + 15 * 60_000, trigger: "manual", outcome: "failure", kind: "rate_limited", count: 1 },
      { bucket: T0 + 15 * 60_000, trigger: "rejected", outcome: "success", kind: "", count: 1 },
      { bucket: T0 + 30 * 60_000, trigger: "background", outcome: "success", kind: "", count: 4 },
    ]);
    const triggers = await getDb().select({ action: a.action, trigger: a.trigger }).from(a).where(eq(a.action, "secrets.rekey"));
    expect(triggers).toEqual([{ action: "secrets.rekey", trigger: null }]);
  });

  it("count nothing for an event whose transaction rolls back, while concurrent writers all count", async () => {
    const before = await rollups();
    const at = T0 + 3 * 3_600_000;
    const failing = tx(async () => {
      await refresh(at, "manual");
      throw new Error("the change the event records failed");
    });
    const writers = Array.from({ length: 20 }, (_, i) => refresh(at + i, i % 2 ? "api" : "background"));
    await expect(failing).rejects.toThrow("the change the event records failed");
    await Promise.all(writers);
    const added = (await rollups()).filter((x) => x.bucket === at);
    expect(added).toEqual([
      { bucket: at, trigger: "api", outcome: "success", kind: "", count: 10 },
      { bucket: at, trigger: "background", outcome: "success", kind: "", count: 10 },
    ]);
    expect((await rollups()).slice(0, before.length)).toEqual(before);
    expect(await rollups()).toEqual(await countedFromEvents());
  });

  it("are rebuilt by the migrations' backfill statement to the same counts the writer kept", async () => {
    const kept = await rollups();
    await getDb().delete(r);
    await database().query(rollupBackfillSql(engineOf()));
    expect(await rollups()).toEqual(kept);
  });

  it("keep the latest migration's backfill equal to the one statement the bench and this test run", async () => {
    const fs = await import("node:fs");
    const norm = (s: string) => s.replace(/[`"]/g, "").replace(/\s+/g, " ").trim().toLowerCase();
    const path = await import("node:path");
    for (const engine of ["sqlite", "postgres"] as const) {
      const dir = path.join("db", "migrations", engine);
      const backfills = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("--> statement-breakpoint"))
        .map((s) => norm(s.replace(/^--.*$/gm, "")).replace(/;$/, ""))
        .filter((s) => s.startsWith("insert into refresh_rollups"));
      expect(backfills.at(-1), engine).toEqual(norm(rollupBackfillSql(engine)));
    }
  });
});
