import { defineConfig } from "drizzle-kit";

// SQLite, the embedded default. `npm run db:generate` runs this and drizzle.pg.config.ts, so a
// schema change lands in both engines' migration folders (db/schema-parity.test.ts keeps the two
// schemas equal).
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema-sqlite.ts",
  out: "./db/migrations/sqlite",
  dbCredentials: { url: process.env.CONSOLE_DATABASE_FILE ?? ".data/console.db" },
});
