/**
 * Vitest set-up file for the PostgreSQL pass: before a test file's own imports run, it gets a
 * database of its own, copied from the migrated template, and CONSOLE_DATABASE_URL names it, so
 * the schema module picks the PostgreSQL tables from the first import on.
 */
import pg from "pg";
import { adminUrl, databaseUrl, onPostgres, runPrefix, templateDatabase } from "../engine";

let counter = 0;

/** A new database copied from the migrated template (or, with `empty`, without any table); returns its URL. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<string> {
  const name = `${runPrefix()}${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${opts.empty ? "template0" : templateDatabase()}`);
  } finally {
    await admin.end();
  }
  return databaseUrl(name);
}

if (onPostgres) process.env.CONSOLE_DATABASE_URL = await createTestDatabase();
