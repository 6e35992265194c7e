import "server-only";
import { database, type DatabaseHandle, type Db } from "./client";
import { currentScope } from "./handle";

/** What a select built with `sql.placeholder(…)` values offers on drizzle's asynchronous SQLite builder. */
interface Preparable<R> {
  prepare(): { all(placeholders?: Record<string, unknown>): Promise<R[]> };
}

/**
 * A statement a hot path runs on every request, built once per database: drizzle builds its SQL
 * once, and the engine compiles it once (SQLite's statement cache; a named prepared statement on
 * each PostgreSQL connection). Keyed by the database, so one opened later (tests, a restore) gets
 * statements of its own instead of ones bound to a closed connection.
 *
 *   const byId = prepared("connection_by_id", (db) =>
 *     db.select({ … }).from(t).where(eq(t.id, sql.placeholder("id"))));
 *   await byId.first({ id });
 */
export function prepared<R>(name: string, build: (db: Db) => Preparable<R>) {
  const built = new WeakMap<DatabaseHandle | Db, (values: Record<string, unknown>) => Promise<R[]>>();
  const runner = (handle: DatabaseHandle) => {
    // Inside tx() the statement joins the transaction, as getDb() does. SQLite's one connection
    // already runs it there; on PostgreSQL the pool's statement would run on another connection,
    // outside the transaction: blind to its writes and waiting on its row locks. So there it is
    // built on the transaction's handle, once per transaction.
    const scope = handle.engine === "postgres" ? currentScope(handle) : undefined;
    const key = scope?.handle ?? handle;
    let run = built.get(key);
    if (!run) {
      const query = build(scope?.handle ?? handle.db);
      if (handle.engine === "postgres") {
        // The same builder on PostgreSQL names its statement and runs it with execute().
        const statement = (query as unknown as { prepare(name: string): { execute(v: Record<string, unknown>): Promise<R[]> } }).prepare(name);
        run = (values) => statement.execute(values);
      } else {
        const statement = query.prepare();
        run = (values) => statement.all(values);
      }
      built.set(key, run);
    }
    return run;
  };
  return {
    all: (values: Record<string, unknown>, handle: DatabaseHandle = database()) => runner(handle)(values),
    first: async (values: Record<string, unknown>, handle: DatabaseHandle = database()): Promise<R | undefined> => (await runner(handle)(values))[0],
  };
}
