import { defineConfig } from "vitest/config";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React Server Components; unit tests run lib/ directly.
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".next-*/**", ".data/**"],
    environment: "node",
    // On the PostgreSQL pass (CONSOLE_TEST_ENGINE=postgres) every test file gets a database of
    // its own, copied from one migrated template; on SQLite both are no-ops.
    globalSetup: ["test/postgres/global-setup.ts"],
    setupFiles: ["test/postgres/file-database.ts"],
    // The console's JSON log stays out of the test report; tests that read it raise the level.
    env: { LOG_LEVEL: "silent" },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
