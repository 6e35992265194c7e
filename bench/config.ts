// Where the benchmarks run: their own build folder, ports and data, apart from `npm run up`
// (3000/4010), the e2e suite (3100/4110) and the developer's .next.
import path from "node:path";

export const BUILD_DIR = ".next-bench";
export const DATA_DIR = path.join(".data", "bench");
// BENCH_PORT_BASE moves all three (console N, second console N+1, sandbox N+1000), so two
// checkouts can run benchmarks side by side.
const BASE = Number(process.env.BENCH_PORT_BASE) || 3300;
export const CONSOLE_PORT = BASE;
/**
 * The second console process: the coalescing scenario's, on the same database; the PostgreSQL
 * console where a scenario runs SQLite and PostgreSQL side by side.
 */
export const CONSOLE_PORT_2 = BASE + 1;
export const SANDBOX_PORT = BASE + 1000;
export const CONSOLE_URL = `http://localhost:${CONSOLE_PORT}`;
export const CONSOLE_URL_2 = `http://localhost:${CONSOLE_PORT_2}`;
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;

// Fixed, bench-only secrets: the data under .data/bench is thrown away after every run.
export const BENCH_ENCRYPTION_KEY = `bench:${Buffer.from("bench-encryption-key-32-bytes-ok").toString("base64")}`;
export const BENCH_AUTH_SECRET = "bench-auth-secret-0123456789abcdefghijklmnop";

/** A fresh folder per scenario, so each seeds its own data. */
export const scenarioDir = (name: string) => path.join(DATA_DIR, name);
