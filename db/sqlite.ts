import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { currentScope, newScope, processExclusive, refuseInside, txScope, type DatabaseHandle, type Db, type TxOptions } from "./handle";
import * as schema from "./schema-sqlite";

export const SQLITE_MIGRATIONS = path.join("db", "migrations", "sqlite");

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

/** First come, first served; `locked` stays true while the lock passes from one holder to the next. */
class Mutex {
  locked = false;
  private waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.locked = false;
  }
}

type Method = "run" | "all" | "values" | "get";

/** Compiled statements by SQL text; the console runs a few hundred distinct ones. */
const STATEMENT_CACHE_SIZE = 1_000;

export interface SqliteHandle extends DatabaseHandle {
  readonly engine: "sqlite";
  /** The driver itself, for db/ tools (backup) and SQLite-only tests. */
  readonly sqlite: Database.Database;
}

/**
 * One better-sqlite3 connection (WAL) behind drizzle's asynchronous SQLite driver. A transaction
 * stays open across awaits, so every query from outside it waits until it ends (a mutex; the
 * queries inside it are told apart by their async context) and transactions never interleave.
 * Statements run synchronously once their turn comes, as better-sqlite3 runs them.
 */
export function openSqlite(file: string, opts: { logSql?: boolean } = {}): SqliteHandle {
  restrictFiles(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");

  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
      statement = sqlite.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const exec = (text: string, params: unknown[], method: Method): { rows: unknown[] } => {
    const statement = prepare(text);
    if (method === "run" || !statement.reader) {
      statement.run(params);
      return { rows: [] };
    }
    statement.raw(true);
    if (method === "get") return { rows: statement.get(params) as unknown[] };
    return { rows: statement.all(params) };
  };

  const lock = new Mutex();
  // eslint-disable-next-line prefer-const -- assigned below; the query function needs it first
  let handle: SqliteHandle;
  const run = async (text: string, params: unknown[], method: Method) => {
    // Inside this database's open transaction, or nobody's: run now, in this very tick.
    if (currentScope(handle) || !lock.locked) return exec(text, params, method);
    await lock.acquire();
    try {
      return exec(text, params, method);
    } finally {
      lock.release();
    }
  };
  const db = drizzle(run, { schema, logger: opts.logSql }) as Db;

  handle = {
    engine: "sqlite",
    db,
    sqlite,
    where: file,
    async transaction<T>(fn: (tx: Db) => Promise<T>, opts: TxOptions = {}): Promise<T> {
      refuseInside(handle, "transaction()");
      await lock.acquire();
      const scope = newScope(handle, db);
      try {
        return await txScope.run(scope, async () => {
          // IMMEDIATE takes the write lock now: no other process can slip in between a read and
          // the write that depends on it, and no upgrade deadlock can answer SQLITE_BUSY. A
          // snapshot only reads: a deferred transaction, which in WAL mode blocks no writer.
          sqlite.exec(opts.snapshot ? "BEGIN" : "BEGIN IMMEDIATE");
          try {
            const result = await fn(db);
            sqlite.exec("COMMIT");
            return result;
          } catch (e) {
            if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
            throw e;
          }
        });
      } finally {
        scope.open = false;
        lock.release();
      }
    },
    async migrate() {
      refuseInside(handle, "migrate()");
      await lock.acquire();
      try {
        migrateNow(handle);
      } finally {
        lock.release();
      }
    },
    async migrationCount() {
      const [row] = await handle.query<{ n: number }>("select count(*) as n from __drizzle_migrations");
      return row.n;
    },
    async query<R>(text: string, params: unknown[] = []): Promise<R[]> {
      const statement = sqlite.prepare(text);
      const read = () => (statement.reader ? (statement.all(params) as R[]) : (statement.run(params), []));
      if (currentScope(handle) || !lock.locked) return read();
      await lock.acquire();
      try {
        return read();
      } finally {
        lock.release();
      }
    },
    exclusive: processExclusive(),
    async close() {
      refuseInside(handle, "close()");
      await lock.acquire();
      try {
        if (sqlite.open) sqlite.close();
      } finally {
        lock.release();
      }
    },
  };
  return handle;
}

/** Applies the migrations at once, without waiting: for the first `getDb()` of a process. */
export function migrateNow(handle: SqliteHandle) {
  migrate(drizzleSync(handle.sqlite), { migrationsFolder: path.join(process.cwd(), SQLITE_MIGRATIONS) });
}
