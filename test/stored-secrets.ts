/**
 * Every encrypted value a console database holds, read straight from it (a SQLite file or a
 * PostgreSQL database), and a check that each decrypts under a given set of keys: what a backup, a
 * restore, a copy or a key rotation must keep.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { expect } from "vitest";
import { buildKeyRing, decryptWith, keyIdOf } from "@/lib/crypto";

/** A console database outside the console's own handle: a SQLite file or a PostgreSQL URL. */
export type DbRef = { file: string } | { url: string };

export interface StoredSecret {
  table: "zoho_clients" | "connections" | "alert_destinations";
  column: string;
  rowId: number;
  value: string;
}

const whereOf = (s: StoredSecret) => `${s.table} ${s.rowId} ${s.column}`;

/**
 * Rows of a plain query (the SQL must suit the engine of `ref`; `?` placeholders on both);
 * PostgreSQL's bigint counts become numbers. `write` opens a SQLite file for writing.
 */
export async function queryRows<R = Record<string, unknown>>(ref: DbRef, sql: string, params: unknown[] = [], opts: { write?: boolean } = {}): Promise<R[]> {
  if ("file" in ref) {
    const db = new Database(ref.file, { readonly: !opts.write });
    try {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(params) : (statement.run(params), [])) as R[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: ref.url });
  await client.connect();
  try {
    let n = 0;
    const { rows, fields } = await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
    const bigints = fields.filter((f) => f.dataTypeID === 20).map((f) => f.name);
    return rows.map((r: Record<string, unknown>) => {
      for (const name of bigints) if (r[name] !== null) r[name] = Number(r[name]);
      return r as R;
    });
  } finally {
    await client.end();
  }
}

/** Runs a statement that writes. */
export async function execSql(ref: DbRef, sql: string, params: unknown[] = []): Promise<void> {
  await queryRows(ref, sql, params, { write: true });
}

/** The first column of the first row. */
export async function scalar<T>(ref: DbRef, sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await queryRows(ref, sql, params);
  return (row ? Object.values(row)[0] : undefined) as T;
}

export async function storedSecrets(ref: DbRef): Promise<StoredSecret[]> {
  const out: StoredSecret[] = [];
  for (const r of await queryRows<{ id: number; v: string }>(ref, "select id, secret_enc as v from zoho_clients")) {
    out.push({ table: "zoho_clients", column: "secret_enc", rowId: r.id, value: r.v });
  }
  const rows = await queryRows<{ id: number; at: string | null; rt: string | null }>(ref, "select id, access_token_enc as at, refresh_token_enc as rt from connections");
  for (const r of rows) {
    if (r.at) out.push({ table: "connections", column: "access_token_enc", rowId: r.id, value: r.at });
    if (r.rt) out.push({ table: "connections", column: "refresh_token_enc", rowId: r.id, value: r.rt });
  }
  const dests = await queryRows<{ id: number; u: string | null; s: string | null; p: string | null }>(
    ref,
    "select id, url_enc as u, secret_enc as s, previous_secret_enc as p from alert_destinations",
  );
  for (const r of dests) {
    if (r.u) out.push({ table: "alert_destinations", column: "url_enc", rowId: r.id, value: r.u });
    if (r.s) out.push({ table: "alert_destinations", column: "secret_enc", rowId: r.id, value: r.s });
    if (r.p) out.push({ table: "alert_destinations", column: "previous_secret_enc", rowId: r.id, value: r.p });
  }
  return out;
}

/** Decrypts every stored secret with `active` (+ `previous`); returns how many there were. */
export async function expectSecretsDecrypt(ref: DbRef, active: string, previous?: string, opts: { onlyUnder?: string } = {}): Promise<number> {
  const ring = buildKeyRing(active, previous);
  const secrets = await storedSecrets(ref);
  for (const s of secrets) {
    expect(() => decryptWith(ring, s.value, { table: s.table, column: s.column, rowId: s.rowId }), whereOf(s)).not.toThrow();
    if (opts.onlyUnder) expect(keyIdOf(s.value), whereOf(s)).toBe(opts.onlyUnder);
  }
  return secrets.length;
}

/** SQLite's integrity check; on PostgreSQL (which checks its own pages) that every table reads whole. */
export async function integrityOf(ref: DbRef): Promise<string> {
  if ("file" in ref) {
    const db = new Database(ref.file, { readonly: true });
    try {
      return db.pragma("integrity_check", { simple: true }) as string;
    } finally {
      db.close();
    }
  }
  await rowCountsOf(ref);
  return "ok";
}

/** Row counts per table, as `npm run db:backup` prints them. */
export async function rowCountsOf(ref: DbRef): Promise<Record<string, number>> {
  const tables = (
    await queryRows<{ name: string }>(
      ref,
      "file" in ref
        ? // Ordinary tables only: a full-text index (the audit search's FTS5 table and its shadow tables) is no data of its own.
          "select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' order by name"
        : "select tablename as name from pg_tables where schemaname = 'public' order by tablename",
    )
  ).map((r) => r.name);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number(await scalar(ref, `select count(*) from "${t}"`));
  return out;
}

/** The "rows: a 1, b 2" line of `npm run db:backup`, parsed. */
export function printedRowCounts(stdout: string): Record<string, number> {
  const line = /rows: (.*)$/m.exec(stdout)?.[1];
  if (!line) throw new Error(`no row counts in: ${stdout}`);
  return Object.fromEntries(line.split(", ").map((p) => {
    const at = p.lastIndexOf(" ");
    return [p.slice(0, at), Number(p.slice(at + 1))];
  }));
}

export const printedBackupPath = (stdout: string) => {
  const file = /^\[db:backup\] (\S+\.(?:db|dump))$/m.exec(stdout)?.[1];
  if (!file) throw new Error(`no backup path in: ${stdout}`);
  return file;
};
