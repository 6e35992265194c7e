/**
 * PostgreSQL going away under traffic, on a server of this file's own (the other test files'
 * server stays up): the token API answers 503 with Retry-After and its JSON error while the
 * database is down — no stack trace, no 500 — and serves again by itself once it is back; a
 * transaction whose connection is cut leaves nothing behind. SQLite has no server to lose.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { onPostgres } from "@/test/engine";
import { startCluster, type Cluster } from "@/test/postgres/cluster";
import { startSandboxHarness } from "@/test/sandbox-harness";

let cluster: Cluster | undefined;
if (onPostgres) {
  cluster = await startCluster();
  process.env.CONSOLE_DATABASE_URL = cluster.url("postgres");
  const { openPostgres } = await import("@/db/postgres");
  const migrating = openPostgres(cluster.url("postgres"));
  await migrating.migrate();
  await migrating.close();
}
const h = await startSandboxHarness({ ZOHO_HTTP_TIMEOUT_MS: "3000" });
const store = await import("@/lib/api-keys/store");
const tokenRoute = await import("@/app/api/v1/connections/[id]/token/route");
const { getDb, tx } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
afterAll(async () => {
  await h.close();
  await cluster?.stop();
});

const admin = { type: "user" as const, id: h.admin.id, label: h.admin.email };
const getToken = (id: number, key: string) =>
  tokenRoute.GET(new Request(`http://localhost:3000/api/v1/connections/${id}/token`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id: String(id) }) });

describe.skipIf(!onPostgres)("PostgreSQL restarted under traffic", () => {
  it("the token API answers 503 with Retry-After while it is down, and serves again by itself", async () => {
    const id = await h.connect();
    const { key } = await store.createApiKey({ name: "restart", scope: "all", connectionIds: [], permissions: ["token"], expiresAt: null, rateLimitPerMinute: null }, admin, null);
    expect((await getToken(id, key)).status).toBe(200);

    await cluster!.shutDown();
    for (let i = 0; i < 5; i++) {
      const res = await getToken(id, key);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: { code: "database_unavailable", message: "The console's database does not answer right now. Try again in a few seconds." } });
      expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at .*\.ts/);
    }

    await cluster!.startAgain();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await getToken(id, key)).status) !== 200) await new Promise((r) => setTimeout(r, 200));
    expect(status).toBe(200);
  }, 90_000);

  it("a transaction whose connection is cut leaves nothing behind, and the next one works", async () => {
    const admin = new pg.Client({ connectionString: cluster!.url("postgres") });
    await admin.connect();
    try {
      let written!: () => void;
      const inside = new Promise<void>((r) => (written = r));
      let goOn!: () => void;
      const afterCut = new Promise<void>((r) => (goOn = r));
      const cut = tx(async (db) => {
        await db.insert(schema.users).values({ email: "half@x.test", name: "half", passwordHash: "x", role: "viewer" });
        written();
        await afterCut; // test-only: the transaction stays open while it is cut
        await db.insert(schema.users).values({ email: "other-half@x.test", name: "other half", passwordHash: "x", role: "viewer" });
      });
      await inside;
      const { rows } = await admin.query(
        "select pg_terminate_backend(pid) as cut from pg_stat_activity where datname = 'postgres' and state = 'idle in transaction' and application_name = 'zoho-oauth-console'",
      );
      expect(rows).toEqual([{ cut: true }]);
      goOn();
      await expect(cut).rejects.toThrow();
      const left = await getDb().select().from(schema.users).where(eq(schema.users.name, "half"));
      expect(left).toEqual([]);
      expect(await getDb().select().from(schema.users).where(eq(schema.users.email, "other-half@x.test"))).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 60_000);
});
