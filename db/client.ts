import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { config } from "@/lib/config";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;
/** The handle inside `db.transaction(tx => …)`; functions that must join a transaction take `Db | Tx`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * The database holds encrypted secrets and the audit trail: only the console's own user may read
 * it. A data folder the console creates is 0700; the database, its WAL and SHM files are 0600
 * (SQLite gives the WAL and SHM the main file's mode; existing files are tightened at start).
 */
function restrictFiles(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch {
      // Not there yet: SQLite creates it with the main file's mode.
    }
  }
}

export function openDatabase(file: string): { db: Db; sqlite: Database.Database } {
  restrictFiles(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema, logger: config().CONSOLE_LOG_SQL });
  return { db, sqlite };
}

const migrationsFolder = () => path.join(process.cwd(), "db", "migrations");

export function runMigrations(db: Db) {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

// One connection per process, kept on globalThis so dev reloads do not open new ones.
const holder = globalThis as unknown as { __consoleDb?: { db: Db; sqlite: Database.Database } };

export function getDb(): Db {
  if (!holder.__consoleDb) {
    const opened = openDatabase(config().databaseFile);
    runMigrations(opened.db);
    holder.__consoleDb = opened;
  }
  return holder.__consoleDb.db;
}

export function sqliteHandle(): Database.Database {
  getDb();
  return holder.__consoleDb!.sqlite;
}
