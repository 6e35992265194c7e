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

describe("re-encrypting secrets: key rotation and the upgrade to bound values", () => {
  const db = getDb();
  const client = db
    .insert(schema.zohoClients)
    .values({ name: "c", realm: "live", clientType: "server", clientId: "1000.REKEYREKEYREKEYREKEYREKEYREKEY", secretEnc: v1Under(oldKey, "client-secret"), secretLast4: "cret", secretUpdatedAt: new Date(), homeDc: "us" })
    .returning()
    .get();
  const base = { clientRef: client.id, accessType: "offline" as const, location: "us", accountsServer: "https://accounts.zoho.com", apiDomain: "https://www.zohoapis.com", scopesRequested: [], scopesGranted: [] };
  const insert = (name: string) => db.insert(schema.connections).values({ ...base, name }).returning().get().id;
  const set = (id: number, values: Partial<typeof schema.connections.$inferInsert>) =>
    db.update(schema.connections).set(values).where(eq(schema.connections.id, id)).run();
  const conn = (id: number) => db.select().from(schema.connections).where(eq(schema.connections.id, id)).get()!;
  const clientSecretEnc = () => db.select().from(schema.zohoClients).get()!.secretEnc;

  // a: v1 under the old key and v1 under the active key; b: bound v2 under the old key;
  // c: bound v2 under the active key (nothing to do); d: values under a key that is gone.
  const a = insert("a");
  set(a, { accessTokenEnc: v1Under(oldKey, "at-a"), refreshTokenEnc: v1Under(newKey, "rt-a") });
  const b = insert("b");
  set(b, { refreshTokenEnc: encryptWith(buildKeyRing(oldKey), "rt-b", secretPlace.refreshToken(b)) });
  const c = insert("c");
  set(c, { refreshTokenEnc: encryptWith(buildKeyRing(newKey), "rt-c", secretPlace.refreshToken(c)) });
  const d = insert("d");
  set(d, { accessTokenEnc: v1Under(lostKey, "at-d"), refreshTokenEnc: encryptWith(buildKeyRing(lostKey), "rt-d", secretPlace.refreshToken(d)) });
  const untouched = conn(c).refreshTokenEnc;

  it("refuses v1 values on the normal read path until they are upgraded", () => {
    expect(() => decryptSecret(conn(a).refreshTokenEnc!, secretPlace.refreshToken(a))).toThrow(DecryptionError);
    expect(() => decryptSecret(conn(a).refreshTokenEnc!, secretPlace.refreshToken(a))).toThrow(/unbound v1 format/);
  });

  it("counts without changing anything on a dry run", async () => {
    const report = await rekeySecrets({ dryRun: true });
    expect(report).toMatchObject({ activeKey: "new", underOldKeys: { old: 3, lost: 2 }, unbound: 4, reencrypted: 0, unreadable: 0 });
    expect(formatOf(conn(a).refreshTokenEnc!)).toBe("v1");
  });

  it("upgrades the v1 values at start, bound to their rows, and leaves v2 values under older keys to rekey", async () => {
    await upgradeUnboundSecrets();
    expect(decryptSecret(conn(a).accessTokenEnc!, secretPlace.accessToken(a))).toBe("at-a");
    expect(decryptSecret(conn(a).refreshTokenEnc!, secretPlace.refreshToken(a))).toBe("rt-a");
    expect(decryptSecret(clientSecretEnc(), secretPlace.clientSecret(client.id))).toBe("client-secret");
    expect(keyIdOf(conn(a).accessTokenEnc!)).toBe("new");
    // Bound v2 under the old key is still readable and waits for `npm run rekey`.
    expect(keyIdOf(conn(b).refreshTokenEnc!)).toBe("old");
    // The v1 value under a key that is gone cannot be upgraded: it stays, and stays refused.
    expect(formatOf(conn(d).accessTokenEnc!)).toBe("v1");
    const audit = db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "secrets.rekey")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ trigger: "startup", unbound: 4, reencrypted: 3, unreadable: 1 });
    expect(JSON.stringify(audit[0])).not.toMatch(/at-a|rt-a|client-secret/);
    // A second start has nothing left it can do and records nothing new.
    expect(await rekeySecrets({ unboundOnly: true, dryRun: true })).toMatchObject({ unbound: 1, reencrypted: 0 });
    await upgradeUnboundSecrets();
    expect(db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "secrets.rekey")).all()).toHaveLength(1);
  });

  it("moves every readable value to the active key and reports what it cannot read", async () => {
    const report = await rekeySecrets();
    expect(report).toMatchObject({ activeKey: "new", underOldKeys: { old: 1, lost: 2 }, unbound: 1, reencrypted: 1, unreadable: 2 });
    expect(keyIdOf(conn(b).refreshTokenEnc!)).toBe("new");
    expect(decryptSecret(conn(b).refreshTokenEnc!, secretPlace.refreshToken(b))).toBe("rt-b");
    expect(conn(c).refreshTokenEnc).toBe(untouched);
    expect(keyIdOf(conn(d).refreshTokenEnc!)).toBe("lost");
    expect((await rekeySecrets({ dryRun: true })).underOldKeys).toEqual({ lost: 2 });
  });

  it("refuses a value moved to another row or column once upgraded", () => {
    // a's refresh token into b's row, the client secret into a token column of c.
    set(b, { refreshTokenEnc: conn(a).refreshTokenEnc });
    set(c, { accessTokenEnc: clientSecretEnc() });
    expect(() => decryptSecret(conn(b).refreshTokenEnc!, secretPlace.refreshToken(b))).toThrow(DecryptionError);
    expect(() => decryptSecret(conn(c).accessTokenEnc!, secretPlace.accessToken(c))).toThrow(DecryptionError);
    expect(() => decryptSecret(conn(a).refreshTokenEnc!, secretPlace.accessToken(a))).toThrow(DecryptionError);
    expect(decryptSecret(conn(a).refreshTokenEnc!, secretPlace.refreshToken(a))).toBe("rt-a");
  });

  it("does not launder a moved value: rekey leaves one that fails where it is found", async () => {
    // Written for a's row under the old key, then copied into b's row: rekey must read it at b.
    const moved = encryptWith(buildKeyRing(oldKey), "rt-a-old", secretPlace.refreshToken(a));
    set(b, { refreshTokenEnc: moved });
    const report = await rekeySecrets();
    expect(report).toMatchObject({ underOldKeys: { old: 1, lost: 2 }, reencrypted: 0, unreadable: 3 });
    expect(conn(b).refreshTokenEnc).toBe(moved);
    expect(() => decryptSecret(conn(b).refreshTokenEnc!, secretPlace.refreshToken(b))).toThrow(DecryptionError);
  });
});
