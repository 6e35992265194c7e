/**
 * The two drizzle schemas describe one database: lib/ is typed against the SQLite one and runs
 * on either. Table by table they must agree — columns (name, type class, nullability, kind of
 * default, enum values), primary keys, indexes (columns, uniqueness, partial condition) and
 * foreign keys — so a change made to one and forgotten in the other fails here.
 */
import { getTableColumns, is, SQL, type Column } from "drizzle-orm";
import { getTableConfig as pgConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "./schema-pg";
import * as sqliteSchema from "./schema-sqlite";

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

const tablesOf = (mod: Record<string, unknown>, kind: typeof SQLiteTable | typeof PgTable) =>
  Object.fromEntries(Object.entries(mod).filter(([, v]) => is(v, kind))) as Record<string, SQLiteTable | PgTable>;

const sqliteTables = tablesOf(sqliteSchema, SQLiteTable) as Record<string, SQLiteTable>;
const pgTables = tablesOf(pgSchema, PgTable) as Record<string, PgTable>;

/** What a column holds, as lib/ sees it: the storage type may differ between engines. */
function typeClass(column: Column): string {
  switch (column.columnType) {
    case "SQLiteInteger":
    case "PgInteger":
    case "PgBigInt53":
      return "integer";
    case "SQLiteTimestamp":
      return "time";
    case "SQLiteBoolean":
    case "PgBoolean":
      return "boolean";
    case "SQLiteText":
    case "PgText":
      return "text";
    case "SQLiteTextJson":
      return "json";
    case "PgCustomColumn":
      // db/pg-columns.ts: msTime (bigint, read as Date) and jsonText (text, read as JSON).
      if (column.getSQLType() === "bigint" && column.mapFromDriverValue("0") instanceof Date) return "time";
      if (column.getSQLType() === "text") return "json";
      return `custom ${column.getSQLType()}`;
    default:
      return column.columnType;
  }
}

/** Both engines' spellings of "the database's clock in milliseconds", and of a case-insensitive name. */
const normaliseSql = (text: string) =>
  text
    .replace(/\(unixepoch\('subsec'\) \* 1000\)/g, "NOW_MS")
    .replace(/\(extract\(epoch from clock_timestamp\(\)\) \* 1000\)::bigint/g, "NOW_MS")
    .replace(/"(\w+)"/g, "$1")
    .replace(/^(?:\w+\.)?(\w+) collate nocase$/, "caseless($1)")
    .replace(/^lower\((?:\w+\.)?(\w+)\)$/, "caseless($1)");

const render = (value: unknown, engine: "sqlite" | "pg") =>
  is(value, SQL) ? normaliseSql((engine === "sqlite" ? sqliteDialect : pgDialect).sqlToQuery(value).sql) : JSON.stringify(value);

function columnsOf(table: SQLiteTable | PgTable, engine: "sqlite" | "pg") {
  return Object.values(getTableColumns(table)).map((c) => ({
    name: c.name,
    type: typeClass(c),
    notNull: c.notNull,
    primary: c.primary,
    enum: c.enumValues ?? null,
    default: c.hasDefault ? (c.default === undefined ? "generated" : render(c.default, engine)) : null,
  }));
}

function shapeOf(table: SQLiteTable | PgTable, engine: "sqlite" | "pg") {
  const config = engine === "sqlite" ? sqliteConfig(table as SQLiteTable) : pgConfig(table as PgTable);
  const columnName = (c: unknown) => (is(c, SQL) ? render(c, engine) : (c as { name: string }).name);
  return {
    name: config.name,
    columns: columnsOf(table, engine).map((c) => (c.primary && c.type === "integer" && c.default === "generated" ? { ...c, default: null } : c)),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        columns: i.config.columns.map(columnName),
        where: i.config.where ? render(i.config.where, engine) : null,
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          table: (engine === "sqlite" ? sqliteConfig(ref.foreignTable as SQLiteTable) : pgConfig(ref.foreignTable as PgTable)).name,
          foreignColumns: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? "no action",
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}

describe("the SQLite and PostgreSQL schemas", () => {
  it("have the same tables", () => {
    expect(Object.keys(pgTables).sort()).toEqual(Object.keys(sqliteTables).sort());
    expect(Object.keys(sqliteTables).length).toBeGreaterThanOrEqual(14);
  });

  for (const name of Object.keys(sqliteTables)) {
    it(`agree on ${name}`, () => {
      expect(pgTables[name], `${name} in schema-pg.ts`).toBeDefined();
      expect(shapeOf(pgTables[name], "pg")).toEqual(shapeOf(sqliteTables[name], "sqlite"));
    });
  }

  it("tell a difference when there is one", () => {
    // The comparison itself must be able to fail: a column of another class is a difference.
    const changed = { ...shapeOf(sqliteTables.users, "sqlite") };
    changed.columns = changed.columns.map((c) => (c.name === "session_version" ? { ...c, type: "text" } : c));
    expect(changed).not.toEqual(shapeOf(pgTables.users, "pg"));
    expect(shapeOf(pgTables.users, "pg").columns.find((c) => c.name === "created_at")).toMatchObject({ type: "time", default: "NOW_MS" });
  });
});
