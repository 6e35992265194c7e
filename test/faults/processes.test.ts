/**
 * Console processes failing or competing: one killed with SIGKILL in the middle of a refresh,
 * and two refreshing and writing on one database at once. Each child is a real process
 * (`worker.ts` under tsx) on the same database and sandbox as this test: the same SQLite file,
 * or on the PostgreSQL pass the test file's own database.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { rawQuery } from "@/test/db-kit";
import { onPostgres, testEngine } from "@/test/engine";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { faultChecks, importFaultModules, startWorker, waitFor } from "./support";

const h = await startSandboxHarness({ ZOHO_HTTP_TIMEOUT_MS: "600" });
const m = await importFaultModules();
const { engine } = m;
const { row, statusOf, auditOf, storedTokens, expectNoSecretsInAudit } = faultChecks(m);
afterAll(() => h.close());
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
});

const refreshAudits = async (id: number) => (await auditOf(id)).filter((e) => e.action === "connection.refresh");

describe("a console process killed in the middle of a refresh", () => {
  it("leaves the good token and a lease that expires; the restarted console then refreshes", async () => {
    const id = await h.connect();
    const before = await storedTokens(id);
    const handedOut = await engine.getAccessToken(id);
    const calls = (await h.counters()).tokenEndpointCalls;
    // Zoho takes 1.5 s to answer; the dying console waits up to 2 s, so it holds a 12 s lease.
    await h.sandbox.admin("POST", "faults", { token: { delayMs: 1_500, count: 1 } });
    const dying = startWorker({ kind: "refresh", id }, { ZOHO_HTTP_TIMEOUT_MS: "2000" });
    const pid = dying.child.pid!;
    await waitFor(async () => (await row(id)).leaseOwner?.includes(`:${pid}:`) && (await h.counters()).tokenEndpointCalls > calls, 15_000, "the child's refresh to reach Zoho");
    dying.child.kill("SIGKILL");
    expect(await dying.exited).toBeNull();

    // What the crash left: the old token, untouched and still handed out; a lease of a dead process.
    const leftover = await row(id);
    expect(await storedTokens(id)).toEqual(before);
    expect(leftover.leaseOwner).toContain(`:${pid}:`);
    expect(leftover.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    expect(leftover).toMatchObject({ failureCount: 0, lastErrorKind: null });
    expect((await statusOf(id)).kind).toBe("active");
    expect(await engine.getAccessToken(id)).toBe(handedOut);
    expect(await refreshAudits(id)).toHaveLength(0);

    // The restarted console: a refresh waits for the dead lease to expire, then goes ahead.
    const started = Date.now();
    const result = await engine.refreshConnection(id, { trigger: "manual", ignoreBackoff: true });
    expect(Date.now()).toBeGreaterThanOrEqual(leftover.leaseExpiresAt!.getTime());
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.refreshed).toBe(true);
    const after = await row(id);
    expect(after).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, failureCount: 0 });
    expect(after.accessTokenEnc).not.toBe(before.access);
    expect(after.refreshTokenEnc).toBe(before.refresh);
    expect(await engine.getAccessToken(id)).toBe(result.accessToken);
    expect((await statusOf(id)).kind).toBe("active");

    const trail = await auditOf(id);
    const abandoned = trail.find((e) => e.action === "connection.refresh_abandoned");
    expect(abandoned, "the audit trail names the abandoned refresh").toMatchObject({ outcome: "failure", actorType: "system" });
    expect(String(abandoned!.detail.holder)).toContain(`:${pid}:`);
    expect(await refreshAudits(id)).toEqual([expect.objectContaining({ outcome: "success", detail: expect.objectContaining({ trigger: "manual" }) })]);
    await expectNoSecretsInAudit(id);
  }, 60_000);
});

describe("two console processes on one database", () => {
  it("refresh and write at once: no lock error reaches a caller, one refresh per connection at a time", async () => {
    const ids = [await h.connect(), await h.connect(), await h.connect()];
    const before = new Map(await Promise.all(ids.map(async (id) => [id, await storedTokens(id)] as const)));
    // Every Zoho answer takes a while, so overlapping refreshes would be seen overlapping.
    await h.sandbox.admin("POST", "faults", { token: { delayMs: 120 } });
    await h.sandbox.admin("DELETE", "counters");

    const job = { kind: "hammer", ids, rounds: 3, callers: 3 };
    const workers = [startWorker(job, { ZOHO_HTTP_TIMEOUT_MS: "5000" }), startWorker(job, { ZOHO_HTTP_TIMEOUT_MS: "5000" })];
    const codes = await Promise.all(workers.map((w) => w.exited));
    for (const w of workers) {
      // On the test's own engine: the PostgreSQL pass hands the child CONSOLE_DATABASE_URL.
      expect(w.lines.at(-1), w.stderr()).toMatchObject({ done: true, errors: [], engine: testEngine });
    }
    expect(codes).toEqual([0, 0]);
    // SQLite's lock errors, and PostgreSQL's answers to lock conflicts (deadlock, serialization
    // failure, lock timeout).
    expect(workers.map((w) => w.stderr()).join("")).not.toMatch(/SQLITE_BUSY|database is locked|deadlock detected|could not serialize|lock timeout/);

    // At most one call to Zoho per connection at any moment, across both processes.
    const counters = (await h.sandbox.admin("GET", "counters")).body;
    expect(counters.tokenEndpointPeakInFlight).toBeLessThanOrEqual(ids.length);
    expect(counters.tokenEndpointCalls).toBeGreaterThanOrEqual(ids.length);

    for (const id of ids) {
      const audits = await refreshAudits(id);
      const successes = audits.filter((e) => e.outcome === "success");
      expect(successes.length).toBeGreaterThanOrEqual(1);
      expect(audits.filter((e) => e.outcome === "failure")).toEqual([]);
      // Each refresh ran from (written - latency) to written; no two of one connection overlap.
      const spans = successes.map((e) => [e.at.getTime() - Number(e.detail.latencyMs), e.at.getTime()]).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
      const mints = await m.dbm.getDb().select().from(m.schema.tokenMints).where(m.drizzle.eq(m.schema.tokenMints.connectionId, id));
      expect(mints).toHaveLength(successes.length);
      // Exactly one of them is the connection's current token.
      expect(mints.filter((x) => x.endedAt === null)).toHaveLength(1);

      const r = await row(id);
      expect(r).toMatchObject({ leaseOwner: null, failureCount: 0, lastErrorKind: null });
      expect(r.refreshTokenEnc).toBe(before.get(id)!.refresh);
      expect(r.accessTokenExpiresAt!.getTime()).toBe(Math.max(...mints.map((x) => x.expiresAt!.getTime())));
      expect((await statusOf(id)).kind).toBe("active");
    }
    const [probes] = await m.dbm
      .getDb()
      .select({ n: m.drizzle.count() })
      .from(m.schema.auditEvents)
      .where(m.drizzle.eq(m.schema.auditEvents.action, "console.fault_probe"));
    expect(probes.n).toBe(2 * 3 * 3 * 50);
    // The file survived two writers intact. PostgreSQL has no file of the console's to check: the
    // server's own WAL and locking are what the assertions above exercise there.
    if (!onPostgres) expect(await rawQuery<{ integrity_check: string }>("pragma integrity_check")).toEqual([{ integrity_check: "ok" }]);
  }, 60_000);
});
