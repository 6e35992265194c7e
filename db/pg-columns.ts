import { sql } from "drizzle-orm";
import { customType } from "drizzle-orm/pg-core";

// Column types that give PostgreSQL rows the JavaScript shapes the SQLite schema gives: lib/ is
// typed against one schema and must not care which engine answered.

/**
 * Times are integer milliseconds on both engines (bigint here), read as Date: one SQL text
 * compares, buckets and keysets them, and no time zone ever enters the database.
 */
export const msTime = customType<{ data: Date; driverData: number | string }>({
  dataType: () => "bigint",
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

/** JSON kept as text, as SQLite keeps it: the same `like` searches and the same bytes on both. */
export const jsonText = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => "text",
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => JSON.parse(value) as T,
  })(name);

/** The database's clock in milliseconds, as `unixepoch('subsec') * 1000` is on SQLite. */
export const PG_NOW_MS = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
