import { afterAll, describe, expect, it } from "vitest";
import { generateKeySpec } from "@/lib/crypto";
import { setupTempDatabase } from "@/test/temp-db";

// Values written under key "old" before a rotation; the console now runs with "new" active.
const oldKey = generateKeySpec("old");
const newKey = generateKeySpec("new");
const tmp = setupTempDatabase({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS_PREVIOUS: oldKey });
const { getDb } = await import("@/db/client");
const schema = await import("@/db/schema");
const { buildKeyRing, encryptWith, keyIdOf } = await import("@/lib/crypto");
const { decryptSecret } = await import("@/lib/secrets");
const { rekeySecrets } = await import("./rekey");
afterAll(() => tmp.cleanup());

const underOld = (v: string) => encryptWith(buildKeyRing(oldKey), v);
const underLost = (v: string) => encryptWith(buildKeyRing(generateKeySpec("lost")), v);

describe("re-encrypting secrets after a key rotation", () => {
  const db = getDb();
  const client = db
    .insert(schema.zohoClients)
    .values({ name: "c", realm: "live", clientType: "server", clientId: "1000.REKEYREKEYREKEYREKEYREKEYREKEY", secretEnc: underOld("client-secret"), secretLast4: "cret", secretUpdatedAt: new Date(), homeDc: "us" })
    .returning()
    .get();
  const base = { clientRef: client.id, accessType: "offline" as const, location: "us", accountsServer: "https://accounts.zoho.com", apiDomain: "https://www.zohoapis.com", scopesRequested: [], scopesGranted: [] };
  const a = db.insert(schema.connections).values({ ...base, name: "a", accessTokenEnc: underOld("at-1"), refreshTokenEnc: underOld("rt-1") }).returning().get();
  const b = db.insert(schema.connections).values({ ...base, name: "b", refreshTokenEnc: underLost("rt-2") }).returning().get();

  it("counts without changing anything on a dry run", () => {
    const report = rekeySecrets({ dryRun: true });
    expect(report.underOldKeys).toEqual({ old: 3, lost: 1 });
    expect(keyIdOf(db.select().from(schema.connections).all()[0].refreshTokenEnc!)).toBe("old");
  });

  it("moves every readable value to the active key and reports what it cannot read", () => {
    const report = rekeySecrets();
    expect(report).toMatchObject({ activeKey: "new", reencrypted: 3, unreadable: 1 });
    const rowA = db.select().from(schema.connections).all().find((r) => r.id === a.id)!;
    expect(keyIdOf(rowA.refreshTokenEnc!)).toBe("new");
    expect(decryptSecret(rowA.refreshTokenEnc!)).toBe("rt-1");
    expect(decryptSecret(rowA.accessTokenEnc!)).toBe("at-1");
    expect(decryptSecret(db.select().from(schema.zohoClients).get()!.secretEnc)).toBe("client-secret");
    expect(keyIdOf(db.select().from(schema.connections).all().find((r) => r.id === b.id)!.refreshTokenEnc!)).toBe("lost");
    expect(rekeySecrets({ dryRun: true }).underOldKeys).toEqual({ lost: 1 });
  });
});
