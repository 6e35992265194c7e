// The servers a scenario runs against: the console from the production build in .next-bench and
// the Zoho sandbox, each in its own process group so that stopping one stops its children too.
// Every process started here is remembered and stopped on the way out, also on failure.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BenchTarget } from "./seed";
import { BENCH_AUTH_SECRET, BENCH_ENCRYPTION_KEY, BUILD_DIR, CONSOLE_PORT, CONSOLE_PORT_2, DATA_DIR, SANDBOX_PORT, SANDBOX_URL } from "./config";

export interface Server {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** The process that listens on the port (next start serves in its own process). */
  pid(): number;
  stop(): Promise<void>;
}

const running = new Set<Server>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

// A crash or Ctrl-C must not leave servers behind on the bench ports.
let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const s of running) killGroup(s.child, "SIGKILL");
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** The pid listening on a TCP port, from `ss` (only our own processes show their pid). */
export function listeningPid(port: number): number | undefined {
  const out = spawnSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" }).stdout ?? "";
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : undefined;
}

export function portInUse(port: number): boolean {
  const out = spawnSync("ss", ["-ltnH", `sport = :${port}`], { encoding: "utf8" }).stdout ?? "";
  return out.trim().length > 0;
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `undefined` in `env` removes a variable the bench's own environment has (a developer's CONSOLE_DATABASE_URL). */
async function startServer(
  name: string,
  port: number,
  args: string[],
  env: Record<string, string | undefined>,
  readyUrl: string,
  url: string,
  cwd?: string,
): Promise<Server> {
  hookExit();
  if (portInUse(port)) throw new Error(`port ${port} is in use; stop what listens there (the bench uses ${CONSOLE_PORT}, ${CONSOLE_PORT_2} and ${SANDBOX_PORT}; BENCH_PORT_BASE moves them)`);
  const logDir = path.join(DATA_DIR, "logs");
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, "w");
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, args, {
    env: childEnv,
    cwd,
    stdio: ["ignore", log, log],
    detached: true,
  });
  fs.closeSync(log);
  let stopped: Promise<void> | undefined;
  const server: Server = {
    name,
    url,
    port,
    child,
    pid: () => listeningPid(port) ?? child.pid!,
    stop: () => {
      stopped ??= stopChild(child).finally(() => running.delete(server));
      return stopped;
    },
  };
  running.add(server);
  try {
    await waitForHttp(readyUrl, 120_000, child, logFile);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

export interface ConsoleOptions {
  port: number;
  /** The console's database: a SQLite file, or a PostgreSQL database (CONSOLE_DATABASE_URL). */
  db: BenchTarget;
  /** Another checkout to run (its own node_modules and build in `.next`), e.g. an older commit. */
  checkout?: string;
  /** A name for the log file, when two consoles share a port in turn. */
  label?: string;
  refresher?: "on" | "off";
  refresherIntervalMs?: number;
  refresherConcurrency?: number;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ["--cpu-prof"] when looking into a result. */
  nodeArgs?: string[];
}

/** `next start` of the bench build, on its own database; the console migrates it on start. */
export function startConsole(o: ConsoleOptions): Promise<Server> {
  const url = `http://localhost:${o.port}`;
  const env: Record<string, string | undefined> = {
    NODE_ENV: "production",
    NEXT_DIST_DIR: o.checkout ? undefined : BUILD_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
    CONSOLE_DATABASE_FILE: "file" in o.db ? path.resolve(o.db.file) : undefined,
    CONSOLE_DATABASE_URL: "url" in o.db ? o.db.url : undefined,
    CONSOLE_PUBLIC_URL: url,
    ZOHO_SANDBOX_URL: SANDBOX_URL,
    ZOHO_HTTP_TIMEOUT_MS: "10000",
    ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    AUTH_SECRET: BENCH_AUTH_SECRET,
    AUTH_URL: url,
    CONSOLE_REFRESHER: o.refresher ?? "off",
    CONSOLE_REFRESHER_INTERVAL_MS: String(o.refresherIntervalMs ?? 30_000),
    CONSOLE_REFRESHER_CONCURRENCY: String(o.refresherConcurrency ?? 3),
    CONSOLE_API_RATE_LIMIT_PER_MINUTE: "1000000",
    ...o.env,
  };
  const next = path.join(o.checkout ?? process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const engine = "url" in o.db ? "postgres" : "sqlite";
  return startServer(o.label ?? `console-${o.port}-${engine}`, o.port, [...(o.nodeArgs ?? []), next, "start", "-p", String(o.port)], env, `${url}/api/health`, url, o.checkout);
}

/** The Zoho sandbox as `npm run sandbox` runs it, on fresh state. */
export function startSandboxServer(o: { port: number; stateFile: string; consoleUrl: string }): Promise<Server> {
  fs.rmSync(o.stateFile, { force: true });
  const url = `http://127.0.0.1:${o.port}`;
  const tsx = path.join("node_modules", "tsx", "dist", "cli.mjs");
  return startServer(
    `sandbox-${o.port}`,
    o.port,
    [tsx, "sandbox/main.ts"],
    { SANDBOX_PORT: String(o.port), SANDBOX_HOST: "127.0.0.1", SANDBOX_STATE_FILE: o.stateFile, SANDBOX_CONSOLE_URL: o.consoleUrl },
    `${url}/`,
    url,
  );
}
