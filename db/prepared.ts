import "server-only";
import { getDb, type Db } from "./client";

/**
 * Statements a hot path runs on every request, built once per database handle: drizzle builds
 * the SQL and better-sqlite3 compiles it on the first use, and later calls only bind values.
 * Keyed by the handle, so a database opened later (tests, a restore) gets statements of its own
 * instead of ones bound to a closed connection.
 *
 *   const statements = perDatabase((db) => ({
 *     byId: db.select({ … }).from(t).where(eq(t.id, sql.placeholder("id"))).prepare(),
 *   }));
 *   statements().byId.get({ id });
 */
export function perDatabase<T>(build: (db: Db) => T): (db?: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db = getDb()) => {
    let statements = built.get(db);
    if (!statements) {
      statements = build(db);
      built.set(db, statements);
    }
    return statements;
  };
}
