/**
 * Vitest global set-up for the PostgreSQL pass: one template database, migrated once, that each
 * test file's own database is copied from (CREATE DATABASE … TEMPLATE is far quicker than
 * migrating every time); at the end, every database of the run is dropped, so a server of one's
 * own (CONSOLE_TEST_POSTGRES_URL) does not fill up with them.
 */
import pg from "pg";
import { adminUrl, databaseUrl, onPostgres, runPrefix, templateDatabase } from "../engine";

async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export default async function setup() {
  if (!onPostgres) return;
  // Read by the test workers, which inherit this process's environment.
  process.env.CONSOLE_TEST_RUN = `${process.pid}${Date.now().toString(36)}`;
  await asAdmin((admin) => admin.query(`create database ${templateDatabase()}`));
  // The console's own migration path, as `npm run db:migrate` runs it.
  const { openPostgres } = await import("../../db/postgres");
  const handle = openPostgres(databaseUrl(templateDatabase()), { poolMax: 2 });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
  return async function teardown() {
    await asAdmin(async (admin) => {
      const { rows } = await admin.query<{ name: string }>("select datname as name from pg_database where starts_with(datname, $1)", [runPrefix()]);
      for (const { name } of rows) await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    });
  };
}
