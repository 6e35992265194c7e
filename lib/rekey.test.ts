import { afterAll, describe, expect, it } from "vitest";
import { generateKeySpec } from "@/lib/crypto";
import { setupTempDatabase } from "@/test/temp-db";
import { encryptUnboundV1 } from "@/test/unbound-v1";

// Values written before this release (unbound v1) and before a rotation (key "old"); the
// console now runs with "new" active and "old" among the previous keys. "lost" is configured nowhere.
const oldKey = generateKeySpec("old");
const newKey = generateKeySpec("new");
const lostKey = generateKeySpec("lost");
const tmp = setupTempDatabase({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS_PREVIOUS: oldKey });
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { eq } = await import("drizzle-orm");
const { buildKeyRing, encryptWith, formatOf, keyIdOf, DecryptionError } = await import("@/lib/crypto");
const { decryptSecret, secretPlace } = await import("@/lib/secrets");
const { rekeySecrets } = await import("./rekey");
const { upgradeUnboundSecrets } = await import("./startup");
afterAll(() => tmp.cleanup());

const v1Under = (spec: string, v: string) => encryptUnboundV1(buildKeyRing(spec), v);

const db = getDb();
const [client] = await db
  .insert(schema.zohoClients)
  .values({ name: "c", realm: "live", clientType: "server", clientId: "1000.REKEYREKEYREKEYREKEYREKEYREKEY", secretEnc: v1Under(oldKey, "client-secret"), secretLast4: "cret", secretUpdatedAt: new Date(), homeDc: "us" })
  .returning();
const base = { clientRef: client.id, accessType: "offline" as const, location: "us", accountsServer: "https://accounts.zoho.com", apiDomain: "https://www.zohoapis.com", scopesRequested: [], scopesGranted: [] };
const insert = async (name: string) => (await db.insert(schema.connections).values({ ...base, name }).returning())[0].id;
const set = async (id: number, values: Partial<typeof schema.connections.$inferInsert>) => {
  await db.update(schema.connections).set(values).where(eq(schema.connections.id, id));
};
const conn = async (id: number) => (await db.select().from(schema.connections).where(eq(schema.connections.id, id)))[0];
const clientSecretEnc = async () => (await db.select().from(schema.zohoClients))[0].secretEnc;
const rekeyAudit = () => db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "secrets.rekey"));

// a: v1 under the old key and v1 under the active key; b: bound v2 under the old key;
// c: bound v2 under the active key (nothing to do); d: values under a key that is gone.
const a = await insert("a");
await set(a, { accessTokenEnc: v1Under(oldKey, "at-a"), refreshTokenEnc: v1Under(newKey, "rt-a") });
const b = await insert("b");
await set(b, { refreshTokenEnc: encryptWith(buildKeyRing(oldKey), "rt-b", secretPlace.refreshToken(b)) });
const c = await insert("c");
await set(c, { refreshTokenEnc: encryptWith(buildKeyRing(newKey), "rt-c", secretPlace.refreshToken(c)) });
const d = await insert("d");
await set(d, { accessTokenEnc: v1Under(lostKey, "at-d"), refreshTokenEnc: encryptWith(buildKeyRing(lostKey), "rt-d", secretPlace.refreshToken(d)) });
const untouched = (await conn(c)).refreshTokenEnc;

describe("re-encrypting secrets: key rotation and the upgrade to bound values", () => {
  it("refuses v1 values on the normal read path until they are upgraded", async () => {
    const stored = (await conn(a)).refreshTokenEnc!;
    expect(() => decryptSecret(stored, secretPlace.refreshToken(a))).toThrow(DecryptionError);
    expect(() => decryptSecret(stored, secretPlace.refreshToken(a))).toThrow(/unbound v1 format/);
  });

  it("counts without changing anything on a dry run", async () => {
    const report = await rekeySecrets({ dryRun: true });
    expect(report).toMatchObject({ activeKey: "new", underOldKeys: { old: 3, lost: 2 }, unbound: 4, reencrypted: 0, unreadable: 0 });
    expect(formatOf((await conn(a)).refreshTokenEnc!)).toBe("v1");
  });

  it("upgrades the v1 values at start, bound to their rows, and leaves v2 values under older keys to rekey", async () => {
    await upgradeUnboundSecrets();
    expect(decryptSecret((await conn(a)).accessTokenEnc!, secretPlace.accessToken(a))).toBe("at-a");
    expect(decryptSecret((await conn(a)).refreshTokenEnc!, secretPlace.refreshToken(a))).toBe("rt-a");
    expect(decryptSecret((await clientSecretEnc()), secretPlace.clientSecret(client.id))).toBe("client-secret");
    expect(keyIdOf((await conn(a)).accessTokenEnc!)).toBe("new");
    // Bound v2 under the old key is still readable and waits for `npm run rekey`.
    expect(keyIdOf((await conn(b)).refreshTokenEnc!)).toBe("old");
    // The v1 value under a key that is gone cannot be upgraded: it stays, and stays refused.
    expect(formatOf((await conn(d)).accessTokenEnc!)).toBe("v1");
    const audit = await rekeyAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ trigger: "startup", unbound: 4, reencrypted: 3, unreadable: 1 });
    expect(JSON.stringify(audit[0])).not.toMatch(/at-a|rt-a|client-secret/);
    // A second start has nothing left it can do and records nothing new.
    expect(await rekeySecrets({ unboundOnly: true, dryRun: true })).toMatchObject({ unbound: 1, reencrypted: 0 });
    await upgradeUnboundSecrets();
    expect(await rekeyAudit()).toHaveLength(1);
  });

  it("moves every readable value to the active key and reports what it cannot read", async () => {
    const report = await rekeySecrets();
    expect(report).toMatchObject({ activeKey: "new", underOldKeys: { old: 1, lost: 2 }, unbound: 1, reencrypted: 1, unreadable: 2 });
    expect(keyIdOf((await conn(b)).refreshTokenEnc!)).toBe("new");
    expect(decryptSecret((await conn(b)).refreshTokenEnc!, secretPlace.refreshToken(b))).toBe("rt-b");
    expect((await conn(c)).refreshTokenEnc).toBe(untouched);
    expect(keyIdOf((await conn(d)).refreshTokenEnc!)).toBe("lost");
    expect((await rekeySecrets({ dryRun: true })).underOldKeys).toEqual({ lost: 2 });
  });

  it("refuses a value moved to another row or column once upgraded", async () => {
    // a's refresh token into b's row, the client secret into a token column of c.
    await set(b, { refreshTokenEnc: (await conn(a)).refreshTokenEnc });
    await set(c, { accessTokenEnc: (await clientSecretEnc()) });
    const [ra, rb, rc] = [await conn(a), await conn(b), await conn(c)];
    expect(() => decryptSecret(rb.refreshTokenEnc!, secretPlace.refreshToken(b))).toThrow(DecryptionError);
    expect(() => decryptSecret(rc.accessTokenEnc!, secretPlace.accessToken(c))).toThrow(DecryptionError);
    expect(() => decryptSecret(ra.refreshTokenEnc!, secretPlace.accessToken(a))).toThrow(DecryptionError);
    expect(decryptSecret((await conn(a)).refreshTokenEnc!, secretPlace.refreshToken(a))).toBe("rt-a");
  });

  it("does not launder a moved value: rekey leaves one that fails where it is found", async () => {
    // Written for a's row under the old key, then copied into b's row: rekey must read it at b.
    const moved = encryptWith(buildKeyRing(oldKey), "rt-a-old", secretPlace.refreshToken(a));
    await set(b, { refreshTokenEnc: moved });
    const report = await rekeySecrets();
    expect(report).toMatchObject({ underOldKeys: { old: 1, lost: 2 }, reencrypted: 0, unreadable: 3 });
    expect((await conn(b)).refreshTokenEnc).toBe(moved);
    const stored = (await conn(b)).refreshTokenEnc!;
    expect(() => decryptSecret(stored, secretPlace.refreshToken(b))).toThrow(DecryptionError);
  });
});

describe("alert destinations' secrets", () => {
  it("re-encrypts a destination's URL and both signing secrets under the active key, bound to their row", async () => {
    const [dest] = await db.insert(schema.alertDestinations).values({ name: "hook", kind: "webhook" }).returning();
    const old = buildKeyRing(oldKey);
    await db
      .update(schema.alertDestinations)
      .set({
        urlEnc: encryptWith(old, "https://hooks.example.com/x", secretPlace.alertUrl(dest.id)),
        secretEnc: encryptWith(old, "whsec_new", secretPlace.alertSecret(dest.id)),
        previousSecretEnc: encryptWith(old, "whsec_old", secretPlace.alertPreviousSecret(dest.id)),
      })
      .where(eq(schema.alertDestinations.id, dest.id));
    const report = await rekeySecrets();
    expect(report.reencrypted).toBe(3);
    const [row] = await db.select().from(schema.alertDestinations).where(eq(schema.alertDestinations.id, dest.id));
    expect([row.urlEnc, row.secretEnc, row.previousSecretEnc].map((v) => keyIdOf(v!))).toEqual(["new", "new", "new"]);
    expect(decryptSecret(row.urlEnc!, secretPlace.alertUrl(dest.id))).toBe("https://hooks.example.com/x");
    expect(decryptSecret(row.previousSecretEnc!, secretPlace.alertPreviousSecret(dest.id))).toBe("whsec_old");
  });
});
