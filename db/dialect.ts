import { sql, type AnyColumn, type SQL, type SQLWrapper } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { engineOf } from "./engine";
import type { Db } from "./handle";
import { PG_NOW_MS } from "./pg-columns";

/**
 * Where the SQL of the two engines must differ, this module says how; lib/ never asks which
 * engine it runs on. Everything else is written once: times are integer milliseconds on both,
 * booleans compare with true/false, row values and CASE work alike.
 */
const postgres = () => engineOf() === "postgres";

type Operand = SQLWrapper | AnyColumn;

/** The database's clock in whole milliseconds. */
export const nowMs = (): SQL<number> => (postgres() ? sql<number>`${PG_NOW_MS}` : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`);

/** The larger of two non-null values (SQLite's two-argument max(); PostgreSQL's greatest() would skip a null). */
export const greatest = (a: Operand | unknown, b: Operand | unknown): SQL => (postgres() ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`);

/** The smaller of two non-null values (SQLite's two-argument min(), PostgreSQL's least()). */
export const least = (a: Operand | unknown, b: Operand | unknown): SQL => (postgres() ? sql`least(${a}, ${b})` : sql`min(${a}, ${b})`);

/**
 * Ends a `select … for` a claim: on PostgreSQL the rows it picks are locked and rows another
 * transaction holds are skipped (`for update of <table> skip locked`), so claimers running at
 * once take different rows. SQLite runs one writer at a time and needs nothing.
 */
export const skipLocked = (table: SQLiteTable): SQL => (postgres() ? sql`for update of ${table} skip locked` : sql``);

/** A top-level string field of a JSON text column, or null. */
export const jsonField = (column: Operand, field: string): SQL<string | null> => {
  if (!/^\w+$/.test(field)) throw new Error(`not a plain JSON field name: ${field}`);
  return postgres() ? sql<string | null>`(${column}::json ->> ${sql.raw(`'${field}'`)})` : sql<string | null>`json_extract(${column}, ${sql.raw(`'$.${field}'`)})`;
};

/** Case-insensitive `like` with `\` as the escape character (SQLite's like already ignores ASCII case). */
export const likeCaseless = (column: Operand, pattern: string): SQL =>
  postgres() ? sql`${column} ilike ${pattern} escape '\\'` : sql`${column} like ${pattern} escape '\\'`;

/** A text column for sorting without regard to case; each engine's index on connection names matches it. */
export const caseless = (column: Operand): SQL => (postgres() ? sql`lower(${column})` : sql`${column} collate nocase`);

/**
 * Inside a transaction: locks the rows `where` selects until it ends, so a rule checked on them
 * (the last active admin) holds against a concurrent writer. SQLite's write transaction already
 * excludes every other writer; PostgreSQL under READ COMMITTED needs the rows locked.
 */
export async function lockRows(
  db: Db,
  table: SQLiteTable,
  where: SQL | undefined,
  opts: {
    /** "key share": only keeps the rows from being deleted or their key changed (what a foreign key takes). */
    strength?: "update" | "key share";
    /** Rows lock in this order: two transactions that lock overlapping rows in one order cannot deadlock. */
    orderBy?: SQL | SQLiteColumn;
  } = {},
): Promise<void> {
  if (!postgres()) return;
  const query = db.select({ one: sql`1` }).from(table).where(where);
  const ordered = opts.orderBy ? query.orderBy(opts.orderBy) : query;
  await (ordered as unknown as { for(strength: "update" | "key share"): Promise<unknown> }).for(opts.strength ?? "update");
}

/**
 * Inside a transaction: keeps every other writer out of `table` until it ends, for a rule about
 * rows that may not exist yet (the first user). SQLite's write transaction already does.
 */
export async function lockTable(db: Db, table: SQLiteTable): Promise<void> {
  if (!postgres()) return;
  await execute(db, sql`lock table ${table} in exclusive mode`);
}

/** Runs a statement that returns nothing (drizzle names this `run` on SQLite, `execute` on PostgreSQL). */
export async function execute(db: Db, statement: SQL): Promise<void> {
  if (postgres()) await (db as unknown as { execute(q: SQL): Promise<unknown> }).execute(statement);
  else await db.run(statement);
}

/**
 * A `like` pattern matching `word` anywhere, its own `%`, `_` and `\` taken literally. A control
 * character throws: SQLite's like stops reading the pattern at a NUL (everything matches) and
 * PostgreSQL refuses one, so search input is split on them first (lib/search-words.ts).
 */
export const containsPattern = (word: string) => {
  if (/[\u0000-\u001F\u007F-\u009F]/.test(word)) throw new Error("a like pattern may not contain control characters");
  return `%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
};

/**
 * `column in (subquery)`, in the form each planner reads from an index: PostgreSQL walks an index
 * for `= any(array(subquery))` (a list it knows in advance), where a plain `in (subquery)` inside
 * an OR makes it read the whole table; SQLite does well with the plain form.
 */
export const inSubquery = (column: Operand, subquery: SQL): SQL =>
  postgres() ? sql`${column} = any(array(${subquery}))` : sql`${column} in (${subquery})`;

/**
 * Work that reads and writes at once, done in one statement where the engine can (`together`:
 * PostgreSQL's data-modifying CTEs, which save round trips to a server process) and as separate
 * statements where it cannot (`apart`: SQLite, whose statements are function calls in this
 * process). Both must answer the same, and tests run both.
 */
export function oneTrip<T>(together: () => Promise<T>, apart: () => Promise<T>): Promise<T> {
  return postgres() ? together() : apart();
}

/**
 * Audit events whose `search_text` holds every word (each of 3+ characters, no control
 * characters: lib/audit/filters.ts auditSearchTerms), in the form each engine's index serves:
 * SQLite's FTS5 trigram table `audit_search` (a quoted string per word, all of them required),
 * PostgreSQL's trigram GIN index `audit_events_search` (one `ilike` per word). Both match
 * substrings regardless of ASCII case. The tables are made by the audit_search migration.
 */
export function auditTextMatch(id: Operand, searchText: Operand, words: string[]): SQL {
  if (words.length === 0) throw new Error("a text search needs at least one word");
  if (postgres()) return sql.join(words.map((w) => sql`${searchText} ilike ${containsPattern(w)} escape '\\'`), sql` and `);
  for (const w of words) containsPattern(w);
  const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(" ");
  return sql`${id} in (select rowid from audit_search where audit_search match ${match})`;
}
