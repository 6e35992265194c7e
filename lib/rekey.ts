import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { connections, zohoClients } from "@/db/schema";
import { DecryptionError, keyIdOf } from "@/lib/crypto";
import { decryptSecret, encryptSecret, keyRing } from "@/lib/secrets";

// After a key rotation old values stay readable through ENCRYPTION_KEYS_PREVIOUS. Re-encrypting
// them under the active key is what finally lets an old key be removed.
interface RekeyReport {
  activeKey: string;
  /** Values found under an older key, per key id. */
  underOldKeys: Record<string, number>;
  reencrypted: number;
  /** Values whose key is not configured at all: they cannot be read or moved. */
  unreadable: number;
}

type Column = { table: "client" | "connection"; id: number; field: string; value: string };

function storedSecrets(): Column[] {
  const db = getDb();
  const out: Column[] = [];
  for (const c of db.select({ id: zohoClients.id, v: zohoClients.secretEnc }).from(zohoClients).all()) {
    out.push({ table: "client", id: c.id, field: "secretEnc", value: c.v });
  }
  const rows = db
    .select({ id: connections.id, at: connections.accessTokenEnc, rt: connections.refreshTokenEnc })
    .from(connections)
    .all();
  for (const r of rows) {
    if (r.at) out.push({ table: "connection", id: r.id, field: "accessTokenEnc", value: r.at });
    if (r.rt) out.push({ table: "connection", id: r.id, field: "refreshTokenEnc", value: r.rt });
  }
  return out;
}

export function rekeySecrets({ dryRun = false } = {}): RekeyReport {
  const ring = keyRing();
  const report: RekeyReport = { activeKey: ring.activeId, underOldKeys: {}, reencrypted: 0, unreadable: 0 };
  const db = getDb();
  for (const s of storedSecrets()) {
    const keyId = keyIdOf(s.value);
    if (keyId === ring.activeId) continue;
    report.underOldKeys[keyId ?? "unknown"] = (report.underOldKeys[keyId ?? "unknown"] ?? 0) + 1;
    if (dryRun) continue;
    let plain: string;
    try {
      plain = decryptSecret(s.value);
    } catch (e) {
      if (!(e instanceof DecryptionError)) throw e;
      report.unreadable++;
      continue;
    }
    const next = encryptSecret(plain);
    // Conditional on the old value: a refresh that stored a new token meanwhile wins.
    if (s.table === "client") {
      db.update(zohoClients).set({ secretEnc: next }).where(eq(zohoClients.secretEnc, s.value)).run();
    } else if (s.field === "accessTokenEnc") {
      db.update(connections).set({ accessTokenEnc: next }).where(eq(connections.accessTokenEnc, s.value)).run();
    } else {
      db.update(connections).set({ refreshTokenEnc: next }).where(eq(connections.refreshTokenEnc, s.value)).run();
    }
    report.reencrypted++;
  }
  return report;
}
