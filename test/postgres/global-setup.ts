/**
 * Vitest global set-up for the PostgreSQL pass: one template database, migrated once, that each
 * test file's own database is copied from (CREATE DATABASE … TEMPLATE is far quicker than
 * migrating every time).
 */
import pg from "pg";
import { adminUrl, databaseUrl, onPostgres, TEMPLATE_DATABASE } from "../engine";

export default async function setup() {
  if (!onPostgres) return;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  // The console's own migration path, as `npm run db:migrate` runs it.
  const { openPostgres } = await import("../../db/postgres");
  const handle = openPostgres(databaseUrl(TEMPLATE_DATABASE), { poolMax: 2 });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
}
