import "server-only";
import { config } from "@/lib/config";
import { unreachableMessage } from "./errors";
import { currentScope, type DatabaseHandle, type Db } from "./handle";
export { detached } from "./handle";
import { describePostgresUrl, openPostgres } from "./postgres";
import { migrateNow, openSqlite } from "./sqlite";

export type { DatabaseHandle, Db } from "./handle";
/** The handle inside `tx(…)`: the same type, so functions that may join a transaction take a `Db`. */
export type Tx = Db;

// One database per process, kept on globalThis so dev reloads and route bundles share it.
const holder = globalThis as unknown as { __consoleDb?: DatabaseHandle; __consoleDbReady?: Promise<void> };

/** Opens the database the configuration names, without registering it as the console's. */
export function openConfiguredDatabase(opts: { applicationName?: string } = {}): DatabaseHandle {
  const cfg = config();
  return cfg.CONSOLE_DATABASE_URL
    ? openPostgres(cfg.CONSOLE_DATABASE_URL, { poolMax: cfg.CONSOLE_DATABASE_POOL_MAX, logSql: cfg.CONSOLE_LOG_SQL, ...opts })
    : openSqlite(cfg.databaseFile, { logSql: cfg.CONSOLE_LOG_SQL });
}

/**
 * The console's database. SQLite is migrated when first opened; PostgreSQL by `databaseReady()`,
 * which start-up (and every script and test) awaits before the first query.
 */
export function database(): DatabaseHandle {
  if (!holder.__consoleDb) {
    const opened = openConfiguredDatabase();
    if (opened.engine === "sqlite") migrateNow(opened as Parameters<typeof migrateNow>[0]);
    holder.__consoleDb = opened;
  }
  return holder.__consoleDb;
}

/** The query builder: the open transaction's when called inside `tx()`, else the database's. */
export function getDb(): Db {
  const handle = database();
  return currentScope(handle)?.handle ?? handle.db;
}

/**
 * Runs `fn` in one transaction on either engine; inside one already, it joins it. The body holds
 * database statements only: never await Zoho, a webhook, a file or a timer in it (on SQLite
 * every other query waits for it, on PostgreSQL it pins a pooled connection).
 */
export function tx<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  const handle = database();
  const scope = currentScope(handle);
  return scope ? fn(scope.handle) : handle.transaction(fn);
}

/** Opens the database, checks it answers and applies pending migrations; once per process. */
export function databaseReady(): Promise<void> {
  holder.__consoleDbReady ??= (async () => {
    const handle = database();
    try {
      await handle.query("select 1");
    } catch (e) {
      throw new Error(unreachableMessage(handle.engine, handle.where, e));
    }
    await handle.migrate();
  })().catch((e) => {
    holder.__consoleDbReady = undefined;
    throw e;
  });
  return holder.__consoleDbReady;
}

/** Closes the console's database (tests, scripts); the next `getDb()` opens it again. */
export async function closeDatabase() {
  const handle = holder.__consoleDb;
  holder.__consoleDb = undefined;
  holder.__consoleDbReady = undefined;
  await handle?.close();
}

export { describePostgresUrl };
