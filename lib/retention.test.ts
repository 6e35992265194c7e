import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTempDatabase } from "@/test/temp-db";

const tmp = setupTempDatabase({ CONSOLE_AUDIT_RETENTION_DAYS: "40" });
// Imported after the environment points at the temporary database.
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { pruneOldRecords, TOKEN_HISTORY_DAYS, REFRESHER_RUN_DAYS, OAUTH_ATTEMPT_DAYS, INSTANCE_DAYS, ALERT_DAYS } = await import("./retention");
afterAll(() => tmp.cleanup());

const db = getDb();
const D = 86_400_000;
const NOW = Date.now();
const BATCH = 10;
const ago = (days: number, ms = 0) => new Date(NOW - days * D - ms);

const { auditEvents: a, tokenMints: m, refreshTokenLives: r, refresherRuns: runs } = schema;
const prunes = () => db.select().from(a).where(eq(a.action, "audit.prune"));

let kept: { audit: number[]; mints: number[]; lives: number[]; runs: number[] };

const ids = (rows: { id: number }[]) => rows.map((x) => x.id);

beforeAll(async () => {
  const [{ id: client }] = await db
    .insert(schema.zohoClients)
    .values({ name: "c", realm: "sandbox", clientType: "server", clientId: "1000.C", secretEnc: "x", secretLast4: "abcd", secretUpdatedAt: new Date(), homeDc: "us" })
    .returning();
  const [{ id: conn }] = await db
    .insert(schema.connections)
    .values({ name: "c", clientRef: client, accessType: "offline", location: "us", accountsServer: "http://x", apiDomain: "http://x", scopesRequested: [], scopesGranted: [] })
    .returning();

  const event = (at: Date) => ({ at, actorType: "system" as const, actorLabel: "system", action: "connection.refresh", outcome: "success" as const });
  // 25 events past the 40 days (more than two batches), one right on the line, a few younger.
  await db.insert(a).values(Array.from({ length: 25 }, (_, i) => event(ago(40, 1 + i * 3_600_000))));
  kept = {
    audit: ids(await db.insert(a).values([event(ago(40)), event(ago(39)), event(ago(1)), event(new Date(NOW))]).returning({ id: a.id })),
    mints: [],
    lives: [],
    runs: [],
  };

  const mint = (at: Date, endedAt: Date | null) => ({ connectionId: conn, grantType: "refresh_token", via: "background" as const, at, expiresAt: new Date(at.getTime() + 3_600_000), endedAt, endReason: endedAt ? "replaced" : null });
  const old = TOKEN_HISTORY_DAYS + 1;
  await db.insert(m).values(Array.from({ length: 12 }, (_, i) => mint(ago(old, i * 60_000), ago(old, i * 60_000 - 1_000))));
  kept.mints = ids(
    await db
      .insert(m)
      // The connection's current token, however old, has not ended; a recent ended one is young.
      .values([mint(ago(old + 60), null), mint(ago(1), ago(1, -3_600_000))])
      .returning({ id: m.id }),
  );

  const life = (issuedAt: Date, endedAt: Date | null) => ({ connectionId: conn, clientRef: client, zuid: "70000001", issuedAt, endedAt, endReason: endedAt ? "revoked" : null });
  await db.insert(r).values([life(ago(old + 10), ago(old)), life(ago(old + 5), ago(old + 1))]);
  kept.lives = ids(await db.insert(r).values([life(ago(old + 60), null), life(ago(old + 60), ago(2))]).returning({ id: r.id }));

  await db.insert(runs).values(Array.from({ length: 3 }, () => ({ startedAt: ago(REFRESHER_RUN_DAYS + 1), finishedAt: ago(REFRESHER_RUN_DAYS + 1) })));
  kept.runs = ids(await db.insert(runs).values([{ startedAt: ago(REFRESHER_RUN_DAYS - 1) }]).returning({ id: runs.id }));

  // API key call counts per hour: 14 hours older than two days go, the last day's stay.
  const [{ id: key }] = await db.insert(schema.apiKeys).values({ name: "k", prefix: "zoc_abcdef", keyHash: "h", permissions: ["token"] }).returning();
  const H = 3_600_000;
  const hour = (hoursAgo: number) => Math.floor((NOW - hoursAgo * H) / H) * H;
  await db.insert(schema.apiKeyUsageHourly).values(Array.from({ length: 14 }, (_, i) => ({ keyId: key, hour: hour(49 + i), calls: 1 })));
  await db.insert(schema.apiKeyUsageHourly).values(Array.from({ length: 24 }, (_, i) => ({ keyId: key, hour: hour(i), calls: 1 })));

  // Authorization attempts: 12 expired more than a week ago go, a recent one stays.
  const [{ id: user }] = await db.insert(schema.users).values({ email: "a@b.c", name: "a", passwordHash: "x", role: "admin" }).returning();
  const attempt = (expiresAt: Date) => ({ stateHash: `h${Math.random()}`, userId: user, clientRef: client, scopes: [], accessType: "offline" as const, connectionName: "c", expiresAt });
  await db.insert(schema.oauthAttempts).values(Array.from({ length: 12 }, () => attempt(ago(OAUTH_ATTEMPT_DAYS + 1))));
  await db.insert(schema.oauthAttempts).values([attempt(ago(1))]);

  // Instances: three unseen for more than a week go, one seen yesterday stays.
  const instance = (id: string, seen: Date) => ({ id, host: "h", pid: 1, buildId: "b", fingerprints: {}, startedAt: seen, lastSeenAt: seen });
  await db.insert(schema.consoleInstances).values([1, 2, 3].map((n) => instance(`gone-${n}`, ago(INSTANCE_DAYS + n))));
  await db.insert(schema.consoleInstances).values(instance("recent", ago(1)));

  // Token refusals: 4 past the token history go, a recent one stays. Claimed runs: 2 old go.
  const refusal = (at: Date) => ({ connectionId: conn, source: "proxy", outcome: "refreshed", at });
  await db.insert(schema.tokenRejections).values([...Array.from({ length: 4 }, () => refusal(ago(old))), refusal(ago(1))]);
  await db.insert(schema.scheduledRuns).values([{ name: "digest:old-1", at: ago(INSTANCE_DAYS + 1) }, { name: "digest:old-2", at: ago(INSTANCE_DAYS + 2) }, { name: "digest:new", at: ago(0) }]);

  // Alert events: 3 old and done go (with their deliveries); an old one still retrying and a
  // recent one stay. Incidents: one resolved past the audit retention goes; an open one stays.
  const [{ id: dest }] = await db.insert(schema.alertDestinations).values({ name: "d", kind: "webhook" }).returning();
  const alertEvent = async (createdAt: Date, state: "pending" | "delivered") => {
    const [e] = await db.insert(schema.alertEvents).values({ publicId: `msg_${Math.random()}`, type: "test", payload: {}, createdAt }).returning();
    await db.insert(schema.alertDeliveries).values({ eventRef: e.id, destinationRef: dest, state, nextAttemptAt: createdAt });
  };
  for (let i = 0; i < 3; i++) await alertEvent(ago(ALERT_DAYS + 1), "delivered");
  await alertEvent(ago(ALERT_DAYS + 1), "pending");
  await alertEvent(ago(1), "delivered");
  await db.insert(schema.incidents).values([
    { connectionRef: conn, kind: "terminal", cause: "x", openedAt: ago(45), resolvedAt: ago(41), resolution: "revoked" },
    { connectionRef: conn, kind: "terminal", cause: "x", openedAt: ago(45) },
  ]);

  // Connect links: two that expired past the audit retention go (with their attempts); one that
  // expired yesterday stays. Rate buckets idle for more than a day go.
  const link = (expiresAt: Date) => ({ tokenHash: `t${Math.random()}`, kind: "new" as const, clientRef: client, scopes: [], accessType: "offline" as const, connectionName: "c", startLocation: "us", expiresAt, createdBy: user });
  const oldLinks = await db.insert(schema.connectLinks).values([link(ago(41)), link(ago(50))]).returning();
  await db.insert(schema.connectLinks).values(link(ago(1)));
  await db.insert(schema.oauthAttempts).values({ ...attempt(ago(1)), linkRef: oldLinks[0].id });
  await db.insert(schema.publicRateBuckets).values([
    { key: "ip:old", credit: 0, at: ago(2), perMinute: 10, allowed: true },
    { key: "ip:new", credit: 0, at: ago(0, 60_000), perMinute: 10, allowed: true },
  ]);

  // Sign-in throttle rows: closed windows go; an open window or a running lock stays.
  const t = schema.loginThrottle;
  await db.insert(t).values([
    { key: "ip:1", failures: 3, windowStartedAt: ago(1) },
    { key: "ip:2", failures: 9, windowStartedAt: ago(1), lockedUntil: ago(0, 60_000) },
    { key: "ip:3", failures: 1, windowStartedAt: new Date(NOW - 60_000) },
    { key: "ip:4", failures: 9, windowStartedAt: ago(1), lockedUntil: new Date(NOW + 60_000) },
  ]);
});

describe("pruneOldRecords", () => {
  it("deletes only what is past each table's retention, batch after batch, and says how much", async () => {
    const report = await pruneOldRecords(NOW, BATCH);
    expect(report).toEqual({ auditEvents: 25, routineEvents: 0, refreshRollups: 0, tokenMints: 12, refreshTokenLives: 2, refresherRuns: 3, apiKeyUsageHours: 14, oauthAttempts: 12, loginThrottle: 2, consoleInstances: 3, tokenRejections: 4, scheduledRuns: 2, alertEvents: 3, incidents: 1, connectLinks: 2, publicRateBuckets: 1 });
    expect(await db.select().from(schema.alertEvents)).toHaveLength(2);
    expect(await db.select().from(schema.alertDeliveries)).toHaveLength(2);
    expect(await db.select().from(schema.incidents)).toHaveLength(1);
    expect((await db.select({ id: schema.consoleInstances.id }).from(schema.consoleInstances)).map((x) => x.id)).toEqual(["recent"]);
    // The recent attempt, and none of the pruned link's.
    expect(await db.select().from(schema.oauthAttempts)).toHaveLength(1);
    expect(await db.select().from(schema.connectLinks)).toHaveLength(1);
    expect((await db.select({ key: schema.publicRateBuckets.key }).from(schema.publicRateBuckets)).map((x) => x.key)).toEqual(["ip:new"]);
    expect((await db.select({ key: schema.loginThrottle.key }).from(schema.loginThrottle)).map((x) => x.key).sort()).toEqual(["ip:3", "ip:4"]);
    expect(await db.select().from(schema.apiKeyUsageHourly)).toHaveLength(24);
    const left = ids(await db.select({ id: a.id }).from(a).where(eq(a.action, "connection.refresh")).orderBy(a.id));
    expect(left).toEqual(kept.audit);
    expect(ids(await db.select({ id: m.id }).from(m).orderBy(m.id))).toEqual(kept.mints);
    expect(ids(await db.select({ id: r.id }).from(r).orderBy(r.id))).toEqual(kept.lives);
    expect(ids(await db.select({ id: runs.id }).from(runs).orderBy(runs.id))).toEqual(kept.runs);
  });

  it("records the pruning as one audit event with the count", async () => {
    const events = await prunes();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "system", outcome: "success", detail: { deleted: 25, retentionDays: 40, olderThan: ago(40).toISOString() } });
  });

  it("deletes nothing and records nothing when run again", async () => {
    expect(await pruneOldRecords(NOW, BATCH)).toEqual({ auditEvents: 0, routineEvents: 0, refreshRollups: 0, tokenMints: 0, refreshTokenLives: 0, refresherRuns: 0, apiKeyUsageHours: 0, oauthAttempts: 0, loginThrottle: 0, consoleInstances: 0, tokenRejections: 0, scheduledRuns: 0, alertEvents: 0, incidents: 0, connectLinks: 0, publicRateBuckets: 0 });
    expect(await prunes()).toHaveLength(1);
    expect(await db.select().from(m)).toHaveLength(kept.mints.length);
  });
});
