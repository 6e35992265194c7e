// Ports, URLs and the database engine the e2e suite runs on; playwright.config.ts starts both
// servers with them, and specs that read the console's database directly find it here.
/**
 * `E2E_ENGINE=postgres` runs the console on a fresh database on the server that
 * CONSOLE_TEST_POSTGRES_URL (an admin URL, as `scripts/with-postgres.ts` provides) points at;
 * unset, on a fresh SQLite file. One production build serves both passes, and the PostgreSQL
 * pass has ports of its own (3200 and 4210 unless E2E_CONSOLE_PORT and E2E_SANDBOX_PORT say),
 * so `npm run test:e2e` runs the two passes side by side.
 */
export const E2E_ENGINE = engine(process.env.E2E_ENGINE);
const portOffset = E2E_ENGINE === "postgres" ? 100 : 0;
export const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 3100 + portOffset);
export const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4110 + portOffset);
export const CONSOLE_URL = `http://localhost:${CONSOLE_PORT}`;
/**
 * Console instances behind CONSOLE_URL: on PostgreSQL two (E2E_INSTANCES says otherwise), on the
 * ports after CONSOLE_PORT, with a round-robin front (e2e/round-robin.ts) on CONSOLE_PORT; on
 * SQLite one, on CONSOLE_PORT itself.
 */
export const E2E_INSTANCES = Number(process.env.E2E_INSTANCES ?? (E2E_ENGINE === "postgres" ? 2 : 1));
export const INSTANCE_PORTS = E2E_INSTANCES > 1 ? Array.from({ length: E2E_INSTANCES }, (_, n) => CONSOLE_PORT + 1 + n) : [CONSOLE_PORT];
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
/** Rebuilt at every run; with PostgreSQL it holds only the signed-in state, not the database. */
export const E2E_DATA = `.data/e2e-${CONSOLE_PORT}`;
export const ADMIN_STATE = `${E2E_DATA}/admin-state.json`;

export const E2E_DATABASE_FILE = `${E2E_DATA}/console.db`;
// Named by port, like the data folder, so two checkouts sharing one server do not collide.
export const E2E_DATABASE_NAME = `e2e_${CONSOLE_PORT}`;
/** The URL the console (and the specs' direct reads) use on PostgreSQL; undefined on SQLite. */
export const E2E_DATABASE_URL = E2E_ENGINE === "postgres" ? databaseUrl(process.env.CONSOLE_TEST_POSTGRES_URL) : undefined;

function engine(value: string | undefined): "sqlite" | "postgres" {
  if (!value || value === "sqlite") return "sqlite";
  if (value === "postgres") return value;
  throw new Error(`E2E_ENGINE=${value}: use "postgres", or leave it unset for SQLite`);
}

function databaseUrl(admin: string | undefined): string {
  if (!admin) {
    throw new Error(
      "E2E_ENGINE=postgres needs CONSOLE_TEST_POSTGRES_URL (an admin URL); " +
        "run `E2E_ENGINE=postgres npx tsx scripts/with-postgres.ts -- npx playwright test`",
    );
  }
  const url = new URL(admin);
  url.pathname = `/${E2E_DATABASE_NAME}`;
  return url.toString();
}
