// `npm run db:migrate`: applies the committed migrations to the configured database (the SQLite
// file, or PostgreSQL when CONSOLE_DATABASE_URL is set), as the console does when it starts.
import fs from "node:fs";

// Same files `next start` reads, so the command migrates the database the console uses.
for (const file of [".env.local", ".env"]) if (fs.existsSync(file)) process.loadEnvFile(file);

const { closeDatabase, database, databaseReady } = await import("./client");
const { errorText } = await import("./errors");
try {
  await databaseReady();
  const { engine, where } = database();
  console.log(`[db] migrations applied to ${engine === "sqlite" ? "SQLite" : "PostgreSQL"} ${where}`);
} catch (e) {
  console.error(`[db] ${errorText(e)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
