import { createHash } from "node:crypto";
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
  transaction<T>(fn: (tx: Db) => Promise<T>, opts?: TxOptions): Promise<T>;
  /** Applies the committed migrations of this engine (one instance at a time on PostgreSQL). */
  migrate(): Promise<void>;
  /** How many migrations are applied: what health reports. */
  migrationCount(): Promise<number>;
  /**
   * Plain SQL in this engine's own dialect, for db/ tools and tests; rows as objects. It runs on
   * the database, not in a transaction this code may be inside (on PostgreSQL another pooled
   * connection): use the query builder inside `tx()`.
   */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
  /**
   * Runs `fn` while no other holder of `name` runs — in any process of this database on
   * PostgreSQL (a session advisory lock on a connection of its own), in this process on SQLite
   * (whose file serves one console instance). With `wait: false` it answers `{ ran: false }` at
   * once when another holds `name`, without running `fn`.
   */
  exclusive<T>(name: string, fn: () => Promise<T>, opts?: { wait?: boolean }): Promise<{ ran: true; value: T } | { ran: false }>;
}

export interface TxOptions {
  /**
   * Every read sees one snapshot of the database (a copy or a report that reads table after
   * table). SQLite's write transaction is one already; PostgreSQL runs REPEATABLE READ, read only.
   */
  snapshot?: boolean;
}

/** The transaction a piece of code runs inside, if any: `getDb()` answers with its handle. */
export interface TxScope {
  owner: DatabaseHandle;
  handle: Db;
  /** False once the transaction ended: a straggling promise started inside it then goes outside. */
  open: boolean;
  /** A transaction of another database this one was opened inside (db:copy reads one, writes the other). */
  parent?: TxScope;
}

// One for the whole process, like the database itself: Next.js may load this module once per
// route bundle, and a transaction opened through one copy must be seen by code using another.
const holder = globalThis as unknown as { __consoleTxScope?: AsyncLocalStorage<TxScope> };
export const txScope = (holder.__consoleTxScope ??= new AsyncLocalStorage<TxScope>());

/** The open transaction of `owner` this code runs inside, if any. */
export function currentScope(owner?: DatabaseHandle): TxScope | undefined {
  for (let scope = txScope.getStore(); scope; scope = scope.parent) {
    if (scope.open && (!owner || scope.owner === owner)) return scope;
  }
  return undefined;
}

/** A new transaction's scope, inside whatever transactions of other databases are open. */
export const newScope = (owner: DatabaseHandle, handle: Db): TxScope => ({ owner, handle, open: true, parent: txScope.getStore() });

/**
 * Runs `fn` outside any transaction this code is inside: for work that outlives the caller (a
 * timer, a background job), which would otherwise join — and roll back with — that transaction.
 */
export const detached = <T>(fn: () => T): T => txScope.exit(fn);

/**
 * Opening, migrating or closing a database, or a transaction of it, from inside its own
 * transaction would wait for that transaction to end: forever. Said at once instead.
 */
export function refuseInside(owner: DatabaseHandle, what: string) {
  if (currentScope(owner)) throw new Error(`${what} was called inside a transaction of the same database: it would wait for itself`);
}

/** Advisory locks of this console live under one first key, apart from any other application's. */
const ADVISORY_NAMESPACE = 0x5a4f43; // "ZOC"

/** The two 32-bit keys of a session advisory lock (PostgreSQL) for a named job of this console. */
export function advisoryKeys(name: string): [number, number] {
  return [ADVISORY_NAMESPACE, createHash("sha256").update(name).digest().readInt32BE(0)];
}

/** Named locks inside one process: `exclusive()` on SQLite. */
export function processExclusive() {
  const held = new Map<string, Promise<void>>();
  return async function exclusive<T>(name: string, fn: () => Promise<T>, opts: { wait?: boolean } = {}): Promise<{ ran: true; value: T } | { ran: false }> {
    for (let current = held.get(name); current; current = held.get(name)) {
      if (opts.wait === false) return { ran: false };
      await current;
    }
    let done!: () => void;
    held.set(name, new Promise<void>((r) => (done = r)));
    try {
      return { ran: true, value: await fn() };
    } finally {
      held.delete(name);
      done();
    }
  };
}
