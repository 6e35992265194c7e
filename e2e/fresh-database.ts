// Run by playwright.config.ts before `next start` on PostgreSQL: `tsx e2e/fresh-database.ts <name>`
// drops the e2e database (even if a console killed at the end of the last run still holds
// connections) and creates it empty; the console migrates it at start. The admin URL comes
// from CONSOLE_TEST_POSTGRES_URL rather than the command line, where `ps` would show a password.
// It lives in e2e/ because scripts/ may not touch a database driver (eslint.config.mjs).
import pg from "pg";

async function main() {
  const name = process.argv[2];
  const admin = process.env.CONSOLE_TEST_POSTGRES_URL;
  if (!name || !/^[a-z_][a-z0-9_]*$/.test(name) || !admin) {
    console.error("usage: CONSOLE_TEST_POSTGRES_URL=postgres://… tsx e2e/fresh-database.ts <database name>");
    process.exit(2);
  }
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
    await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(`[e2e] could not create a fresh database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
