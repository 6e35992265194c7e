/**
 * Which engine the unit tests run on: SQLite by default; PostgreSQL when CONSOLE_TEST_ENGINE is
 * `postgres` (npm run test:unit:postgres), with the server at CONSOLE_TEST_POSTGRES_URL (the
 * throw-away cluster scripts/with-postgres.ts starts, or a developer's own).
 */
export type TestEngine = "sqlite" | "postgres";

export const testEngine: TestEngine = process.env.CONSOLE_TEST_ENGINE === "postgres" ? "postgres" : "sqlite";

export const onPostgres = testEngine === "postgres";

/**
 * Every database of one run is named `t_<run>_…` (the run's id comes from the global set-up), so
 * two runs on one server never touch each other's, and the run drops its own at the end.
 */
export const runPrefix = () => `t_${process.env.CONSOLE_TEST_RUN ?? process.pid}_`;

/** The database every test file's own database is copied from: migrated once per run. */
export const templateDatabase = () => `${runPrefix()}template`;

export function adminUrl(): string {
  const url = process.env.CONSOLE_TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "CONSOLE_TEST_ENGINE=postgres needs CONSOLE_TEST_POSTGRES_URL: run the tests through `npm run test:unit:postgres` (it starts a throw-away cluster), or set it to a server you own.",
    );
  }
  return url;
}

/** The URL of `database` on the test server. */
export function databaseUrl(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}
