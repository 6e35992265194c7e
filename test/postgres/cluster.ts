/**
 * A throw-away PostgreSQL cluster for tests: a fresh data folder, a free port on 127.0.0.1, no
 * durability (tests never survive a crash, so fsync and friends only cost time), trust auth for
 * the `postgres` role. Nothing depends on a system cluster or service the OS package may start.
 */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const execFileAsync = promisify(execFile);

export interface Cluster {
  port: number;
  host: "127.0.0.1";
  user: "postgres";
  bin: string;
  dataDir: string;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`; the database defaults to `postgres`. */
  url(database?: string): string;
  /** Stops the server and removes its folder; calling it again is harmless. */
  stop(): Promise<void>;
  /** Shuts the server down as an operator's restart does (connections cut), keeping its data. */
  shutDown(): Promise<void>;
  /** Starts it again after `shutDown()`, on the same port. */
  startAgain(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  log?: (line: string) => void;
}

// Debian keeps each major version side by side here; CI machines have only this layout.
const DEBIAN_ROOT = "/usr/lib/postgresql";
const START_ATTEMPTS = 3;

/** The folder holding initdb, pg_ctl, postgres, pg_dump, pg_restore and psql. */
export function findPostgresBin(): string {
  const fromEnv = process.env.POSTGRES_BIN;
  if (fromEnv) {
    if (!isExecutable(path.join(fromEnv, "pg_ctl"))) throw new Error(`POSTGRES_BIN=${fromEnv} holds no pg_ctl`);
    return fromEnv;
  }
  const versions = readdir(DEBIAN_ROOT)
    .filter((v) => isExecutable(path.join(DEBIAN_ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  if (versions.length > 0) return path.join(DEBIAN_ROOT, versions[0], "bin");
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const ctl = path.join(dir, "pg_ctl");
    // A pg_ctl on PATH is often a symlink; initdb and postgres sit beside its target, not it.
    if (dir && isExecutable(ctl)) return path.dirname(fs.realpathSync(ctl));
  }
  throw new Error(
    "No PostgreSQL server binaries (pg_ctl, initdb) found. Install Debian's `postgresql` package " +
      "(apt-get install postgresql) or set POSTGRES_BIN to the folder that holds pg_ctl.",
  );
}

export async function startCluster(opts: StartOptions = {}): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  const bin = findPostgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "console-pg-"));
  const entry: Live = { bin, dir, dataDir: path.join(dir, "data") };
  const sockDir = path.join(dir, "sock");
  const logFile = path.join(dir, "log");
  const t0 = Date.now();
  let port = 0;
  let startOptions = "";
  try {
    fs.mkdirSync(sockDir);
    if (isRoot()) {
      const { uid, gid } = postgresUser();
      for (const p of [dir, sockDir]) fs.chownSync(p, uid, gid);
    }
    await initdb(entry, log);
    for (let attempt = 1; ; attempt++) {
      port = opts.port ?? (await freePort());
      const logOffset = readLog(logFile).length;
      const options = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        // pg_ctl pastes -o into a /bin/sh command line, so the path is quoted for that shell.
        `-c unix_socket_directories=${shellQuote(sockDir)}`,
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        "-c max_connections=300 -c shared_buffers=64MB",
      ].join(" ");
      startOptions = options;
      track(entry);
      try {
        await pgTool(entry, "pg_ctl", ["-D", entry.dataDir, "-l", logFile, "-w", "-t", "60", "-o", options, "start"]);
        break;
      } catch (error) {
        // Another process may take the free port between our probe and the server's bind.
        const inUse = /address already in use/i.test(readLog(logFile).slice(logOffset));
        if (!inUse || opts.port !== undefined || attempt >= START_ATTEMPTS) throw error;
        log(`[postgres] port ${port} was taken meanwhile; retrying on another`);
      }
    }
    await waitForConnection(clusterUrl(port, "postgres"), 20_000);
  } catch (error) {
    const message = `${(error as Error).message}\n--- tail of ${logFile} ---\n${logTail(logFile)}`;
    stopSync(entry);
    throw new Error(`PostgreSQL test cluster did not start: ${message}`);
  }
  log(`[postgres] cluster on 127.0.0.1:${port} ready in ${Date.now() - t0} ms`);

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    try {
      await pgTool(entry, "pg_ctl", ["stop", "-D", entry.dataDir, "-m", "immediate", "-w", "-t", "60"]);
    } catch (error) {
      // "Not running" is fine (it crashed or was stopped by hand); a live server is not.
      if (fs.existsSync(path.join(entry.dataDir, "postmaster.pid"))) {
        throw new Error(`${(error as Error).message}\n--- tail of ${logFile} ---\n${logTail(logFile)}`);
      }
    }
    untrack(entry);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    host: "127.0.0.1",
    user: "postgres",
    bin,
    dataDir: entry.dataDir,
    url: (database = "postgres") => clusterUrl(port, database),
    stop: () => (stopping ??= stop()),
    shutDown: async () => {
      await pgTool(entry, "pg_ctl", ["stop", "-D", entry.dataDir, "-m", "fast", "-w", "-t", "60"]);
    },
    startAgain: async () => {
      await pgTool(entry, "pg_ctl", ["-D", entry.dataDir, "-l", logFile, "-w", "-t", "60", "-o", startOptions, "start"]);
      await waitForConnection(clusterUrl(port, "postgres"), 20_000);
    },
  };
}

export async function createDatabase(cluster: Cluster, name: string, template?: string): Promise<void> {
  await asAdmin(cluster, async (client) => {
    const from = template ? ` template ${client.escapeIdentifier(template)}` : "";
    await client.query(`create database ${client.escapeIdentifier(name)}${from}`);
  });
}

/** Drops even while clients are still connected (a test that failed may not have closed its pool). */
export async function dropDatabase(cluster: Cluster, name: string): Promise<void> {
  await asAdmin(cluster, async (client) => {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  });
}

async function asAdmin(cluster: Cluster, work: (client: pg.Client) => Promise<void>) {
  const client = new pg.Client({ connectionString: cluster.url("postgres") });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

// ---- running the server's tools -------------------------------------------------------------

interface Live {
  bin: string;
  dir: string;
  dataDir: string;
}

const isRoot = () => process.getuid?.() === 0;

/** initdb and postgres refuse to run as root, so root runs them as the `postgres` OS user. */
function commandLine(entry: Live, tool: string, args: string[]): [string, string[]] {
  const file = path.join(entry.bin, tool);
  return isRoot() ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
}

function toolEnv(): NodeJS.ProcessEnv {
  // A developer's PGDATA, PGPORT … must not steer the throw-away cluster; LC_ALL keeps messages
  // in English so "address already in use" can be recognised.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C" };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return env;
}

async function pgTool(entry: Live, tool: string, args: string[]): Promise<void> {
  const [file, argv] = commandLine(entry, tool, args);
  try {
    // cwd: the postgres user may not be allowed into the caller's folder.
    await execFileAsync(file, argv, { cwd: entry.dir, env: toolEnv(), timeout: 120_000 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} ${args[args.length - 1]} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

async function initdb(entry: Live, log: (line: string) => void) {
  const args = ["-D", entry.dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"];
  try {
    await pgTool(entry, "initdb", [...args, "--locale=C.UTF-8"]);
  } catch (error) {
    const message = (error as Error).message;
    if (isRoot() && /permission denied/i.test(message)) {
      throw new Error(`${message}\n(the postgres OS user must be able to reach ${entry.dir}; point TMPDIR at a folder it can)`);
    }
    if (!/locale/i.test(message)) throw error;
    log("[postgres] initdb refused C.UTF-8; using --no-locale");
    fs.rmSync(entry.dataDir, { recursive: true, force: true });
    await pgTool(entry, "initdb", [...args, "--no-locale"]);
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u");
  const gid = id("-g");
  if (!uid || !gid) {
    throw new Error(
      "Running as root: PostgreSQL refuses to run as root and there is no `postgres` OS user to run it as. " +
        "Install Debian's `postgresql` package (it creates that user) or run the tests as an ordinary user.",
    );
  }
  return { uid, gid };
}

// ---- clean-up when the process ends without stop() --------------------------------------------

// pg_ctl puts the server in a session of its own, so a Ctrl-C or a dying test run does not reach
// it: without these hooks an aborted run would leave a postgres behind.
const live = new Set<Live>();
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function track(entry: Live) {
  if (live.size === 0) {
    process.on("exit", stopAllSync);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  live.add(entry);
}

function untrack(entry: Live) {
  if (!live.delete(entry) || live.size > 0) return;
  process.removeListener("exit", stopAllSync);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals) {
  // Another listener owns the decision (and exits through the 'exit' hook if it ends the process);
  // alone, we were about to replace Node's default of dying, so clean up and die by the signal.
  if (process.listenerCount(signal) > 1) return;
  stopAllSync();
  process.kill(process.pid, signal);
}

function stopAllSync() {
  for (const entry of [...live]) {
    stopSync(entry);
  }
}

function stopSync(entry: Live) {
  const [file, argv] = commandLine(entry, "pg_ctl", ["stop", "-D", entry.dataDir, "-m", "immediate", "-w"]);
  spawnSync(file, argv, { cwd: entry.dir, env: toolEnv(), stdio: "ignore", timeout: 30_000 });
  untrack(entry);
  fs.rmSync(entry.dir, { recursive: true, force: true });
}

// ---- small helpers ------------------------------------------------------------------------------

const clusterUrl = (port: number, database: string) =>
  `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** pg_ctl -w only sees the pid file; a real query proves clients can get in. */
async function waitForConnection(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      try {
        await client.query("select 1");
        return;
      } finally {
        await client.end();
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no connection within ${timeoutMs / 1000} s: ${(error as Error).message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function isExecutable(file: string) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readdir(dir: string) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readLog(file: string) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function logTail(file: string, lines = 30) {
  return readLog(file).trimEnd().split("\n").slice(-lines).join("\n") || "(empty)";
}
