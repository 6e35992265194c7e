import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Points the console at a fresh SQLite file for one test file. Call before importing any module
 * that reads the configuration (it is parsed once and cached), e.g. with `await import()`.
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
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
