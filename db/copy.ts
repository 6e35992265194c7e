import { asc, count, getTableColumns, getTableName, gt, sql, type SQL } from "drizzle-orm";
import type { Engine } from "./engine";
import type { DatabaseHandle, Db } from "./handle";
import * as pgSchema from "./schema-pg";
import * as sqliteSchema from "./schema-sqlite";

/**
 * Copies every row of one console database into another, empty one, on either engine: SQLite to
 * PostgreSQL to move a console onto a server, PostgreSQL to SQLite to move back. Rows travel as
 * the data layer reads them (times, booleans, JSON), so each engine stores them in its own form;
 * ids are kept, so ciphertexts bound to their rows still decrypt.
 */

type TableName = keyof typeof sqliteSchema & keyof typeof pgSchema;

/** Parents before children (foreign keys), the trail last. */
export const COPY_ORDER = [
  "users",
  "zohoClients",
  "apiKeys",
  "connections",
  "connectLinks",
  "connectionTags",
  "savedViews",
  "oauthAttempts",
  "tokenMints",
  "refreshTokenLives",
  "refresherRuns",
  "apiKeyConnections",
  "apiKeyUsage",
  "apiKeyUsageHourly",
  "loginThrottle",
  "tokenRejections",
  "alertDestinations",
  "alertEvents",
  "alertDeliveries",
  "alertAttempts",
  "incidents",
  "scheduledRuns",
  "auditEvents",
  "refreshRollups",
  "dataVersions",
] as const satisfies readonly TableName[];

/**
 * Not copied: the running instances' coordination (rate buckets, refresher claims, the instance
 * registry), which describes processes of the source, not data — the target's instances make their
 * own; and the refresh-token budgets, which the target's triggers count as its connections arrive.
 */
export const NOT_COPIED = ["refreshTokenBudgets", "apiRateBuckets", "publicRateBuckets", "zohoPacing", "refresherClaims", "consoleInstances"] as const satisfies readonly TableName[];

const BATCH = 500;

// The tables of a handle's own engine; lib/'s one type stands for both (see ./handle.ts).
type AnyTable = (typeof sqliteSchema)[TableName];
const tableOf = (engine: Engine, name: TableName) => (engine === "postgres" ? pgSchema[name] : sqliteSchema[name]) as unknown as AnyTable;

/** The SQL name of a table, for messages and the report. */
export const sqlNameOf = (name: TableName) => getTableName(sqliteSchema[name]);

export async function rowCountsOf(handle: DatabaseHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of COPY_ORDER) {
    const [row] = await handle.db.select({ n: count() }).from(tableOf(handle.engine, name));
    out[sqlNameOf(name)] = row?.n ?? 0;
  }
  return out;
}

/** What already holds rows in the target; a migration's own row of data_versions does not count. */
export async function dataIn(handle: DatabaseHandle): Promise<string[]> {
  const counts = await rowCountsOf(handle);
  return Object.entries(counts)
    .filter(([table, n]) => n > 0 && table !== "data_versions")
    .map(([table, n]) => `${n} in ${table}`);
}

/** A stable page order: the id, or (composite and text keys, small tables) every column. */
function orderOf(table: AnyTable): SQL[] {
  const id = idOf(table);
  if (id) return [asc(id as never)];
  return Object.values(getTableColumns(table)).map((c) => asc(c));
}

const idOf = (table: AnyTable) => (table as unknown as { id?: unknown }).id;

async function copyTable(from: Db, fromEngine: Engine, to: Db, toEngine: Engine, name: TableName, onBatch: (n: number) => void): Promise<number> {
  const source = tableOf(fromEngine, name);
  const target = tableOf(toEngine, name);
  const id = idOf(source);
  let copied = 0;
  let after = 0;
  for (let offset = 0; ; offset += BATCH) {
    // Tables with an id page by it (each batch starts where the last ended), the rest by offset.
    const query = from.select().from(source);
    const rows = (await (id ? query.where(gt(id as never, after)).orderBy(...orderOf(source)).limit(BATCH) : query.orderBy(...orderOf(source)).limit(BATCH).offset(offset))) as Record<string, unknown>[];
    if (rows.length === 0) break;
    if (name === "dataVersions") {
      // The target's migration made the row; it takes the source's count.
      for (const row of rows) {
        await to
          .insert(target)
          .values(row as never)
          .onConflictDoUpdate({ target: (target as unknown as { name: never }).name, set: { version: row.version } as never });
      }
    } else {
      await to.insert(target).values(rows as never);
    }
    copied += rows.length;
    onBatch(rows.length);
    if (id) after = rows[rows.length - 1].id as number;
    if (rows.length < BATCH) break;
  }
  return copied;
}

/** PostgreSQL numbers new rows from a sequence, which copying explicit ids does not move. */
async function advanceSequences(to: Db, toEngine: Engine) {
  if (toEngine !== "postgres") return; // SQLite's AUTOINCREMENT follows the largest id by itself.
  for (const name of COPY_ORDER) {
    if (!idOf(tableOf(toEngine, name))) continue;
    const table = sqlNameOf(name);
    await (to as unknown as { execute(q: SQL): Promise<unknown> }).execute(
      sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.identifier(table)}), 0) + 1, false)`,
    );
  }
}

export interface CopyReport {
  rows: Record<string, number>;
}

/**
 * Copies `source` into the empty `target` (both migrated to the same version first): all of it
 * read from one snapshot of the source, all of it written in one transaction of the target, so a
 * copy that fails midway leaves the target as empty as it found it.
 */
export async function copyDatabase(source: DatabaseHandle, target: DatabaseHandle, onProgress: (table: string, copied: number) => void = () => {}): Promise<CopyReport> {
  const held = await dataIn(target);
  if (held.length) throw new Error(`the target already holds data (${held.join(", ")}): copy into an empty database only`);
  return source.transaction(
    (from) =>
      target.transaction(async (to) => {
        const rows: Record<string, number> = {};
        for (const name of COPY_ORDER) {
          let done = 0;
          rows[sqlNameOf(name)] = await copyTable(from, source.engine, to, target.engine, name, (n) => onProgress(sqlNameOf(name), (done += n)));
        }
        await advanceSequences(to, target.engine);
        return { rows };
      }),
    { snapshot: true },
  );
}

/** Every stored secret of a database with the place it is bound to: what must decrypt after a copy. */
export async function storedSecretsOf(handle: DatabaseHandle): Promise<{ table: "zoho_clients" | "connections" | "alert_destinations"; column: string; rowId: number; value: string }[]> {
  const clients = tableOf(handle.engine, "zohoClients") as typeof sqliteSchema.zohoClients;
  const conns = tableOf(handle.engine, "connections") as typeof sqliteSchema.connections;
  const dests = tableOf(handle.engine, "alertDestinations") as typeof sqliteSchema.alertDestinations;
  const out: Awaited<ReturnType<typeof storedSecretsOf>> = [];
  for (const r of await handle.db.select({ id: clients.id, v: clients.secretEnc }).from(clients)) {
    out.push({ table: "zoho_clients", column: "secret_enc", rowId: r.id, value: r.v });
  }
  for (const r of await handle.db.select({ id: conns.id, at: conns.accessTokenEnc, rt: conns.refreshTokenEnc }).from(conns)) {
    if (r.at) out.push({ table: "connections", column: "access_token_enc", rowId: r.id, value: r.at });
    if (r.rt) out.push({ table: "connections", column: "refresh_token_enc", rowId: r.id, value: r.rt });
  }
  for (const r of await handle.db.select({ id: dests.id, u: dests.urlEnc, s: dests.secretEnc, p: dests.previousSecretEnc }).from(dests)) {
    if (r.u) out.push({ table: "alert_destinations", column: "url_enc", rowId: r.id, value: r.u });
    if (r.s) out.push({ table: "alert_destinations", column: "secret_enc", rowId: r.id, value: r.s });
    if (r.p) out.push({ table: "alert_destinations", column: "previous_secret_enc", rowId: r.id, value: r.p });
  }
  return out;
}

/** Every connection row of a database, to compare what each engine says of the copied rows. */
export async function connectionRowsOf(handle: DatabaseHandle) {
  const conns = tableOf(handle.engine, "connections") as typeof sqliteSchema.connections;
  return handle.db.select().from(conns).orderBy(asc(conns.id));
}

/** The trail's row for the copy, written in `handle`'s own tables (both databases get one). */
export async function recordCopy(handle: DatabaseHandle, detail: Record<string, unknown>) {
  const audit = tableOf(handle.engine, "auditEvents") as typeof sqliteSchema.auditEvents;
  await handle.db.insert(audit).values({ at: new Date(), actorType: "system", actorLabel: "db:copy", action: "database.copy", outcome: "success", detail });
}
