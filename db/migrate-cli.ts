// `npm run db:migrate`: applies the committed migrations to the configured database file.
import { parseConfig } from "../lib/config";
import { openDatabase, runMigrations } from "./client";

const cfg = parseConfig(process.env);
const { db, sqlite } = openDatabase(cfg.databaseFile);
runMigrations(db);
sqlite.close();
console.log(`[db] migrations applied to ${cfg.CONSOLE_DATABASE_FILE}`);
