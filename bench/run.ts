// `npm run bench` — every scenario; `npm run bench -- 1 4` — some; `-- --build` rebuilds first.
// Builds .next-bench when it is missing, runs each scenario against its own servers and data
// (SQLite files, and databases in a throw-away PostgreSQL cluster the run starts when a scenario
// first needs it), stops every process it started (also on failure) and writes bench/results.md.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BUILD_DIR } from "./config";
import { stopCluster } from "./postgres";
import { stopAll } from "./processes";
import { machine, printReport, writeResults, type ScenarioReport } from "./report";
import { alerts } from "./scenarios/alerts";
import { coalescing } from "./scenarios/coalescing";
import { dashboard } from "./scenarios/dashboard";
import { fleet } from "./scenarios/fleet";
import { history } from "./scenarios/history";
import { instances } from "./scenarios/instances";
import { proxyOverhead } from "./scenarios/proxy";
import { tokenApi } from "./scenarios/token-api";
import { weight } from "./scenarios/weight";

const RESULTS = path.join("bench", "results.md");

const SCENARIOS: { ids: number[]; title: string; run: () => Promise<ScenarioReport[]> }[] = [
  { ids: [1], title: "Token API on warm tokens: SQLite, PostgreSQL, /api/health", run: async () => [await tokenApi()] },
  { ids: [2], title: "Refresh coalescing across two console processes", run: async () => [await coalescing()] },
  { ids: [3], title: "Fleet refresh: 1,000 connections expiring together", run: async () => [await fleet()] },
  // Scenario 6 reads the memory of scenario 4's server: asking for either runs both.
  { ids: [4, 6], title: "Dashboard at scale on SQLite and PostgreSQL, and the console's memory", run: dashboard },
  { ids: [5], title: "First-load JavaScript per route (gzip)", run: async () => [await weight()] },
  { ids: [7], title: "Several instances on PostgreSQL behind HAProxy", run: async () => [await instances()] },
  { ids: [8], title: "Alert delivery: 1,000 events through the outbox and dispatcher", run: async () => [await alerts()] },
  { ids: [9], title: "Overview at 10,000 connections / 2,000,000 events and at 100,000 connections", run: async () => [await history()] },
  { ids: [10], title: "Proxy overhead: a Desk GET through the console against the same GET to the sandbox", run: async () => [await proxyOverhead()] },
];

/** `next build` into .next-bench, leaving the files next build rewrites as they were. */
function build() {
  // Building into another folder makes Next point next-env.d.ts and tsconfig.json at it; a
  // developer's own .next set-up must not change under them.
  const kept = ["next-env.d.ts", "tsconfig.json"].map((f) => [f, fs.existsSync(f) ? fs.readFileSync(f) : null] as const);
  console.log(`[bench] building into ${BUILD_DIR} (next build, about two minutes)`);
  try {
    const res = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_DIST_DIR: BUILD_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (res.status !== 0) throw new Error(`next build failed (exit ${res.status})`);
  } finally {
    for (const [file, content] of kept) if (content !== null && !content.equals(fs.readFileSync(file))) fs.writeFileSync(file, content);
  }
}

function failed(ids: number[], title: string, e: unknown, seconds: number): ScenarioReport[] {
  const message = e instanceof Error ? (e.stack ?? e.message).split("\n").slice(0, 4).join(" ") : String(e);
  return ids.map((id) => ({
    id,
    title,
    ranAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    machine: machine(),
    seconds,
    goals: [{ goal: "the scenario runs to the end", measured: "failed", met: false }],
    tables: [],
    notes: [`The run failed: ${message}. Server logs are in .data/bench/logs/.`],
  }));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const ids = SCENARIOS.flatMap((s) => s.ids).sort((a, b) => a - b);
  const unknown = args.filter((a) => a !== "--build" && !ids.map(String).includes(a));
  if (unknown.length) {
    console.error(`usage: npm run bench [-- [--build] [${ids.join(" ")} …]]; not understood: ${unknown.join(" ")}`);
    return 2;
  }
  const wanted = new Set(args.filter((a) => a !== "--build").map(Number));
  const chosen = SCENARIOS.filter((s) => wanted.size === 0 || s.ids.some((id) => wanted.has(id)));
  if (args.includes("--build") || !fs.existsSync(path.join(BUILD_DIR, "BUILD_ID"))) build();
  const builtAt = fs.statSync(path.join(BUILD_DIR, "BUILD_ID")).mtime;
  console.log(`[bench] build of ${builtAt.toISOString()}; machine: ${machine()}`);

  const reports: ScenarioReport[] = [];
  let broken = false;
  const runStarted = performance.now();
  for (const s of chosen) {
    const started = performance.now();
    console.log(`\n[bench] scenario ${s.ids.join("+")}: ${s.title}`);
    let got: ScenarioReport[];
    try {
      got = await s.run();
    } catch (e) {
      broken = true;
      console.error(`[bench] scenario ${s.ids.join("+")} failed:`, e);
      got = failed(s.ids, s.title, e, (performance.now() - started) / 1000);
    } finally {
      await stopAll();
    }
    for (const r of got) printReport(r);
    reports.push(...got);
  }
  await stopCluster();
  writeResults(reports, RESULTS);
  console.log(`\n[bench] wrote ${RESULTS}; the scenarios took ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
  return broken ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch(async (e) => {
    console.error(e);
    await stopAll();
    await stopCluster().catch(() => undefined);
    process.exit(1);
  });
