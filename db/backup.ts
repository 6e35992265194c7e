import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/**
 * An online backup: `VACUUM INTO` copies one consistent snapshot (a read transaction, which in
 * WAL mode never blocks the console's writers, and is not restarted by them as the page-by-page
 * backup API is) into a new, compact database file. Secrets stay as they are at rest, encrypted:
 * a backup is only readable with the ENCRYPTION_KEY (and ENCRYPTION_KEYS_PREVIOUS) it was made under.
 */
export interface BackupReport {
  file: string;
  bytes: number;
  /** Rows per table, counted in the backup itself. */
  rows: Record<string, number>;
  /** `PRAGMA integrity_check` of the backup: "ok" or the problems it found. */
  integrity: string;
}

/** `console-2026-12-03T12-40-05-123Z.db`: sorts by time, safe in every file system. */
export const backupName = (at: Date) => `console-${at.toISOString().replace(/[:.]/g, "-")}.db`;

/** Tables and their row counts, application tables only. */
export function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`select count(*) from "${t.replaceAll('"', '""')}"`).pluck().get() as number]));
}

export function backupDatabase(source: Database.Database, dir: string, at = new Date()): BackupReport {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(path.resolve(dir), backupName(at));
  if (fs.existsSync(file)) throw new Error(`${file} already exists`);
  // Written under a temporary name, so a half-written file is never taken for a backup.
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  // The copy holds every encrypted secret and the audit trail: only this user may read it.
  const umask = process.umask(0o077);
  try {
    source.prepare("VACUUM INTO ?").run(partial);
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(partial, 0o600);
  const copy = new Database(partial, { readonly: true });
  let rows: Record<string, number>;
  let integrity: string;
  try {
    integrity = (copy.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    rows = rowCounts(copy);
  } finally {
    copy.close();
  }
  fs.renameSync(partial, file);
  return { file, bytes: fs.statSync(file).size, rows, integrity };
}
