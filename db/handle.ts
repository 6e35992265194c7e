import { AsyncLocalStorage } from "node:async_hooks";
import type { SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type { Engine } from "./engine";
import type * as schema from "./schema-sqlite";

/**
 * The one query-builder type lib/ sees, on either engine: drizzle's asynchronous SQLite database.
 * On PostgreSQL the object is drizzle's node-postgres database over the PostgreSQL tables; the
 * builder calls lib/ makes (select, insert, update, delete, returning, onConflictDoUpdate) are
 * the same on both, and lint keeps out what is not (`.get()`, `.all()`, `.run()`).
 */
export type Db = SqliteRemoteDatabase<typeof schema>;

/** One open database: the console's own (`getDb()`), or one a script or test opened. */
export interface DatabaseHandle {
  readonly engine: Engine;
  readonly db: Db;
  /** Where it is, for messages and health: a file, or host:port/database (never a password). */
  readonly where: string;
  /** Runs `fn` in one transaction; queries it makes through `getDb()` or its argument join it. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Applies the committed migrations of this engine (one instance at a time on PostgreSQL). */
  migrate(): Promise<void>;
  /** How many migrations are applied: what health reports. */
  migrationCount(): Promise<number>;
  /** Plain SQL in this engine's own dialect, for db/ tools and tests; rows as objects. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** The transaction a piece of code runs inside, if any: `getDb()` answers with its handle. */
export interface TxScope {
  owner: DatabaseHandle;
  handle: Db;
  /** False once the transaction ended: a straggling promise started inside it then goes outside. */
  open: boolean;
}

// One for the whole process, like the database itself: Next.js may load this module once per
// route bundle, and a transaction opened through one copy must be seen by code using another.
const holder = globalThis as unknown as { __consoleTxScope?: AsyncLocalStorage<TxScope> };
export const txScope = (holder.__consoleTxScope ??= new AsyncLocalStorage<TxScope>());

/** The open transaction of `owner` this code runs inside, if any. */
export function currentScope(owner?: DatabaseHandle): TxScope | undefined {
  const scope = txScope.getStore();
  return scope?.open && (!owner || scope.owner === owner) ? scope : undefined;
}
