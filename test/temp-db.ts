import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Points the console at a fresh database for one test file: a new SQLite file, or on the
 * PostgreSQL pass the test file's own database (made by test/postgres/file-database.ts). Call it
 * before importing any module that reads the configuration (it is parsed once and cached), e.g.
 * with `await import()`. `dir` is a temporary folder for the file's other files.
 */
export function setupTempDatabase(extraEnv: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "console-test-"));
  Object.assign(process.env, {
    CONSOLE_DATABASE_FILE: path.join(dir, "console.db"),
    ENCRYPTION_KEY: "test:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
    ...extraEnv,
  });
  delete (globalThis as { __consoleDb?: unknown }).__consoleDb;
  delete (globalThis as { __consoleDbReady?: unknown }).__consoleDbReady;
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
