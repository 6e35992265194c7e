// 1. The token API on warm tokens next to GET /api/health, on SQLite and on PostgreSQL: two
// consoles of the same build, one per engine, with the same seeded rows, running at once. Closed
// loop (50 requests always in flight) for throughput: the four loads (health and token on each)
// taken in alternating 5 s slices so all see the same machine. Open loop (a fixed offered rate,
// bench/open-loop.ts) for latency: the token route on each engine at 300 requests a second.
import path from "node:path";
import { CONSOLE_PORT, CONSOLE_PORT_2 } from "../config";
import { withCpu } from "../cpu";
import { cannon, percentile, requestsPerSecond, rotate, statusLine, type Sample } from "../load";
import { closeOpenLoopAgents, latencyCells, mergeOpen, openLoop, sentOf, type OpenLoopSample, type OpenLoopTarget } from "../open-loop";
import { clusterFacts } from "../postgres";
import { startConsole, type Server } from "../processes";
import { CATEGORIES, readProfile, split, type Split } from "../profile";
import { ms, type ScenarioReport } from "../report";
import { seedAdmin, seedApiKey, seedClients, seedFleet, seedStatusOf, syntheticClients } from "../seed";
import { sandboxCounters } from "../sandbox-grants";
import { encrypt, ENGINE_LABEL, freshDatabase, Reporter, scenarioFolder, startSandbox, type BenchDatabase, type Engine } from "./common";

const CONNECTIONS = 50;
const SECONDS = 20;
const SLICES = 4;
const FLEET = 200;
const PROFILE_SECONDS = 8;
// Issue 22: the token route answers at least as many calls a second as /api/health.
const RATIO_GOAL = 1.0;
const ENGINE_RATIO_GOAL = 0.7;
const OPEN_RATE = 300;
const OPEN_WARM_SECONDS = 5;
const OPEN_SECONDS = 24;
const OPEN_SLICES = 4;
const OPEN_P50_GOAL = 5;
const OPEN_P99_GOAL = 25;
const ACHIEVED_SHARE = 0.99;

interface Side {
  db: BenchDatabase;
  key: string;
  ids: number[];
}

/** 200 connections (80 % active), two clients and a key with every permission, on one engine. */
async function seedSide(dir: string, engine: Engine, sandboxUrl: string, now: number): Promise<Side> {
  const db = await freshDatabase(dir, engine);
  const admin = await seedAdmin(db.handle);
  const clientRefs = await seedClients(db.handle, encrypt, syntheticClients(2), admin.id, now);
  const key = await seedApiKey(db.handle, admin.id);
  const fleet = await seedFleet(db.handle, { count: FLEET, clientRefs, encrypt, sandboxUrl, createdBy: admin.id, now });
  await db.handle.close();
  // Active connections only: their tokens have 15–60 minutes left, more than min_validity=300.
  const ids = Array.from({ length: FLEET }, (_, i) => i).filter((i) => seedStatusOf(i) === "active").map((i) => fleet.firstId + i);
  return { db, key: key.key, ids };
}

/** GET /api/health and the token route of one console, as autocannon loads. */
function loadsOf(server: Server, side: Side) {
  const auth = { authorization: `Bearer ${side.key}` };
  const tokenRequests = side.ids.map((id) => ({ method: "GET", path: `/api/v1/connections/${id}/token?min_validity=300`, headers: auth }));
  return {
    health: (duration: number, connections = CONNECTIONS) => cannon({ url: `${server.url}/api/health`, connections, duration }),
    token: (duration: number, connections = CONNECTIONS) => cannon({ url: server.url, connections, duration, requests: tokenRequests }),
    openToken: { name: "token", url: server.url, requests: tokenRequests.map(({ path, headers }) => ({ path, headers })) } satisfies OpenLoopTarget,
  };
}

export async function tokenApi(): Promise<ScenarioReport> {
  const r = new Reporter(1, "Token API on warm tokens: SQLite, PostgreSQL, /api/health");
  const dir = scenarioFolder("1-token-api");
  const sandbox = await startSandbox(dir);
  const now = Date.now();
  const sides = { sqlite: await seedSide(dir, "sqlite", sandbox.url, now), postgres: await seedSide(dir, "postgres", sandbox.url, now) };
  r.log(`seeded ${FLEET} connections (${sides.sqlite.ids.length} active) on each engine; starting a console per engine`);
  const [sqliteServer, pgServer] = await Promise.all([
    startConsole({ port: CONSOLE_PORT, db: sides.sqlite.db.target, refresher: "off" }),
    startConsole({ port: CONSOLE_PORT_2, db: sides.postgres.db.target, refresher: "off" }),
  ]);
  const s = loadsOf(sqliteServer, sides.sqlite);
  const p = loadsOf(pgServer, sides.postgres);
  r.log("warming up (3 s each)");
  for (const l of [s.health, s.token, p.health, p.token]) await l(3, 10);
  const before = await sandboxCounters(sandbox.url);
  const slice = SECONDS / SLICES;
  r.log(`measuring: ${SLICES} rotating slices of ${slice} s per load, ${CONNECTIONS} connections`);
  const [hS, tS, hP, tP] = await rotate([() => s.health(slice), () => s.token(slice), () => p.health(slice), () => p.token(slice)], SLICES);

  // Open loop: the token route on each engine, and /api/health on SQLite as the reference of what
  // any route does at that rate here, at a fixed offered rate, in rotating slices.
  const open = (target: OpenLoopTarget, seconds: number) => openLoop({ rate: OPEN_RATE, seconds, targets: [target] }).then(([x]) => x);
  const openLoads = [
    { server: sqliteServer, target: s.openToken },
    { server: pgServer, target: p.openToken },
    { server: sqliteServer, target: { name: "health", url: sqliteServer.url, requests: [{ path: "/api/health" }] } },
  ];
  r.log(`open loop: warming up (${OPEN_WARM_SECONDS} s at ${OPEN_RATE}/s each)`);
  for (const l of openLoads) await open(l.target, OPEN_WARM_SECONDS);
  const openSlice = OPEN_SECONDS / OPEN_SLICES;
  r.log(`open loop: ${OPEN_SLICES} rotating slices of ${openSlice} s at ${OPEN_RATE}/s per load`);
  const openSlices: OpenLoopSample[][] = openLoads.map(() => []);
  const openCpu = openLoads.map(() => 0);
  for (let i = 0; i < OPEN_SLICES; i++) {
    for (let k = 0; k < openLoads.length; k++) {
      const j = (i + k) % openLoads.length;
      const { result, cpu } = await withCpu([openLoads[j].server.pid()], () => open(openLoads[j].target, openSlice));
      openSlices[j].push(result);
      openCpu[j] += cpu[0];
    }
  }
  closeOpenLoopAgents();
  const after = await sandboxCounters(sandbox.url);
  await Promise.all([sqliteServer.stop(), pgServer.stop()]);

  // The token loads once more, each on a console under the V8 profiler, to see where the
  // server's time per request goes (the profiler slows it; only the shares are used).
  const runs = [
    ["health", "sqlite", (c: ReturnType<typeof loadsOf>) => c.health],
    ["token", "sqlite", (c: ReturnType<typeof loadsOf>) => c.token],
    ["token", "postgres", (c: ReturnType<typeof loadsOf>) => c.token],
  ] as const;
  const profiles: Record<string, Split> = {};
  for (const [route, engine, pick] of runs) {
    r.log(`profiling ${route} on ${ENGINE_LABEL[engine]}`);
    const profDir = path.join(dir, `profile-${route}-${engine}`);
    const profiled = await startConsole({ port: CONSOLE_PORT, db: sides[engine].db.target, refresher: "off", nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`] });
    const run = pick(loadsOf(profiled, sides[engine]));
    await run(2, 10);
    await run(PROFILE_SECONDS);
    await profiled.stop();
    profiles[`${route}-${engine}`] = split(readProfile(profDir));
  }

  const rps = { hS: requestsPerSecond(hS), tS: requestsPerSecond(tS), hP: requestsPerSecond(hP), tP: requestsPerSecond(tP) };
  const ratio = rps.tS / rps.hS;
  const engineRatio = rps.tP / rps.tS;
  const q = (x: Sample, n: number) => percentile(x.latencies, n);
  const row = (label: string, x: Sample, perSecond: number) => [label, x.latencies.length, perSecond.toFixed(0), ms(q(x, 50)), ms(q(x, 99)), ms(Math.max(...x.latencies)), statusLine(x)];
  r.tables.push({
    head: ["route", "engine", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "answers"],
    rows: [
      row("GET /api/health", hS, rps.hS),
      row("GET /api/v1/connections/{id}/token", tS, rps.tS),
      row("GET /api/health", hP, rps.hP),
      row("GET /api/v1/connections/{id}/token", tP, rps.tP),
    ].map((cells, i) => [cells[0], i < 2 ? "SQLite" : "PostgreSQL", ...cells.slice(1)]),
  });
  const allOk = (x: Sample) => (x.statuses[200] ?? 0) === x.latencies.length && !x.errors && !x.timeouts;
  const upstream = after.tokenEndpointCalls - before.tokenEndpointCalls;
  r.goal(`SQLite: token req/s ÷ health req/s ≥ ${RATIO_GOAL}`, `${ratio.toFixed(2)} (${rps.tS.toFixed(0)} ÷ ${rps.hS.toFixed(0)})`, ratio >= RATIO_GOAL);
  r.goal(
    `PostgreSQL token req/s ≥ ${ENGINE_RATIO_GOAL} × SQLite token req/s`,
    `${engineRatio.toFixed(2)} (${rps.tP.toFixed(0)} ÷ ${rps.tS.toFixed(0)}; PostgreSQL health ${rps.hP.toFixed(0)}/s)`,
    engineRatio >= ENGINE_RATIO_GOAL,
  );
  const [oS, oP, oH] = openSlices.map(mergeOpen);
  const cpuPer = (j: number, x: OpenLoopSample) => ms(openCpu[j] / sentOf(x));
  const qo = (x: OpenLoopSample, n: number) => percentile(x.latencies, n);
  const openRow = (engine: string, x: OpenLoopSample) => [engine, ...latencyCells(x), statusLine(x)];
  r.tables.push({
    title: `Open loop at ${OPEN_RATE} requests a second offered (latency from each request's scheduled send time)`,
    head: ["route, engine", "offered/s", "achieved/s", "answers", "p50 ms", "p90 ms", "p99 ms", "max ms", "answers by status", "console CPU ms per request"],
    rows: [
      [...openRow("token, SQLite", oS), cpuPer(0, oS)],
      [...openRow("token, PostgreSQL", oP), cpuPer(1, oP)],
      [...openRow("/api/health, SQLite (reference)", oH), cpuPer(2, oH)],
    ],
  });
  for (const [label, x] of [
    ["SQLite", oS],
    ["PostgreSQL", oP],
  ] as const) {
    r.goal(
      `${label}: token at ${OPEN_RATE} req/s offered (open loop): p50 < ${OPEN_P50_GOAL} ms, p99 < ${OPEN_P99_GOAL} ms, ≥ ${ACHIEVED_SHARE * 100} % of the rate achieved`,
      `p50 ${ms(qo(x, 50))} ms, p99 ${ms(qo(x, 99))} ms; achieved ${x.achieved.toFixed(1)}/s of ${x.offered.toFixed(0)} (/api/health at the same rate: p50 ${ms(qo(oH, 50))}, p99 ${ms(qo(oH, 99))} ms)`,
      qo(x, 50) < OPEN_P50_GOAL && qo(x, 99) < OPEN_P99_GOAL && x.achieved >= ACHIEVED_SHARE * x.offered,
    );
  }
  r.goal(
    "every token call answered 200 without calling Zoho",
    `closed loop SQLite ${statusLine(tS)}, PostgreSQL ${statusLine(tP)}; open loop SQLite ${statusLine(oS)}, PostgreSQL ${statusLine(oP)}; ${upstream} upstream calls`,
    allOk(tS) && allOk(tP) && allOk(oS) && allOk(oP) && upstream === 0,
  );
  r.notes.push(
    `${CONNECTIONS} connections per load, ${SECONDS} s per load in ${SLICES} rotating slices of ${slice} s (slice 1: SQLite health, SQLite token, PostgreSQL health, PostgreSQL token; each next slice starts one further on), both consoles running throughout; ${sides.sqlite.ids.length} connections with warm tokens requested round-robin; the API key has its own limit of 1,000,000/min; background refresher off.`,
    `Both consoles are the same build (.next-bench) on the same rows (seeded with one clock); PostgreSQL is ${await clusterFacts()}; the console's pool has its default of 10 connections. SQLite runs as the console opens it (WAL, synchronous=NORMAL): neither engine waits for a disk flush per commit, so the two compare like with like, and neither figure says what a durable server on its own disk would do.`,
    "Load generator (autocannon) and servers share the machine's 2 cores (PostgreSQL's backends too), so absolute req/s understate a dedicated server; the ratios and latencies compare like with like.",
  );

  const msPer = { hS: 1000 / rps.hS, tS: 1000 / rps.tS, tP: 1000 / rps.tP };
  const perRequest = (sp: Split, m: number) => Object.fromEntries(CATEGORIES.map((c) => [c, sp.share[c] * m])) as Record<(typeof CATEGORIES)[number], number>;
  const hCat = perRequest(profiles["health-sqlite"], msPer.hS);
  const tCat = perRequest(profiles["token-sqlite"], msPer.tS);
  const pCat = perRequest(profiles["token-postgres"], msPer.tP);
  r.tables.push({
    title: "Where the server's time per request goes (1 ÷ req/s, split by the shares of a CPU profile of each route and engine)",
    head: ["", "health, SQLite ms", "token, SQLite ms", "token, PostgreSQL ms", "token: PostgreSQL − SQLite ms"],
    rows: [
      ["all", ms(msPer.hS), ms(msPer.tS), ms(msPer.tP), ms(msPer.tP - msPer.tS)],
      ...CATEGORIES.map((c) => [c, hCat[c].toFixed(2), tCat[c].toFixed(2), pCat[c].toFixed(2), (pCat[c] - tCat[c]).toFixed(2)]),
    ],
  });
  for (const engine of ["sqlite", "postgres"] as const) {
    r.tables.push({
      title: `The token route's busiest functions in the bundled server code on ${ENGINE_LABEL[engine]} (self time in the profile)`,
      head: ["function (minified)", "self ms", "library"],
      rows: profiles[`token-${engine}`].top.map((f) => [f.label, ms(f.ms), f.hint || "not identified"]),
    });
  }
  const [appCat, driverCat] = CATEGORIES;
  if (ratio < RATIO_GOAL) {
    const ranked = CATEGORIES.map((c) => [c, tCat[c] - hCat[c]] as const).sort((x, y) => y[1] - x[1]);
    r.notes.push(
      `Reading (SQLite ratio): for ${RATIO_GOAL} a token request may cost at most ${ms(msPer.hS / RATIO_GOAL)} ms of server time; it costs ${ms(msPer.tS)} ms against ${ms(msPer.hS)} ms for health. ` +
        `Of the ${ms(msPer.tS - msPer.hS)} ms difference, ${ranked
          .filter(([, d]) => d > 0.05)
          .map(([c, d]) => `${d.toFixed(2)} ms is ${c}`)
          .join(", ")}. Even with the console code and the driver at zero the ratio would be about ${(msPer.hS / (msPer.tS - tCat[appCat] - tCat[driverCat])).toFixed(2)}.`,
    );
  }
  const extra = CATEGORIES.map((c) => [c, pCat[c] - tCat[c]] as const).sort((x, y) => y[1] - x[1]);
  r.notes.push(
    `Reading (engines): a token request costs ${ms(msPer.tP)} ms of server time on PostgreSQL against ${ms(msPer.tS)} ms on SQLite (${engineRatio >= ENGINE_RATIO_GOAL ? "within" : "beyond"} the ${ms(msPer.tS / ENGINE_RATIO_GOAL)} ms that ${ENGINE_RATIO_GOAL}× allows). ` +
      `Of the ${ms(msPer.tP - msPer.tS)} ms difference, ${extra
        .filter(([, d]) => d > 0.05)
        .map(([c, d]) => `${d.toFixed(2)} ms is ${c}`)
        .join(", ") || "no category stands out"}. ` +
      "On SQLite a query is a function call into the same process; on PostgreSQL each of the call's reads (the key by hash, the connection row, its data centre) is a round trip over a socket to a server process that competes for the same two cores: the protocol encoding and decoding (pg, pg-protocol), the socket I/O and the waiting show up under the driver and Node.js, and the server's own CPU is not in this profile at all (it comes out of the load generator's and the console's share of the cores). " +
      `Health pays one round trip too (PostgreSQL health ${rps.hP.toFixed(0)}/s against ${rps.hS.toFixed(0)}/s on SQLite).`,
  );
  r.notes.push(
    `Open loop (bench/open-loop.ts): requests sent on a fixed schedule, one every ${ms(1000 / OPEN_RATE)} ms, whether or not earlier ones have been answered, over keep-alive connections with no limit on their number; ${OPEN_SECONDS} s per load (token on each engine, /api/health on SQLite) in ${OPEN_SLICES} rotating slices after a ${OPEN_WARM_SECONDS} s warm-up each, the other console idle. Each latency runs from the request's scheduled send time to the end of its answer, so time spent queued behind a slow answer (or in a late generator: send lag p99/max ${ms(Math.max(oS.sendLagP99, oP.sendLagP99, oH.sendLagP99))}/${ms(Math.max(oS.sendLagMax, oP.sendLagMax, oH.sendLagMax))} ms) counts. autocannon's overallRate is not used for this: each of its connections sends back to back until it has made its share of the second, then waits for the next second, and times a request from when it was written, which hides queueing (coordinated omission). The CPU column is the console process's user + system time (from /proc) over the open-loop slices divided by the requests sent (answered, failed or timed out): on a machine shared with other work the latencies mostly say how much CPU the console got, the CPU per call what a call costs (PostgreSQL's own processes not included).`,
    `The closed-loop rows measure throughput only: with ${CONNECTIONS} requests always in flight, latency ≈ connections ÷ throughput (Little's law), ${ms((CONNECTIONS / rps.tS) * 1000)} ms for the token route on SQLite at ${rps.tS.toFixed(0)}/s; those latencies are queueing in front of a saturated server, not the cost of a call.`,
  );
  return r.done();
}
