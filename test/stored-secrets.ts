/**
 * Every encrypted value a database file holds, read straight from the file, and a check that
 * each decrypts under a given set of keys: what a backup, a restore or a key rotation must keep.
 */
import Database from "better-sqlite3";
import { expect } from "vitest";
import { buildKeyRing, decryptWith, keyIdOf } from "@/lib/crypto";

export interface StoredSecret {
  table: "zoho_clients" | "connections";
  column: string;
  rowId: number;
  value: string;
}

const whereOf = (s: StoredSecret) => `${s.table} ${s.rowId} ${s.column}`;

export function storedSecrets(dbFile: string): StoredSecret[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    const out: StoredSecret[] = [];
    for (const r of db.prepare("select id, secret_enc as v from zoho_clients").all() as { id: number; v: string }[]) {
      out.push({ table: "zoho_clients", column: "secret_enc", rowId: r.id, value: r.v });
    }
    const rows = db.prepare("select id, access_token_enc as at, refresh_token_enc as rt from connections").all() as { id: number; at: string | null; rt: string | null }[];
    for (const r of rows) {
      if (r.at) out.push({ table: "connections", column: "access_token_enc", rowId: r.id, value: r.at });
      if (r.rt) out.push({ table: "connections", column: "refresh_token_enc", rowId: r.id, value: r.rt });
    }
    return out;
  } finally {
    db.close();
  }
}

/** Decrypts every stored secret with `active` (+ `previous`); returns how many there were. */
export function expectSecretsDecrypt(dbFile: string, active: string, previous?: string, opts: { onlyUnder?: string } = {}): number {
  const ring = buildKeyRing(active, previous);
  const secrets = storedSecrets(dbFile);
  for (const s of secrets) {
    expect(() => decryptWith(ring, s.value, { table: s.table, column: s.column, rowId: s.rowId }), whereOf(s)).not.toThrow();
    if (opts.onlyUnder) expect(keyIdOf(s.value), whereOf(s)).toBe(opts.onlyUnder);
  }
  return secrets.length;
}

export function integrityOf(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.pragma("integrity_check", { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Row counts per table, as `npm run db:backup` prints them. */
export function rowCountsOf(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`select count(*) from "${t}"`).pluck().get() as number]));
  } finally {
    db.close();
  }
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
  const file = /^\[db:backup\] (\S+\.db)$/m.exec(stdout)?.[1];
  if (!file) throw new Error(`no backup path in: ${stdout}`);
  return file;
};
