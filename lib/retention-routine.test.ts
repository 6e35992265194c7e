import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

// Routine successes (background refreshes) go after 10 days, everything else after 40; the
// refresh chart's rollups stay as long as the longest rule.
const tmp = setupTempDatabase({ CONSOLE_AUDIT_RETENTION_DAYS: "40", CONSOLE_AUDIT_ROUTINE_RETENTION_DAYS: "10" });
const { getDb } = await import("@/db/client");
const { auditEvents: a, refreshRollups } = await import("@/db/schema");
const { asc } = await import("drizzle-orm");
const { recordAudit, systemActor } = await import("@/lib/audit");
const { refreshActivity } = await import("@/lib/audit/activity");
const { activityBuckets } = await import("@/lib/charts/types");
const { pruneOldRecords } = await import("./retention");
afterAll(() => tmp.cleanup());

const D = 86_400_000;
const NOW = Date.UTC(2027, 2, 10, 12, 7);
const ago = (days: number, ms = 0) => new Date(NOW - days * D - ms);
const admin = { type: "user" as const, id: 1, label: "admin@example.com" };

const refresh = (at: Date, trigger: string, outcome: "success" | "failure" = "success") =>
  recordAudit({ actor: trigger === "background" ? systemActor : admin, action: "connection.refresh", target: { type: "connection", id: 7 }, outcome, detail: { name: "desk", trigger } }, at);

const events = async () =>
  (await getDb().select({ action: a.action, trigger: a.trigger, outcome: a.outcome, at: a.at }).from(a).orderBy(asc(a.at), asc(a.id))).filter((e) => e.action !== "audit.prune");

beforeAll(async () => {
  // 30 routine successes older than 10 days (three batches of 10), one each side of the line.
  for (let i = 0; i < 30; i++) await refresh(ago(11, i * 3_600_000), "background");
  await refresh(ago(10, -1), "background");
  await refresh(ago(2), "background");
  // Older than 10 days but not routine: they keep the 40 days.
  await refresh(ago(12), "background", "failure");
  await refresh(ago(12), "manual");
  await refresh(ago(12), "api");
  await recordAudit({ actor: admin, action: "auth.sign_in", outcome: "success", ip: "10.0.0.1" }, ago(20));
  await recordAudit({ actor: { type: "anonymous", label: "anonymous" }, action: "auth.sign_in", outcome: "failure", detail: { reason: "bad_password" }, ip: "10.0.0.9" }, ago(20));
  await recordAudit({ actor: admin, action: "user.change_role", target: { type: "user", id: 2 }, detail: { from: "viewer", to: "admin" } }, ago(30));
  // Past the 40 days: the event and its rollup go.
  await refresh(ago(41), "manual");
});

describe("pruning routine successes apart from the rest of the trail", () => {
  it("deletes background successes past their shorter retention and keeps failures, other triggers and security events", async () => {
    const report = await pruneOldRecords(NOW, 10);
    expect(report).toMatchObject({ auditEvents: 1, routineEvents: 30, refreshRollups: 1 });
    const left = await events();
    expect(left.map((e) => `${e.action}/${e.trigger}/${e.outcome}`)).toEqual([
      "user.change_role/null/success",
      "auth.sign_in/null/success",
      "auth.sign_in/null/failure",
      "connection.refresh/background/failure",
      "connection.refresh/manual/success",
      "connection.refresh/api/success",
      "connection.refresh/background/success",
      "connection.refresh/background/success",
    ]);
    expect(left.at(-2)!.at).toEqual(ago(10, -1));
  });

  it("keeps the rollups of the events it deleted: the chart still counts all 30 days", async () => {
    const dto = await refreshActivity(NOW, "30d");
    const counted = activityBuckets(dto).filter((b) => b.trigger === "background" && b.outcome === "success").reduce((n, b) => n + b.count, 0);
    expect(counted).toBe(32);
    // Only the rollup past the 40 days went.
    const buckets = await getDb().select({ bucket: refreshRollups.bucket }).from(refreshRollups);
    expect(buckets.every((b) => b.bucket >= ago(40).getTime())).toBe(true);
  });

  it("records the pruning with both rules' counts", async () => {
    const [prune] = await getDb().select().from(a).where((await import("drizzle-orm")).eq(a.action, "audit.prune"));
    expect(prune.detail).toMatchObject({ deleted: 31, routineDeleted: 30, retentionDays: 40, routineRetentionDays: 10, routineOlderThan: ago(10).toISOString() });
  });
});
