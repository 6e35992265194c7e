/**
 * Which database the console runs on: PostgreSQL when CONSOLE_DATABASE_URL is set, else the
 * embedded SQLite file. Read straight from the environment (not through lib/config) because the
 * schema module picks its tables when it is first imported; lib/config validates the URL itself.
 */
export type Engine = "sqlite" | "postgres";

export const engineOf = (env: Record<string, string | undefined> = process.env): Engine =>
  env.CONSOLE_DATABASE_URL?.trim() ? "postgres" : "sqlite";
