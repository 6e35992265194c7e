import "server-only";
import { and, asc, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { getDb } from "@/db/client";
import { alertDestinations, connections, zohoClients } from "@/db/schema";
import { decryptUnboundWith, decryptWith, DecryptionError, encryptWith, formatOf, keyIdOf, type SecretPlace } from "@/lib/crypto";
import { keyRing, secretPlace } from "@/lib/secrets";

// After a key rotation old values stay readable through ENCRYPTION_KEYS_PREVIOUS. Re-encrypting
// them under the active key is what finally lets an old key be removed. The same pass upgrades
// values of the unbound v1 form to v2, bound to the table, column and row they are found in:
// the only place where v1 is still read (see lib/crypto.ts).
interface RekeyReport {
  activeKey: string;
  /** Values found under an older key, per key id. */
  underOldKeys: Record<string, number>;
  /** Values found in the unbound v1 form (under any key). */
  unbound: number;
  reencrypted: number;
  /** Values whose key is not configured (or that fail to decrypt): they cannot be read or moved. */
  unreadable: number;
}

interface RekeyOptions {
  /** Only count. */
  dryRun?: boolean;
  /** Only the v1 → v2 upgrade, leaving v2 values under older keys alone (what start-up runs). */
  unboundOnly?: boolean;
}

const BATCH = 500;

type Found = { id: number; value: string };

/** One encrypted column: how to page through the values that need work and write one back. */
interface SecretColumn {
  place: (id: number) => SecretPlace;
  page: (after: number, needsWork: (col: AnySQLiteColumn) => SQL) => Promise<Found[]>;
  write: (s: Found, next: string) => Promise<boolean>;
}

type SecretTable = typeof zohoClients | typeof connections | typeof alertDestinations;

/**
 * One encrypted column of a table with an integer id. The write is conditional on the value read:
 * an edit, refresh or reconnect that stored a new value meanwhile wins.
 */
function secretColumn<T extends SecretTable>(table: T, field: keyof T["$inferSelect"] & string, place: SecretColumn["place"]): SecretColumn {
  const db = getDb();
  const t = table as unknown as typeof connections;
  const col = (table as unknown as Record<string, AnySQLiteColumn>)[field];
  return {
    place,
    page: (after, needsWork) =>
      db
        .select({ id: t.id, value: sql<string>`${col}` })
        .from(t)
        .where(and(gt(t.id, after), isNotNull(col), needsWork(col)))
        .orderBy(asc(t.id))
        .limit(BATCH),
    write: async (s, next) => (await db.update(t).set({ [field]: next }).where(and(eq(t.id, s.id), eq(col, s.value))).returning({ id: t.id })).length > 0,
  };
}

function columns(): SecretColumn[] {
  return [
    secretColumn(zohoClients, "secretEnc", secretPlace.clientSecret),
    secretColumn(connections, "accessTokenEnc", secretPlace.accessToken),
    secretColumn(connections, "refreshTokenEnc", secretPlace.refreshToken),
    secretColumn(alertDestinations, "urlEnc", secretPlace.alertUrl),
    secretColumn(alertDestinations, "secretEnc", secretPlace.alertSecret),
    secretColumn(alertDestinations, "previousSecretEnc", secretPlace.alertPreviousSecret),
  ];
}

/**
 * Rewrites every stored secret that is not yet v2 under the active key (or, with
 * `unboundOnly`, every v1 value) as v2 under the active key, bound to where it is stored.
 * Only matching values are read, in batches, so a run with nothing to do is one query per column.
 */
export async function rekeySecrets({ dryRun = false, unboundOnly = false }: RekeyOptions = {}): Promise<RekeyReport> {
  const ring = keyRing();
  const report: RekeyReport = { activeKey: ring.activeId, underOldKeys: {}, unbound: 0, reencrypted: 0, unreadable: 0 };
  const current = `v2.${ring.activeId}.`;
  // substr rather than LIKE: key ids may contain "_", a LIKE wildcard.
  const needsWork = (col: AnySQLiteColumn) =>
    unboundOnly ? sql`substr(${col}, 1, 3) = 'v1.'` : sql`substr(${col}, 1, ${current.length}) <> ${current}`;
  for (const column of columns()) {
    let after = 0;
    for (;;) {
      const batch = await column.page(after, needsWork);
      if (batch.length === 0) break;
      after = batch[batch.length - 1].id;
      for (const s of batch) {
        const keyId = keyIdOf(s.value);
        const unbound = formatOf(s.value) === "v1";
        if (unbound) report.unbound++;
        if (keyId !== ring.activeId) report.underOldKeys[keyId ?? "unknown"] = (report.underOldKeys[keyId ?? "unknown"] ?? 0) + 1;
        if (dryRun) continue;
        let plain: string;
        try {
          plain = unbound ? decryptUnboundWith(ring, s.value) : decryptWith(ring, s.value, column.place(s.id));
        } catch (e) {
          if (!(e instanceof DecryptionError)) throw e;
          report.unreadable++;
          continue;
        }
        if (await column.write(s, encryptWith(ring, plain, column.place(s.id)))) report.reencrypted++;
      }
      // Let other work (requests, timers) in between batches of a large table.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return report;
}
