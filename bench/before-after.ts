// A one-off comparison, run by hand: the token API on warm tokens on SQLite, BEFORE and AFTER
// the asynchronous two-engine data layer. "Before" is another checkout of an earlier commit (a
// git worktree outside the project, with its own node_modules and `next build` in its .next);
// "after" is this checkout's .next-bench. Both consoles run at once on copies of one seeded SQLite
// file, and the loads alternate in rotating slices. The result goes into bench/results.md as
// section 7 (kept there by later `npm run bench` runs, like every section).
//
//   git worktree add /tmp/console-before HEAD && (cd /tmp/console-before && npm install && npx next build)
//   npx tsx bench/before-after.ts /tmp/console-before
//   git worktree remove --force /tmp/console-before
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BUILD_DIR, CONSOLE_PORT, CONSOLE_PORT_2 } from "./config";
import { cannon, percentile, requestsPerSecond, rotate, statusLine, type Sample } from "./load";
import { startConsole, stopAll, type Server } from "./processes";
import { ms, writeResults } from "./report";
import { openBenchDb, seedAdmin, seedApiKey, seedClients, seedFleet, seedStatusOf, syntheticClients } from "./seed";
import { sandboxCounters } from "./sandbox-grants";
import { encrypt, Reporter, scenarioFolder, startSandbox } from "./scenarios/common";

const CONNECTIONS = 50;
const SLICES = 6;
const SLICE_SECONDS = 5;
const FLEET = 200;

const git = (cwd: string, ...args: string[]) => spawnSync("git", ["-C", cwd, ...args], { encoding: "utf8" }).stdout.trim();

async function main() {
  const checkout = path.resolve(process.argv[2] ?? "");
  if (!process.argv[2] || !fs.existsSync(path.join(checkout, ".next", "BUILD_ID")) || !fs.existsSync(path.join(checkout, "node_modules"))) {
    throw new Error("usage: npx tsx bench/before-after.ts <checkout of the earlier commit, with node_modules and a `next build` in .next>");
  }
  if (!fs.existsSync(path.join(BUILD_DIR, "BUILD_ID"))) throw new Error(`no build in ${BUILD_DIR}: run \`npm run bench -- --build 1\` first`);
  const sha = git(checkout, "rev-parse", "HEAD");
  const head = git(".", "rev-parse", "HEAD");
  const changed = git(".", "status", "--porcelain", "--", "db", "lib").split("\n").filter(Boolean).length;
  const r = new Reporter(7, "Token API before and after the async data layer (SQLite)");

  const dir = scenarioFolder("7-before-after");
  const sandbox = await startSandbox(dir);
  const after = path.join(dir, "after.db");
  const handle = await openBenchDb({ file: after });
  const admin = await seedAdmin(handle);
  const clientRefs = await seedClients(handle, encrypt, syntheticClients(2), admin.id);
  const key = await seedApiKey(handle, admin.id);
  const fleet = await seedFleet(handle, { count: FLEET, clientRefs, encrypt, sandboxUrl: sandbox.url, createdBy: admin.id });
  await handle.close();
  // The same rows for the earlier code: the file as seeded (its extra migration, an index the
  // earlier commit does not know, changes nothing it reads).
  const before = path.join(dir, "before.db");
  fs.copyFileSync(after, before);
  const ids = Array.from({ length: FLEET }, (_, i) => i).filter((i) => seedStatusOf(i) === "active").map((i) => fleet.firstId + i);

  r.log(`starting the console of ${sha.slice(0, 7)} (:${CONSOLE_PORT}) and of this checkout (:${CONSOLE_PORT_2})`);
  const [old, now] = await Promise.all([
    startConsole({ port: CONSOLE_PORT, db: { file: before }, checkout, refresher: "off", label: "console-before" }),
    startConsole({ port: CONSOLE_PORT_2, db: { file: after }, refresher: "off", label: "console-after" }),
  ]);
  const auth = { authorization: `Bearer ${key.key}` };
  const requests = ids.map((id) => ({ method: "GET", path: `/api/v1/connections/${id}/token?min_validity=300`, headers: auth }));
  const token = (s: Server) => (duration: number, connections = CONNECTIONS) => cannon({ url: s.url, connections, duration, requests });
  const health = (s: Server) => (duration: number, connections = CONNECTIONS) => cannon({ url: `${s.url}/api/health`, connections, duration });
  const loads = [token(old), token(now), health(old), health(now)];
  r.log("warming up (3 s each)");
  for (const l of loads) await l(3, 10);
  const counted = await sandboxCounters(sandbox.url);
  r.log(`measuring: ${SLICES} rotating slices of ${SLICE_SECONDS} s per load, ${CONNECTIONS} connections`);
  const [tOld, tNow, hOld, hNow] = await rotate(
    loads.map((l) => () => l(SLICE_SECONDS)),
    SLICES,
  );
  const upstream = (await sandboxCounters(sandbox.url)).tokenEndpointCalls - counted.tokenEndpointCalls;
  await stopAll();

  const rps = (x: Sample) => requestsPerSecond(x);
  const q = (x: Sample, n: number) => percentile(x.latencies, n);
  const line = (label: string, x: Sample) => [label, x.latencies.length, rps(x).toFixed(0), ms(q(x, 50)), ms(q(x, 99)), ms(Math.max(...x.latencies)), statusLine(x)];
  r.tables.push({
    head: ["code", "route", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "answers"],
    rows: [
      [`before: ${sha.slice(0, 7)}`, ...line("GET /api/v1/connections/{id}/token", tOld)],
      ["after: async data layer", ...line("GET /api/v1/connections/{id}/token", tNow)],
      [`before: ${sha.slice(0, 7)}`, ...line("GET /api/health", hOld)],
      ["after: async data layer", ...line("GET /api/health", hNow)],
    ],
  });
  const ratio = rps(tNow) / rps(tOld);
  const ok = (x: Sample) => (x.statuses[200] ?? 0) === x.latencies.length && !x.errors && !x.timeouts;
  r.goal("token req/s after ÷ before, SQLite (reported, no goal set)", `${ratio.toFixed(2)} (${rps(tNow).toFixed(0)} ÷ ${rps(tOld).toFixed(0)}; p50 ${ms(q(tNow, 50))} vs ${ms(q(tOld, 50))} ms)`, null);
  r.goal("every token call answered 200 without calling Zoho, before and after", `before ${statusLine(tOld)}; after ${statusLine(tNow)}; ${upstream} upstream calls`, ok(tOld) && ok(tNow) && upstream === 0);
  r.notes.push(
    `Compares commit ${sha} (the synchronous better-sqlite3 data layer${sha === head ? ", this checkout's HEAD" : ""}) with the asynchronous two-engine data layer, uncommitted in the working tree on top of it when measured (${changed} changed files under db/ and lib/). "Before" ran from a git worktree of that commit outside the project (own npm install and \`next build\`), "after" from .next-bench; the same dependency versions (next, better-sqlite3, drizzle-orm) in both.`,
    `Both on SQLite, on copies of one seeded file (${FLEET} connections, ${ids.length} active with warm tokens requested round-robin; API key limit 1,000,000/min; background refresher off), both consoles running throughout. ${CONNECTIONS} connections per load; ${SLICES} rotating slices of ${SLICE_SECONDS} s per load (slice 1: before token, after token, before health, after health; each next slice starts one further on), so each figure is ${SLICES * SLICE_SECONDS} s of load spread over the whole run on 2 cores shared with the load generator: absolute req/s understate a dedicated server, the ratio compares like with like.`,
    `Measured by hand with bench/before-after.ts (not part of \`npm run bench\`: it needs the worktree).`,
  );
  const report = r.done();
  writeResults([report], path.join("bench", "results.md"));
  console.log(JSON.stringify(report, null, 2));
}

main()
  .then(() => process.exit(0))
  .catch(async (e) => {
    console.error(e);
    await stopAll();
    process.exit(1);
  });
