import path from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { errorText } from "./errors";
import { advisoryKeys, newScope, refuseInside, txScope, type DatabaseHandle, type Db, type TxOptions } from "./handle";
import * as schema from "./schema-pg";

export const POSTGRES_MIGRATIONS = path.join("db", "migrations", "postgres");

/**
 * bigint (counts, sums, millisecond times) and numeric (sums of bigint) arrive as strings from
 * node-postgres; every value the console keeps in them is a whole number far below 2^53, so they
 * are read as numbers, as SQLite gives them. Scoped to this pool, not set globally.
 */
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Migrations of several instances starting at once run one at a time under this lock. */
const MIGRATION_LOCK = 7_246_001;

/** host:port/database as user: what a message may say of a URL (never its password). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || "(default database)";
    const user = u.username ? ` as ${decodeURIComponent(u.username)}` : "";
    return `${u.hostname || "localhost"}:${u.port || "5432"}/${database}${user}`;
  } catch {
    return "(an unreadable URL)";
  }
}

/** SQLSTATEs worth one more try of the whole transaction: serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);
const sqlState = (e: unknown): string | undefined => {
  for (let err = e as { code?: unknown; cause?: unknown } | undefined; err; err = err.cause as typeof err) {
    if (typeof err.code === "string" && /^[0-9A-Z]{5}$/.test(err.code)) return err.code;
  }
  return undefined;
};

export interface PostgresHandle extends DatabaseHandle {
  readonly engine: "postgres";
  readonly pool: pg.Pool;
  /** Transactions run again after a serialization failure or deadlock: few, or locks are taken in a bad order. */
  readonly retries: number;
}

export function openPostgres(url: string, opts: { poolMax?: number; logSql?: boolean; applicationName?: string } = {}): PostgresHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    types,
    application_name: opts.applicationName ?? "zoho-oauth-console",
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A transaction left open (a body that awaits something it should not) frees its connection
    // and row locks after a minute instead of pinning them for good.
    idle_in_transaction_session_timeout: 60_000,
  });
  // A connection the server dropped (a restart, pg_terminate_backend) must not take the process
  // down: idle in the pool (the pool's "error") or checked out by a transaction or a lock holder
  // waiting between statements (the client's own "error"). The statement it runs next fails, and
  // the pool discards the connection when it is released.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const pgDb = drizzle(pool, { schema, logger: opts.logSql });
  const db = pgDb as unknown as Db;
  const where = describePostgresUrl(url);

  let retries = 0;
  const handle: PostgresHandle = {
    engine: "postgres",
    db,
    pool,
    where,
    get retries() {
      return retries;
    },
    // A serialization failure or deadlock runs the whole body again: it must hold database
    // statements only (the rule for every transaction), so running it twice changes nothing else.
    async transaction<T>(fn: (tx: Db) => Promise<T>, opts: TxOptions = {}): Promise<T> {
      refuseInside(handle, "transaction()");
      const config = opts.snapshot ? ({ isolationLevel: "repeatable read", accessMode: "read only" } as const) : undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          return await pgDb.transaction(async (tx) => {
            const scope = newScope(handle, tx as unknown as Db);
            try {
              return await txScope.run(scope, () => fn(scope.handle));
            } finally {
              scope.open = false;
            }
          }, config);
        } catch (e) {
          if (attempt >= 3 || !RETRYABLE.has(sqlState(e) ?? "")) throw e;
          retries += 1;
        }
      }
    },
    async migrate() {
      refuseInside(handle, "migrate()");
      // A client of its own holds the lock; the migrations run on the pool meanwhile.
      const lock = new pg.Client({ connectionString: url, application_name: "zoho-oauth-console migrate" });
      lock.on("error", () => undefined); // a dropped connection fails the migration, not the process
      await lock.connect();
      try {
        await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
        await migrate(pgDb, { migrationsFolder: path.join(process.cwd(), POSTGRES_MIGRATIONS), migrationsSchema: "public" });
      } catch (e) {
        const text = errorText(e);
        const hint = /permission denied/i.test(text)
          ? ` The console's role (${where}) must own the database or have CREATE on it and on schema public: e.g. \`createdb -O <role> <database>\`.`
          : "";
        throw new Error(`migrating PostgreSQL at ${where} failed: ${text}.${hint}`);
      } finally {
        await lock.end().catch(() => undefined);
      }
    },
    async migrationCount() {
      const [row] = await handle.query<{ n: number }>("select count(*) as n from public.__drizzle_migrations");
      return row.n;
    },
    async query<R>(text: string, params: unknown[] = []): Promise<R[]> {
      const result = await pool.query(text, params);
      return result.rows as R[];
    },
    async exclusive(name, fn, opts = {}) {
      // A connection of its own holds the lock for as long as `fn` runs: `fn` queries through the pool.
      const [space, key] = advisoryKeys(name);
      const holder = await pool.connect();
      try {
        if (opts.wait === false) {
          const { rows } = await holder.query<{ got: boolean }>("select pg_try_advisory_lock($1, $2) as got", [space, key]);
          if (!rows[0].got) return { ran: false };
        } else {
          await holder.query("select pg_advisory_lock($1, $2)", [space, key]);
        }
        try {
          return { ran: true, value: await fn() };
        } finally {
          await holder.query("select pg_advisory_unlock($1, $2)", [space, key]);
        }
      } finally {
        holder.release();
      }
    },
    async close() {
      refuseInside(handle, "close()");
      await pool.end();
    },
  };
  return handle;
}

export { sqlState };
