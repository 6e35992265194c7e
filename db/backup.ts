import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { unreachableMessage } from "./errors";
import type { DatabaseHandle } from "./handle";
import type { PostgresHandle } from "./postgres";
import { postgresTool } from "./postgres-tools";
import type { SqliteHandle } from "./sqlite";

const execFileAsync = promisify(execFile);

/**
 * An online backup of the console's database, taken while it runs and refreshes. Secrets stay as
 * they are at rest, encrypted: a backup is only readable with the ENCRYPTION_KEY (and
 * ENCRYPTION_KEYS_PREVIOUS) it was made under.
 * - SQLite: `VACUUM INTO` copies one consistent snapshot (a read transaction, which in WAL mode
 *   never blocks the console's writers) into a new, compact database file.
 * - PostgreSQL: `pg_dump` in its custom format, from a snapshot this process exports and counts
 *   its rows in, so the counts printed are exactly what the file holds.
 */
export interface BackupReport {
  file: string;
  bytes: number;
  /** Rows per table, as the backup holds them. */
  rows: Record<string, number>;
  /** SQLite: `PRAGMA integrity_check` of the copy; PostgreSQL: whether pg_restore reads its table of contents. */
  integrity: string;
}

/** `console-2026-12-03T12-40-05-123Z.db` (or `.dump`): sorts by time, safe in every file system. */
export const backupName = (at: Date, extension = "db") => `console-${at.toISOString().replace(/[:.]/g, "-")}.${extension}`;

/** Tables and their row counts, application tables only (SQLite). */
export function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    // Ordinary tables: the audit search's FTS5 table and its shadow tables are an index, rebuilt with the data.
    .prepare("select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`select count(*) from "${t.replaceAll('"', '""')}"`).pluck().get() as number]));
}

/** A new file for the backup under a temporary name, so a half-written one is never taken for a backup. */
function prepareTarget(dir: string, name: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(path.resolve(dir), name);
  if (fs.existsSync(file)) throw new Error(`${file} already exists`);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  return { file, partial };
}

/** The copy holds every encrypted secret and the audit trail: only this user may read it. */
function privately<T>(work: () => T): T {
  const umask = process.umask(0o077);
  try {
    return work();
  } finally {
    process.umask(umask);
  }
}

function backupSqlite(handle: SqliteHandle, dir: string, at: Date): BackupReport {
  const { file, partial } = prepareTarget(dir, backupName(at, "db"));
  privately(() => handle.sqlite.prepare("VACUUM INTO ?").run(partial));
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
  return finish(partial, file, rows, integrity);
}

/** Under its own name if it passed its check; a copy that failed is kept aside as `.failed`, never taken for a backup. */
function finish(partial: string, file: string, rows: Record<string, number>, integrity: string): BackupReport {
  const kept = integrity === "ok" ? file : `${file}.failed`;
  fs.renameSync(partial, kept);
  return { file: kept, bytes: fs.statSync(kept).size, rows, integrity };
}

/** The application's tables in the public schema, and how many rows each holds in this transaction. */
async function postgresRowCounts(client: pg.ClientBase): Promise<Record<string, number>> {
  const tables = (
    await client.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public' order by tablename")
  ).rows.map((r) => r.name);
  const rows: Record<string, number> = {};
  for (const t of tables) rows[t] = Number((await client.query(`select count(*) as n from ${pg.escapeIdentifier(t)}`)).rows[0].n);
  return rows;
}

/** Runs one of PostgreSQL's tools; a failure says what the tool said, not the command line. */
async function runTool(tool: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await execFileAsync(tool, args, { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e) {
    const said = String((e as { stderr?: unknown }).stderr ?? "").trim() || (e instanceof Error ? e.message : String(e));
    const version = /version mismatch|server version/i.test(said) ? ` Use ${path.basename(tool)} of the server's version or newer: set POSTGRES_BIN to the folder that holds it.` : "";
    throw new Error(`${path.basename(tool)} failed: ${said}${version}`);
  }
}

async function backupPostgres(handle: PostgresHandle, url: string, dir: string, at: Date): Promise<BackupReport> {
  const pgDump = postgresTool("pg_dump");
  const connection = postgresTool.connection(url);
  // A snapshot of our own: the dump and the counts below see the very same rows.
  let client: pg.PoolClient;
  try {
    client = await handle.pool.connect();
  } catch (e) {
    throw new Error(unreachableMessage("postgres", handle.where, e));
  }
  const { file, partial } = prepareTarget(dir, backupName(at, "dump"));
  let rows: Record<string, number>;
  try {
    await client.query("begin isolation level repeatable read read only");
    const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0].id;
    rows = await postgresRowCounts(client);
    await privately(() =>
      runTool(pgDump, ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${connection.dbname}`], connection.env),
    );
    await client.query("commit");
  } finally {
    client.release();
  }
  fs.chmodSync(partial, 0o600);
  // The custom format's table of contents must read back; pg_restore lists it without a server.
  const contents = await runTool(postgresTool("pg_restore"), ["--list", partial]);
  const integrity = /TABLE DATA public (audit_events|connections) /.test(contents) ? "ok" : "the dump's table of contents lacks the console's tables";
  return finish(partial, file, rows, integrity);
}

export async function backupDatabase(handle: DatabaseHandle, opts: { dir: string; url?: string; at?: Date }): Promise<BackupReport> {
  const at = opts.at ?? new Date();
  try {
    if (handle.engine === "sqlite") return backupSqlite(handle as SqliteHandle, opts.dir, at);
    if (!opts.url) throw new Error("a PostgreSQL backup needs the database URL");
    return await backupPostgres(handle as PostgresHandle, opts.url, opts.dir, at);
  } catch (e) {
    // A backup that did not finish leaves nothing that could be taken for one.
    for (const extension of ["db", "dump"]) fs.rmSync(path.join(path.resolve(opts.dir), `${backupName(at, extension)}.partial`), { force: true });
    throw e;
  }
}
