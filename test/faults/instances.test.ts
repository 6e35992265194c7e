/**
 * Several console instances on one database, each a real process (`worker.ts`): what they must
 * agree on is decided in the database, never in one process's memory.
 * - one refresh per expiry, whatever the hosts' clocks say (the lease runs on the database's clock);
 * - the background refreshers share the due list (claims), each connection refreshed once;
 * - one rate limit per key across instances, and refused calls folded into one audit row;
 * - on PostgreSQL, three instances starting together migrate and re-key once, and the pruner
 *   runs on one instance at a time;
 * - an instance whose shared settings differ from a running one's is refused at start.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { rawQuery } from "@/test/db-kit";
import { onPostgres, testEngine } from "@/test/engine";
import { createTestDatabase } from "@/test/postgres/file-database";
import { startSandboxHarness } from "@/test/sandbox-harness";
import { encryptUnboundV1 } from "@/test/unbound-v1";
import { faultChecks, importFaultModules, startWorker, waitFor, type Worker } from "./support";

const h = await startSandboxHarness({ ZOHO_HTTP_TIMEOUT_MS: "5000" });
const m = await importFaultModules();
const { auditOf } = faultChecks(m);
const store = await import("@/lib/api-keys/store");
const { pruneIfNoneElse } = await import("@/lib/retention");
const { registerInstance, liveInstances } = await import("@/lib/instances");
const { keyRing } = await import("@/lib/secrets");
afterAll(() => h.close());
beforeEach(async () => {
  await h.sandbox.admin("DELETE", "faults");
  await h.sandbox.admin("DELETE", "counters");
});

const c = m.schema.connections;
const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const counters = async () => (await h.sandbox.admin("GET", "counters")).body as { tokensMinted: { refresh_token: number }; tokenEndpointCalls: number };

let goes = 0;
/**
 * Starts one worker per job and waits until every one has loaded (a few seconds: tsx and the
 * console's modules). `go(n)` then lets worker n act; `together()` lets them all act at once.
 */
async function loaded(jobs: Record<string, unknown>[], env: Record<string, string>[] = []) {
  const gos = jobs.map(() => path.join(h.dir, `go-${++goes}`));
  const workers = jobs.map((job, n) => startWorker({ ...job, go: gos[n] }, env[n]));
  await waitFor(() => workers.every((w) => w.lines.some((l) => (l as { ready?: boolean }).ready)), 60_000, "every instance to load");
  return { workers, go: (n: number) => fs.writeFileSync(gos[n], "") };
}

async function together(jobs: Record<string, unknown>[], env: Record<string, string>[] = []): Promise<Worker[]> {
  const { workers, go } = await loaded(jobs, env);
  workers.forEach((_, n) => go(n));
  return workers;
}

/** Every line a worker printed last, once it exited; fails with its stderr when it did not end well. */
async function finished(w: Worker) {
  const code = await w.exited;
  expect(code, w.stderr()).toBe(0);
  return w.lines.at(-1) as Record<string, unknown>;
}

async function expireNow(ids: number[], at: Date) {
  await m.dbm.getDb().update(c).set({ accessTokenExpiresAt: at }).where(m.drizzle.inArray(c.id, ids));
}

describe("one refresh per expiry across instances", () => {
  it("200 token calls through two instances, one of them with its clock a minute ahead: one refresh, one token", async () => {
    const id = await h.connect();
    await expireNow([id], new Date(Date.now() - 1_000));
    await h.sandbox.admin("POST", "faults", { token: { delayMs: 1_500 } });
    const job = { kind: "tokens", ids: [id], callers: 100 };
    // A takes the lease first. It ends 15 s later (the Zoho timeout + 10 s) by A's clock; by B's,
    // a minute ahead, it would have ended already and B would take it over and refresh too. The
    // database's clock is one for both.
    const { workers, go } = await loaded([job, job], [{}, { WORKER_CLOCK_SKEW_MS: "60000" }]);
    go(0);
    await waitFor(async () => (await m.queries.loadConnection(id))!.leaseOwner, 10_000, "the first instance to take the lease");
    go(1);
    // While Zoho takes its 1.5 s, no database session waits in an open transaction (a moment
    // between two statements of one is normal; half a second is a transaction held across the call).
    let idleInTransaction = 0;
    if (onPostgres) {
      while (workers.some((w) => w.child.exitCode === null)) {
        const [{ n }] = await rawQuery<{ n: number }>("select count(*) as n from pg_stat_activity where datname = current_database() and state = 'idle in transaction' and state_change < now() - interval '500 milliseconds'");
        idleInTransaction = Math.max(idleInTransaction, n);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const results = await Promise.all(workers.map(finished));
    for (const r of results) expect(r).toMatchObject({ errors: [], engine: testEngine });
    const handed = results.flatMap((r) => (r.tokens as Record<string, string[]>)[id]);
    expect(handed).toHaveLength(200);
    expect(new Set(handed).size).toBe(1);
    expect((await counters()).tokensMinted.refresh_token).toBe(1);
    expect(idleInTransaction).toBe(0);
    expect((await auditOf(id)).filter((e) => e.action === "connection.refresh_abandoned")).toEqual([]);
  }, 60_000);

  it("20 expired connections asked for through two instances at once: exactly 20 refreshes", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await h.connect());
    await expireNow(ids, new Date(Date.now() - 1_000));
    await h.sandbox.admin("POST", "faults", { token: { delayMs: 300 } });
    const job = { kind: "tokens", ids, callers: 5 };
    const results = await Promise.all((await together([job, job])).map(finished));
    for (const r of results) expect(r).toMatchObject({ errors: [] });
    for (const id of ids) {
      const handed = results.flatMap((r) => (r.tokens as Record<string, string[]>)[id]);
      expect(handed).toHaveLength(10);
      expect(new Set(handed).size).toBe(1);
    }
    expect((await counters()).tokensMinted.refresh_token).toBe(20);
  }, 90_000);
});

describe("the background refresher on three instances", () => {
  it("shares the due list: every due connection refreshed exactly once, by one instance", async () => {
    const ids: number[] = [];
    // Two Zoho users: each keeps at most 20 live refresh tokens per client.
    for (let i = 0; i < 30; i++) ids.push(await h.connect({ email: i % 2 ? "ada@zylker.com" : "ben@zylker.com" }));
    // Due: they expire within the refresher's five-minute margin. Nothing else is due.
    await m.dbm.getDb().update(c).set({ keepFresh: false }).where(m.drizzle.not(m.drizzle.inArray(c.id, ids)));
    await expireNow(ids, new Date(Date.now() + 60_000));
    await h.sandbox.admin("POST", "faults", { token: { delayMs: 100 } });
    const job = { kind: "refresher" };
    const runs = (await Promise.all((await together([job, job, job])).map(finished))).map((r) => r.run as { considered: number; refreshed: number; failed: number; note: string | null });
    // Without claims every pass would consider all 30 and wait on the others' leases.
    expect(runs.reduce((n, r) => n + r.considered, 0)).toBe(30);
    expect(runs.reduce((n, r) => n + r.refreshed, 0)).toBe(30);
    for (const r of runs) expect(r).toMatchObject({ failed: 0, note: null });
    expect(runs.filter((r) => r.considered > 0).length).toBeGreaterThanOrEqual(2);
    expect((await counters()).tokensMinted.refresh_token).toBe(30);
    for (const id of ids) {
      const refreshes = (await auditOf(id)).filter((e) => e.action === "connection.refresh");
      expect(refreshes.map((e) => [e.outcome, e.detail.trigger])).toEqual([["success", "background"]]);
    }
    expect(await rawQuery("select * from refresher_claims")).toEqual([]);
  }, 90_000);
});

describe("API keys across instances", () => {
  it("a key limited to 60 calls a minute gets 60 answers from two instances together, and waits for the rest", async () => {
    const key = await store.createApiKey({ name: "shared-limit", scope: "all", connectionIds: [], permissions: ["read"], expiresAt: null, rateLimitPerMinute: 60 }, admin, null);
    const job = { kind: "rate", keyId: key.id, perMinute: 60, calls: 60 };
    const results = await Promise.all((await together([job, job])).map(finished));
    const allowed = results.reduce((n, r) => n + (r.allowed as number), 0);
    // One more may be earned while the 120 calls run (a call a second).
    expect(allowed).toBeGreaterThanOrEqual(60);
    expect(allowed).toBeLessThanOrEqual(61);
    const waits = results.flatMap((r) => r.retryAfter as number[]);
    expect(waits).toHaveLength(120 - allowed);
    for (const s of waits) expect(s).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("API usage counted by two instances adds up exactly once both have flushed", async () => {
    const id = await h.connect();
    const key = await store.createApiKey({ name: "counted", scope: "all", connectionIds: [], permissions: ["token"], expiresAt: null, rateLimitPerMinute: null }, admin, null);
    const job = { kind: "usage", keyId: key.id, connectionId: id, calls: 500 };
    await Promise.all((await together([job, job])).map(finished));
    const { usageOfKey } = await import("@/lib/api-keys/usage");
    expect((await usageOfKey(key.id)).map((u) => [u.connectionId, u.calls])).toEqual([[id, 1000]]);
    const hourly = await m.dbm.getDb().select({ calls: m.schema.apiKeyUsageHourly.calls }).from(m.schema.apiKeyUsageHourly).where(m.drizzle.eq(m.schema.apiKeyUsageHourly.keyId, key.id));
    expect(hourly.reduce((n, r) => n + r.calls, 0)).toBe(1000);
  }, 60_000);

  it("refused calls of one key fold into one counted audit row per minute, whichever instance answered", async () => {
    const key = await store.createApiKey({ name: "revoked-key", scope: "all", connectionIds: [], permissions: ["read"], expiresAt: null, rateLimitPerMinute: null }, admin, null);
    await store.revokeApiKey(key.id, admin, null);
    const job = { kind: "refused", key: key.key, calls: 40 };
    const results = await Promise.all((await together([job, job])).map(finished));
    for (const r of results) expect(r.seen).toEqual(["This API key was revoked. Ask an admin for a new one."]);
    const a = m.schema.auditEvents;
    const rows = await m.dbm
      .getDb()
      .select({ count: a.repeatCount })
      .from(a)
      .where(m.drizzle.and(m.drizzle.eq(a.action, "api_key.refused"), m.drizzle.eq(a.actorId, String(key.id))));
    // One row, or two when the calls straddle a minute.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(80);
  }, 60_000);
});

describe("faults across instances", () => {
  it("an instance killed in the middle of a refresh: the other hands out the still-valid token, its refresher refreshes within 20 s and records the abandoned refresh", async () => {
    const id = await h.connect();
    // Due for the refresher (its margin is five minutes) yet good for the token API (two).
    await expireNow([id], new Date(Date.now() + 3 * 60_000));
    const old = (await m.engine.getValidToken(id)).accessToken;
    await h.sandbox.admin("POST", "faults", { token: { delayMs: 1_500, count: 1 } });
    // Its Zoho timeout of 2 s gives its lease 12 s.
    const dying = startWorker({ kind: "refresh", id }, { ZOHO_HTTP_TIMEOUT_MS: "2000" });
    const pid = dying.child.pid!;
    await waitFor(async () => (await m.queries.loadConnection(id))!.leaseOwner?.includes(`:${pid}:`), 30_000, "the other instance to start its refresh");
    dying.child.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await dying.exited).toBeNull();

    // This instance serves on, without waiting for the dead lease.
    const served = Date.now();
    expect((await m.engine.getValidToken(id)).accessToken).toBe(old);
    expect(Date.now() - served).toBeLessThan(1_000);

    const { runRefresherOnce } = await import("@/lib/tokens/refresher");
    let refreshed = 0;
    while (!refreshed && Date.now() - killedAt < 20_000) refreshed = (await runRefresherOnce()).refreshed;
    expect(refreshed).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(20_000);
    expect((await m.engine.getValidToken(id)).accessToken).not.toBe(old);
    const trail = await auditOf(id);
    expect(String(trail.find((e) => e.action === "connection.refresh_abandoned")?.detail.holder)).toContain(`:${pid}:`);
    expect(trail.filter((e) => e.action === "connection.refresh").map((e) => [e.outcome, e.detail.trigger])).toEqual([["success", "background"]]);
  }, 60_000);

  it("the last two admins demoted at the same moment through two instances: one demotion is refused", async () => {
    const u = m.schema.users;
    const db = m.dbm.getDb();
    const admins = await db.select({ id: u.id }).from(u).where(m.drizzle.and(m.drizzle.eq(u.role, "admin"), m.drizzle.isNull(u.disabledAt)));
    expect(admins).toHaveLength(1);
    const [second] = await db.insert(u).values({ email: "second-admin@console.test", name: "Second", passwordHash: "x", role: "admin" }).returning();
    const results = await Promise.all((await together([{ kind: "demote", userId: admins[0].id }, { kind: "demote", userId: second.id }])).map(finished));
    expect(results.filter((r) => r.demoted)).toHaveLength(1);
    expect(results.find((r) => !r.demoted)?.refusal).toMatch(/last active admin/);
    expect(await db.select({ id: u.id }).from(u).where(m.drizzle.and(m.drizzle.eq(u.role, "admin"), m.drizzle.isNull(u.disabledAt)))).toHaveLength(1);
  }, 60_000);
});

describe("settings every instance must share", () => {
  it("an instance with another AUTH_SECRET is refused at start, naming the running instance; one with the same settings joins", async () => {
    await registerInstance();
    const other = startWorker({ kind: "start" }, { AUTH_SECRET: "another-auth-secret-0123456789abcdefghijk", CONSOLE_INSTANCE_NAME: "mismatched" });
    expect(await other.exited).toBe(1);
    expect(other.stderr()).toMatch(/cannot start: this instance's settings do not match those of the running instance "[^"]+" \(on [^)]+\): AUTH_SECRET differs/);
    expect(other.stderr()).not.toContain("another-auth-secret");
    const same = startWorker({ kind: "start" }, { CONSOLE_INSTANCE_NAME: "joining" });
    expect(await finished(same)).toMatchObject({ instance: "joining" });
    // Registered: the joining instance wrote its row; the refused one never did. (Both processes
    // have ended, so neither counts as live on this host any more.)
    const registered = (await m.dbm.getDb().select({ id: m.schema.consoleInstances.id }).from(m.schema.consoleInstances)).map((i) => i.id);
    expect(registered).toContain("joining");
    expect(registered).not.toContain("mismatched");
    expect((await liveInstances()).map((i) => i.id)).not.toContain("joining");
  }, 60_000);
});

describe.skipIf(!onPostgres)("one at a time where it must be (PostgreSQL)", () => {
  const journal = (engine: string) => JSON.parse(fs.readFileSync(path.join(process.cwd(), "db", "migrations", engine, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };

  it("three instances starting together on an empty database migrate and re-key once, without an error", async () => {
    const url = await createTestDatabase({ empty: true });
    const start = (n: number) => startWorker({ kind: "start" }, { CONSOLE_DATABASE_URL: url, CONSOLE_INSTANCE_NAME: `starter-${n}` });
    let workers = [start(1), start(2), start(3)];
    for (const w of workers) expect(await finished(w)).toMatchObject({ done: true });
    for (const w of workers) expect(w.stderr()).not.toMatch(/error|fatal|cannot start/i);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows: applied } = await db.query("select count(*)::int as n from public.__drizzle_migrations");
      expect(applied[0].n).toBe(journal("postgres").entries.length);
      // A secret stored by an earlier release (bound to no row): the next start binds it, once.
      const { rows: client } = await db.query(
        "insert into zoho_clients (name, realm, client_type, client_id, secret_enc, secret_last4, secret_updated_at, home_dc) values ('old', 'sandbox', 'server', '1000.OLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLD', $1, 'abcd', 0, 'us') returning id",
        [encryptUnboundV1(keyRing(), "old-client-secret")],
      );
      workers = [start(4), start(5), start(6)];
      for (const w of workers) expect(await finished(w)).toMatchObject({ done: true });
      const { rows: rekeys } = await db.query("select detail from audit_events where action = 'secrets.rekey'");
      expect(rekeys).toHaveLength(1);
      const { rows: stored } = await db.query("select secret_enc from zoho_clients where id = $1", [client[0].id]);
      expect(stored[0].secret_enc).toMatch(/^v2\./);
      const { rows: live } = await db.query("select id from console_instances order by id");
      expect(live.map((r) => r.id)).toEqual(["starter-1", "starter-2", "starter-3", "starter-4", "starter-5", "starter-6"]);
    } finally {
      await db.end();
    }
  }, 120_000);

  it("the pruner does not run while another instance prunes", async () => {
    const holder = startWorker({ kind: "hold", name: "pruner", ms: 3_000 });
    await waitFor(() => holder.lines.some((l) => (l as { holding?: string }).holding === "pruner"), 30_000, "the other instance to start pruning");
    expect(await pruneIfNoneElse()).toBeNull();
    expect(await finished(holder)).toMatchObject({ ran: true });
    expect(await pruneIfNoneElse()).toMatchObject({ auditEvents: expect.any(Number) });
  }, 60_000);
});
