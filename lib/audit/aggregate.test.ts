import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ CONSOLE_AUDIT_RETENTION_DAYS: "40" });
const { handleCallback } = await import("@/lib/authorization/callback");
const { recordAudit } = await import("./record");
const { getDb } = await import("@/db/client");
const { rawExec, rawQuery } = await import("@/test/db-kit");
const { auditEvents } = await import("@/db/schema");
const { pruneOldRecords } = await import("@/lib/retention");
const { listAuditPage } = await import("./query");
const { requireConnection, requirePermission } = await import("@/lib/service-api/auth");
afterAll(() => tmp.cleanup());

const db = getDb();
const a = auditEvents;
const MINUTE_START = Date.UTC(2026, 5, 1, 12, 0, 0);

const rows = () => db.select().from(a);
const hostile = (i: number) => new URLSearchParams({ state: `forged-${i}`, code: `1000.${i}`, location: "us", "accounts-server": "https://evil.example" });

beforeEach(async () => {
  await db.delete(a);
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => vi.useRealTimers());

describe("anonymous events are folded per address, action, outcome, reason and minute", () => {
  it("1,000 hostile callbacks from one address in one minute add one row that counts 1,000", async () => {
    for (let i = 0; i < 1000; i++) {
      vi.setSystemTime(MINUTE_START + i * 59); // spread over the whole minute
      expect(await handleCallback({ params: hostile(i), user: null, ip: "198.51.100.7" })).toEqual({ location: "/connections/result?error=signed_out" });
    }
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ actorType: "anonymous", action: "connection.callback", outcome: "failure", ip: "198.51.100.7", repeatCount: 1000 });
    expect(all[0].at.getTime()).toBe(MINUTE_START);
    // The audit page and the export say how many events the row stands for.
    const page = await listAuditPage({ filter: {} }, { now: MINUTE_START + 60_000 });
    expect(page.events.map((e) => e.count)).toEqual([1000]);
  });

  it("from three addresses: three rows; the next minute starts new ones", async () => {
    vi.setSystemTime(MINUTE_START + 5_000);
    for (let i = 0; i < 900; i++) await handleCallback({ params: hostile(i), user: null, ip: `203.0.113.${i % 3}` });
    expect((await rows()).map((r) => [r.ip, r.repeatCount]).sort()).toEqual([["203.0.113.0", 300], ["203.0.113.1", 300], ["203.0.113.2", 300]]);
    vi.setSystemTime(MINUTE_START + 65_000);
    await handleCallback({ params: hostile(1), user: null, ip: "203.0.113.0" });
    expect(await rows()).toHaveLength(4);
  });

  it("keeps different reasons and outcomes apart, and an unknown address counts as one", async () => {
    vi.setSystemTime(MINUTE_START);
    for (let i = 0; i < 20; i++) {
      await handleCallback({ params: hostile(i), user: null, ip: null });
      await handleCallback({ params: new URLSearchParams({ code: "x" }), user: null, ip: null });
      await recordAudit({ actor: { type: "anonymous", label: `guess${i}@x.test` }, action: "auth.sign_in", outcome: "failure", detail: { reason: "bad_credentials" }, ip: null });
    }
    expect((await rows()).map((r) => [r.action, r.detail?.reason, r.repeatCount]).sort()).toEqual([
      ["auth.sign_in", "bad_credentials", 20],
      ["connection.callback", "missing_state", 20],
      ["connection.callback", "signed_out", 20],
    ]);
  });

  it("counts failed sign-ins naming the console's own accounts apart, one row per account", async () => {
    vi.setSystemTime(MINUTE_START);
    const fail = (label: string, foldBy?: string) =>
      recordAudit({ actor: { type: "anonymous", label }, action: "auth.sign_in", outcome: "failure", detail: { reason: "bad_credentials" }, ip: "198.51.100.7", foldBy });
    for (let i = 0; i < 10; i++) {
      await fail("ops@x.test", "user:1");
      await fail("admin@x.test", "user:2");
      await fail(`random${i}@x.test`);
    }
    expect((await rows()).map((r) => [r.actorLabel, r.repeatCount]).sort()).toEqual([["admin@x.test", 10], ["ops@x.test", 10], ["random0@x.test", 10]]);
  });

  it("never folds what a signed-in user or the system did unless told to", async () => {
    vi.setSystemTime(MINUTE_START);
    for (let i = 0; i < 5; i++) {
      await recordAudit({ actor: { type: "user", id: 1, label: "ops@x.test" }, action: "connection.callback", outcome: "failure", detail: { reason: "unknown_state" }, ip: "198.51.100.7" });
      await recordAudit({ actor: { type: "system", label: "system" }, action: "connection.refresh", outcome: "failure", ip: null });
    }
    expect(await rows()).toHaveLength(10);
    expect((await rows()).every((r) => r.repeatCount === 1 && r.aggregateKey === null)).toBe(true);
  });

  // The same statements on both engines: SQLite's trigger (migration 0006) and its plpgsql twin
  // (db/migrations/postgres/0001_triggers.sql) must agree on what they let through.
  it("lets the database raise only a folded row's count; everything else stays append-only", async () => {
    vi.setSystemTime(MINUTE_START);
    await recordAudit({ actor: { type: "anonymous", label: "API caller" }, action: "api_key.refused", outcome: "denied", detail: { reason: "unknown key" }, ip: "198.51.100.7" });
    await recordAudit({ actor: { type: "system", label: "system" }, action: "connection.refresh", outcome: "failure" });
    await expect(rawExec("UPDATE audit_events SET repeat_count = repeat_count + 1 WHERE actor_type = 'system'")).rejects.toThrow(/append-only/);
    await expect(rawExec("UPDATE audit_events SET repeat_count = 0 WHERE actor_type = 'anonymous'")).rejects.toThrow(/append-only/);
    await expect(rawExec("UPDATE audit_events SET ip = '10.0.0.1', repeat_count = 9 WHERE actor_type = 'anonymous'")).rejects.toThrow(/append-only/);
    const raised = await rawQuery("UPDATE audit_events SET repeat_count = repeat_count + 1 WHERE actor_type = 'anonymous' RETURNING repeat_count");
    expect(raised).toEqual([{ repeat_count: 2 }]);
    expect((await rows()).map((r) => [r.actorType, r.ip, r.repeatCount]).sort()).toEqual([["anonymous", "198.51.100.7", 2], ["system", null, 1]]);
  });

  it("folded rows are pruned by age like every other event", async () => {
    vi.setSystemTime(MINUTE_START - 41 * 86_400_000);
    for (let i = 0; i < 50; i++) await handleCallback({ params: hostile(i), user: null, ip: "198.51.100.7" });
    vi.setSystemTime(MINUTE_START);
    await handleCallback({ params: hostile(0), user: null, ip: "198.51.100.7" });
    const report = await pruneOldRecords(MINUTE_START);
    expect(report.auditEvents).toBe(1);
    expect((await rows()).filter((r) => r.action === "connection.callback").map((r) => r.repeatCount)).toEqual([1]);
  });
});

// A signed-in user or an API key can repeat a refused request as often as an anonymous caller,
// naming a new target each time: one counted row per actor, action, reason and minute.
describe("refusals a known actor can repeat at will fold too, whatever target or address they name", () => {
  const viewer = { id: 41, email: "viewer@x.test", name: "Viewer", role: "viewer" as const };
  const admin = { ...viewer, id: 42, email: "admin@x.test", role: "admin" as const };

  it("200 refused callbacks of a signed-in user add one row per reason that counts them", async () => {
    vi.setSystemTime(MINUTE_START);
    for (let i = 0; i < 200; i++) {
      const ip = `2001:db8::${i.toString(16)}`;
      // A viewer may not connect; an admin's made-up state is unknown; a callback without state.
      await handleCallback({ params: new URLSearchParams({ state: `made-up-state-${i}`, code: "c" }), user: viewer, ip });
      await handleCallback({ params: new URLSearchParams({ state: `made-up-state-${i}`, code: "c" }), user: admin, ip });
      await handleCallback({ params: new URLSearchParams({ code: "c" }), user: admin, ip });
    }
    expect((await rows()).map((r) => [r.actorId, r.detail?.reason, r.repeatCount]).sort()).toEqual([
      ["41", "forbidden", 200],
      ["42", "missing_state", 200],
      ["42", "unknown_state", 200],
    ]);
  });

  it("200 refused API calls of one key, each naming another connection, add one row counting 200", async () => {
    vi.setSystemTime(MINUTE_START);
    const actor = { type: "api_key" as const, id: 7, label: "sync (zoc_abcd…)" };
    const key = { id: 7, name: "sync", prefix: "zoc_abcd", permissions: new Set(["read" as const]), allConnections: false, rateLimitPerMinute: 60, actor, ip: "198.51.100.7" };
    for (let i = 1; i <= 200; i++) {
      await expect(requireConnection({ ...key, ip: `198.51.100.${i}` }, 10_000 + i, false)).rejects.toThrow(/may not use this connection/);
      await expect(requirePermission(key, "token", 10_000 + i)).rejects.toThrow(/may not get access tokens/);
    }
    const all = await rows();
    expect(all.map((r) => [r.actorId, r.detail?.reason, r.repeatCount]).sort()).toEqual([
      ["7", "connection not allowed", 200],
      ["7", "no token permission", 200],
    ]);
    // The row keeps the first call's target and address.
    expect(all.find((r) => r.detail?.reason === "connection not allowed")).toMatchObject({ targetId: "10001", ip: "198.51.100.1" });
    const page = await listAuditPage({ filter: {} }, { now: MINUTE_START + 60_000 });
    expect(page.events.map((e) => e.count)).toEqual([200, 200]);
  });
});
