// `npm run fleet` — "Run several instances" from the README, on this machine: PostgreSQL
// (CONSOLE_DATABASE_URL, or a throw-away cluster), two consoles started from this build and HAProxy
// (Debian's package) with deploy/haproxy.cfg in front. It runs until Ctrl-C; with `-- --check` it
// checks the fleet (both instances serve through the load balancer, know each other, and one
// stopping loses no request) and stops everything. `npm test` runs the check.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createDatabase, startCluster, type Cluster } from "../test/postgres/cluster";

for (const file of [".env.local", ".env"]) if (fs.existsSync(file)) process.loadEnvFile(file);

const check = process.argv.includes("--check");
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const LB = port("FLEET_LB_PORT", 8080);
const INSTANCES = [
  { name: "console-a", port: port("FLEET_A_PORT", 3001) },
  { name: "console-b", port: port("FLEET_B_PORT", 3002) },
];
const PUBLIC_URL = `http://localhost:${LB}`;
const say = (line: string) => console.log(`[fleet] ${line}`);

const children: ChildProcess[] = [];
/** Children stopped on purpose: their end is not news. */
const stopped = new Set<ChildProcess>();
let cluster: Cluster | undefined;

function fail(message: string): never {
  throw new Error(message);
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const log = fs.createWriteStream(path.join(".data", "fleet", `${name}.log`));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  child.once("exit", (code, signal) => {
    if (!stopping && !stopped.has(child)) say(`${name} ended (${signal ?? `exit ${code}`}); its log is .data/fleet/${name}.log`);
  });
  children.push(child);
  return child;
}

interface Health {
  status: string;
  instance: { id: string; live?: number; warning?: string };
}

async function health(base: string): Promise<Health | null> {
  try {
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
    return res.ok ? ((await res.json()) as Health) : null;
  } catch {
    return null;
  }
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) fail(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) fail("no production build: run `npm run build` first (every instance starts from that one build)");
  if (spawnSync("haproxy", ["-v"]).status !== 0) fail("haproxy is not installed: `apt-get install haproxy` (Debian's package)");
  fs.mkdirSync(path.join(".data", "fleet"), { recursive: true, mode: 0o700 });

  let databaseUrl = process.env.CONSOLE_DATABASE_URL;
  if (!databaseUrl) {
    cluster = await startCluster();
    await createDatabase(cluster, "console");
    databaseUrl = cluster.url("console");
    say(`PostgreSQL: a throw-away cluster on 127.0.0.1:${cluster.port} (set CONSOLE_DATABASE_URL to use your own)`);
  }
  // Equal on every instance, or the second refuses to start (the README says why).
  const shared = {
    AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || `fleet:${randomBytes(32).toString("base64")}`,
  };
  if (!process.env.AUTH_SECRET || !process.env.ENCRYPTION_KEY) say("no AUTH_SECRET/ENCRYPTION_KEY in .env.local: using keys made for this run only");

  const next = path.join("node_modules", "next", "dist", "bin", "next");
  for (const i of INSTANCES) {
    start(i.name, process.execPath, [next, "start", "-p", String(i.port)], {
      ...process.env,
      ...shared,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      CONSOLE_DATABASE_URL: databaseUrl,
      CONSOLE_INSTANCE_NAME: i.name,
      CONSOLE_PUBLIC_URL: PUBLIC_URL,
      AUTH_URL: PUBLIC_URL,
      // HAProxy appends the caller's address to X-Forwarded-For: one trusted hop.
      TRUSTED_PROXY_HOPS: "1",
    });
  }
  start("haproxy", "haproxy", ["-db", "-f", path.join("deploy", "haproxy.cfg")], {
    ...process.env,
    CONSOLE_LB_BIND: `*:${LB}`,
    CONSOLE_A: `127.0.0.1:${INSTANCES[0].port}`,
    CONSOLE_B: `127.0.0.1:${INSTANCES[1].port}`,
  });
  for (const i of INSTANCES) await until(`${i.name} on :${i.port}`, 120_000, () => health(`http://127.0.0.1:${i.port}`));
  await until(`the load balancer on :${LB}`, 30_000, () => health(PUBLIC_URL));
  say(`load balancer ${PUBLIC_URL} → ${INSTANCES.map((i) => `${i.name} :${i.port}`).join(", ")}`);

  // Both instances answer through the load balancer, and each knows the other.
  const seen = new Map<string, Health>();
  await until("both instances to answer through the load balancer", 30_000, async () => {
    const h = await health(PUBLIC_URL);
    if (h) seen.set(h.instance.id, h);
    return seen.size === INSTANCES.length && [...seen.values()].every((x) => x.instance.live === INSTANCES.length);
  });
  say(`served by ${[...seen.keys()].sort().join(" and ")}, each counting ${INSTANCES.length} live instances`);
  for (const h of seen.values()) if (h.instance.warning) fail(`${h.instance.id}: ${h.instance.warning}`);

  if (!check) {
    say(`open ${PUBLIC_URL} (the first visit sets up the admin); Ctrl-C stops everything`);
    await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    return;
  }

  // One instance stops (a deploy, a crash): HAProxy skips it, no request is lost.
  const [, second] = INSTANCES;
  stopped.add(children[1]);
  children[1].kill("SIGTERM");
  const answers: (string | null)[] = [];
  for (let n = 0; n < 24; n++) {
    answers.push((await health(PUBLIC_URL))?.instance.id ?? null);
    await new Promise((r) => setTimeout(r, 250));
  }
  if (answers.includes(null)) fail(`requests were lost while ${second.name} stopped: ${JSON.stringify(answers)}`);
  if (answers.slice(-8).some((id) => id !== INSTANCES[0].name)) fail(`${second.name} still answers after stopping: ${JSON.stringify(answers)}`);
  say(`${second.name} stopped: ${answers.length} requests over 6 s all answered, by ${INSTANCES[0].name}`);
  say("check passed");
}

let stopping = false;
async function stopAll() {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once("exit", r)))));
  await cluster?.stop();
}

main()
  .then(async () => {
    await stopAll();
    process.exit(0);
  })
  .catch(async (e: unknown) => {
    console.error(`[fleet] ${e instanceof Error ? e.message : String(e)}`);
    await stopAll();
    process.exit(1);
  });
