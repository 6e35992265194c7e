import { defineConfig } from "drizzle-kit";

// PostgreSQL (CONSOLE_DATABASE_URL); see drizzle.config.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema-pg.ts",
  out: "./db/migrations/postgres",
  migrations: { schema: "public" },
});
