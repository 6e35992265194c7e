import { defineConfig, devices } from "@playwright/test";
import {
  CONSOLE_PORT,
  CONSOLE_URL,
  E2E_DATA,
  E2E_DATABASE_FILE,
  E2E_DATABASE_NAME,
  E2E_DATABASE_URL,
  E2E_ENGINE,
  E2E_INSTANCES,
  INSTANCE_PORTS,
  SANDBOX_PORT,
  SANDBOX_URL,
} from "./e2e/env";

// E2E_SKIP_SANDBOX=1 runs only the console, for specs that do not need Zoho.
const withSandbox = process.env.E2E_SKIP_SANDBOX !== "1";

// Debian's Chromium: browser downloads are not available here. Override with CHROMIUM_PATH.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// On PostgreSQL (E2E_ENGINE=postgres, see e2e/env.ts) the console gets an empty database of its
// own before it starts; it migrates it itself, as it creates the SQLite file itself.
const freshDatabase = E2E_ENGINE === "postgres" ? `npx tsx e2e/fresh-database.ts ${E2E_DATABASE_NAME} && ` : "";

// Several instances (the PostgreSQL pass) start together on the fresh database, each with its
// name, behind a round-robin front on CONSOLE_PORT; one instance serves CONSOLE_PORT itself.
const several = E2E_INSTANCES > 1;
const instances = INSTANCE_PORTS.map((port, n) => `CONSOLE_INSTANCE_NAME=e2e-${n + 1} npx next start -p ${port}`);
const startInstances = several ? `npx concurrently -k --raw ${instances.map((c) => JSON.stringify(c)).join(" ")}` : instances[0];

/**
 * Specs about the browser side alone (accessibility, the scope catalogue, layout polish, loading
 * states) behave the same whichever engine answers: the PostgreSQL pass, which exists to prove the
 * data layer and several instances, leaves them to the SQLite pass and keeps the suite's time.
 */
const ENGINE_INDEPENDENT = [/accessibility\.spec\.ts/, /scopes\.spec\.ts/, /ui-polish\.spec\.ts/, /loading-states\.spec\.ts/, /api-docs\.spec\.ts/, /charts-load\.spec\.ts/];

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  metadata: { engine: E2E_ENGINE },
  // One folder per pass: the two passes of `npm run test:e2e` run side by side.
  outputDir: `test-results/${E2E_ENGINE}-${CONSOLE_PORT}`,
  use: {
    baseURL: CONSOLE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  projects: [
    { name: "first-run", testMatch: /first-run\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      dependencies: ["first-run"],
      testIgnore: [/\.setup\.ts/, ...(E2E_ENGINE === "postgres" ? ENGINE_INDEPENDENT : [])],
    },
  ],
  webServer: [
    ...(withSandbox ? [{
      command: `rm -rf ${E2E_DATA}-sandbox && npx tsx sandbox/main.ts`,
      url: `${SANDBOX_URL}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        SANDBOX_PORT: String(SANDBOX_PORT),
        SANDBOX_HOST: "127.0.0.1",
        SANDBOX_STATE_FILE: `${E2E_DATA}-sandbox/state.json`,
        SANDBOX_CONSOLE_URL: CONSOLE_URL,
      },
    }] : []),
    {
      // A fresh database every run, so the first-run set-up is exercised for real.
      command: `rm -rf ${E2E_DATA} && mkdir -p ${E2E_DATA} && ${freshDatabase}${startInstances}`,
      url: `http://localhost:${INSTANCE_PORTS[0]}/api/health`,
      // E2E_CONSOLE_LOG=1 shows the console's JSON log lines, e.g. to see why a query failed on one engine.
      stdout: process.env.E2E_CONSOLE_LOG === "1" ? "pipe" : "ignore",
      reuseExistingServer: false,
      timeout: 120_000,
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        CONSOLE_DATABASE_FILE: E2E_DATABASE_FILE,
        // Empty means SQLite: a CONSOLE_DATABASE_URL in the caller's shell must not take the suite elsewhere.
        CONSOLE_DATABASE_URL: E2E_DATABASE_URL ?? "",
        CONSOLE_PUBLIC_URL: CONSOLE_URL,
        ZOHO_SANDBOX_URL: SANDBOX_URL,
        ZOHO_HTTP_TIMEOUT_MS: "5000",
        // Bulk actions stay paced, at a pace a spec can sit through.
        ZOHO_BULK_INTERVAL_MS: "200",
        // The e2e suite watches the background refresher act within seconds.
        CONSOLE_REFRESHER_INTERVAL_MS: "2000",
        // Sign-in guards: specs choose their address with X-Forwarded-For (one trusted hop, and
        // the round-robin front's own; without the header, the socket's address counts), and the
        // account wait is capped low so a spec can sit one out.
        TRUSTED_PROXY_HOPS: several ? "2" : "1",
        LOGIN_MAX_DELAY_SECONDS: "4",
        // The alerts spec's webhook and Slack receivers listen on this machine.
        CONSOLE_ALERTS_ALLOWED_HOSTS: "127.0.0.1",
        // Test-only keys; real deployments generate their own (see README).
        ENCRYPTION_KEY: "e2e:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        AUTH_SECRET: "e2e-auth-secret-0123456789abcdefghijklmnop",
        AUTH_URL: CONSOLE_URL,
      },
    },
    ...(several
      ? [{
          // Listens once every instance answers, so the suite starts with all of them up.
          command: `npx tsx e2e/round-robin.ts ${CONSOLE_PORT} ${INSTANCE_PORTS.map((p) => `http://localhost:${p}`).join(" ")}`,
          url: `${CONSOLE_URL}/api/health`,
          reuseExistingServer: false,
          timeout: 180_000,
        }]
      : []),
  ],
});
