import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase();
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { limitAddress, limitLink, PUBLIC_LIMITS, resetPublicRateLimits, takePublicCall } = await import("./rate-limit");
const { createClient } = await import("@/lib/clients");
const { createLink } = await import("./links");
const { createLinkSchema } = await import("./input");
const { sweepExpiredLinks } = await import("./expiry");
const { getLink } = await import("./view");
afterAll(() => tmp.cleanup());
beforeEach(() => resetPublicRateLimits());

describe("the public pages' rate limit", () => {
  it("lets a minute's worth through, then refuses with a wait, per key", async () => {
    for (let i = 0; i < 5; i++) expect(await takePublicCall("ip:10.0.0.1", 5)).toEqual({ allowed: true });
    const refused = await takePublicCall("ip:10.0.0.1", 5);
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSec).toBeGreaterThanOrEqual(1);
    expect(await takePublicCall("ip:10.0.0.2", 5)).toEqual({ allowed: true });
  });

  it("keeps addresses and links in separate buckets, in the database", async () => {
    for (let i = 0; i < PUBLIC_LIMITS.perLinkPerMinute; i++) expect((await limitLink(7)).allowed).toBe(true);
    expect((await limitLink(7)).allowed).toBe(false);
    expect((await limitLink(8)).allowed).toBe(true);
    expect((await limitAddress(null)).allowed).toBe(true);
    const keys = (await getDb().select({ key: schema.publicRateBuckets.key }).from(schema.publicRateBuckets)).map((r) => r.key).sort();
    expect(keys).toEqual(["ip:unknown", "link:7", "link:8"]);
  });
});

describe("the expiry sweep", () => {
  it("marks open links past their expiry expired, once, and leaves the rest", async () => {
    const [user] = await getDb().insert(schema.users).values({ email: "a@console.test", name: "A", passwordHash: "x", role: "admin" }).returning();
    const client = await createClient(
      { name: "c", realm: "live", clientType: "server", clientId: "1000.SWEEPSWEEPSWEEPSWEEPSWEEPSWEEPSW", clientSecret: "s".repeat(42), homeDc: "us", multiDc: false, enabledDcs: [], description: "" },
      user.id,
    );
    const input = createLinkSchema.parse({ clientRef: client.id, scopes: "Desk.tickets.READ", name: "n", lifetimeMinutes: 30 });
    const start = Date.now();
    const short = await createLink(input, user, null, start);
    const long = await createLink({ ...input, lifetimeMinutes: 120 }, user, null, start);
    expect(await sweepExpiredLinks(start + 60 * 60_000)).toBe(1);
    expect(await sweepExpiredLinks(start + 60 * 60_000)).toBe(0);
    expect((await getLink(short.id, start))?.state).toBe("expired");
    expect((await getLink(long.id, start))?.state).toBe("waiting");
  });
});
